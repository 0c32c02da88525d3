import type { ConformanceCase } from "./case.js";
import { JSONATA_CASES } from "./jsonata-cases.js";
import { fn } from "./runner.js";

export type { ConformanceCase } from "./case.js";

const SPEC = "ASL specification";
const GUIDE = "Step Functions developer guide";

const pass = (state: Record<string, unknown>) => ({
  StartAt: "P",
  States: { P: { Type: "Pass", End: true, ...state } },
});
const intrinsic = (expression: string, input: unknown, result: unknown): ConformanceCase => ({
  name: `intrinsic ${expression}`,
  source: `${GUIDE}: intrinsic functions`,
  definition: pass({ Parameters: { "result.$": expression } }),
  input,
  expect: { status: "SUCCEEDED", output: { result } },
});
const choice = (
  name: string,
  rule: Record<string, unknown>,
  input: unknown,
  matched: boolean,
): ConformanceCase => ({
  name: `choice ${name}`,
  source: `${SPEC}: Choice rules`,
  definition: {
    StartAt: "C",
    States: {
      C: { Type: "Choice", Choices: [{ ...rule, Next: "Yes" }], Default: "No" },
      Yes: { Type: "Pass", Result: "yes", End: true },
      No: { Type: "Pass", Result: "no", End: true },
    },
  },
  input,
  expect: { status: "SUCCEEDED", output: matched ? "yes" : "no" },
});

const PASS_ONCE = [
  "1 0 ExecutionStarted",
  "2 0 PassStateEntered",
  "3 2 PassStateExited",
  "4 3 ExecutionSucceeded",
];

export const CASES: ConformanceCase[] = [
  // Pass and the paths
  {
    name: "pass: Result at ResultPath",
    source: `${SPEC}: Pass state example`,
    definition: pass({
      Result: { "x-datum": 0.381018, "y-datum": 622.2269926397355 },
      ResultPath: "$.coords",
    }),
    input: { georefOf: "Home" },
    expect: {
      status: "SUCCEEDED",
      output: { georefOf: "Home", coords: { "x-datum": 0.381018, "y-datum": 622.2269926397355 } },
      history: PASS_ONCE,
    },
  },
  {
    name: "pass: Parameters select from the input",
    source: `${GUIDE}: Parameters`,
    definition: pass({
      Parameters: {
        comment: "Selecting what I care about.",
        MyDetails: {
          "size.$": "$.product.details.size",
          "exists.$": "$.product.availability",
          StaticValue: "foo",
        },
      },
    }),
    input: {
      comment: "Example for Parameters.",
      product: {
        details: { color: "blue", size: "small", material: "cotton" },
        availability: "in stock",
        sku: "2317",
        cost: "$23",
      },
    },
    expect: {
      status: "SUCCEEDED",
      output: {
        comment: "Selecting what I care about.",
        MyDetails: { size: "small", exists: "in stock", StaticValue: "foo" },
      },
    },
  },
  {
    name: "pass: InputPath and OutputPath",
    source: `${GUIDE}: InputPath, OutputPath`,
    definition: pass({ InputPath: "$.lambda", OutputPath: "$.who" }),
    input: {
      comment: "An input comment.",
      data: { val1: 23, val2: 17 },
      lambda: { who: "AWS Step Functions" },
    },
    expect: { status: "SUCCEEDED", output: "AWS Step Functions" },
  },
  {
    name: "pass: ResultPath null keeps the input",
    source: `${GUIDE}: ResultPath`,
    definition: pass({ Result: "discarded", ResultPath: null }),
    input: { keep: true },
    expect: { status: "SUCCEEDED", output: { keep: true } },
  },
  {
    name: "pass: ResultPath $ replaces the input",
    source: `${GUIDE}: ResultPath`,
    definition: pass({ Result: "Hello, AWS Step Functions!", ResultPath: "$" }),
    input: { comment: "This is a test" },
    expect: { status: "SUCCEEDED", output: "Hello, AWS Step Functions!" },
  },
  {
    name: "pass: OutputPath $[*] of an empty array is []",
    source: `${SPEC}: Reference Paths`,
    definition: pass({ OutputPath: "$[*]" }),
    input: [],
    expect: { status: "SUCCEEDED", output: [] },
  },
  {
    name: "context: Execution.Name, RoleArn and State.Name",
    source: `${GUIDE}: context object`,
    definition: pass({
      Parameters: {
        "name.$": "$$.Execution.Name",
        "role.$": "$$.Execution.RoleArn",
        "state.$": "$$.State.Name",
      },
    }),
    expect: {
      status: "SUCCEEDED",
      output: { name: "run", role: "arn:aws:iam::000000000000:role/conformance", state: "P" },
    },
  },
  {
    name: "context: Execution.Input",
    source: `${GUIDE}: context object`,
    definition: pass({ Parameters: { "original.$": "$$.Execution.Input.a" } }),
    input: { a: 1 },
    expect: { status: "SUCCEEDED", output: { original: 1 } },
  },
  // Intrinsic functions (the developer guide's examples)
  intrinsic("States.Format('Hello, my name is {}.', $.name)", { name: "Arnav" }, "Hello, my name is Arnav."),
  intrinsic("States.StringToJson($.someString)", { someString: '{"number": 20}' }, { number: 20 }),
  intrinsic("States.StringToJson($.s)", { s: "" }, null),
  intrinsic(
    "States.JsonToString($.someJson)",
    { someJson: { name: "Foo", year: 2020 } },
    '{"name":"Foo","year":2020}',
  ),
  intrinsic("States.Array('Foo', 2020, $.someJson, null)", { someJson: { random: "abcdefg" } }, [
    "Foo",
    2020,
    { random: "abcdefg" },
    null,
  ]),
  intrinsic("States.ArrayPartition($.inputArray, 4)", { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, [
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [9],
  ]),
  intrinsic(
    "States.ArrayContains($.inputArray, $.lookingFor)",
    { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], lookingFor: 5 },
    true,
  ),
  intrinsic("States.ArrayRange(1, 9, 2)", {}, [1, 3, 5, 7, 9]),
  intrinsic(
    "States.ArrayGetItem($.inputArray, $.index)",
    { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], index: 5 },
    6,
  ),
  intrinsic("States.ArrayLength($.inputArray)", { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, 9),
  intrinsic("States.ArrayUnique($.inputArray)", { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] }, [1, 2, 3, 4]),
  intrinsic("States.Base64Encode($.input)", { input: "Data to encode" }, "RGF0YSB0byBlbmNvZGU="),
  intrinsic("States.Base64Decode($.base64)", { base64: "RGF0YSB0byBlbmNvZGU=" }, "Data to encode"),
  intrinsic(
    "States.Hash($.Data, $.Algorithm)",
    { Data: "input data", Algorithm: "SHA-1" },
    "aaff4a450a104cd177d28d18d74485e8cae074b7",
  ),
  intrinsic(
    "States.JsonMerge($.json1, $.json2, false)",
    { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } },
    { a: { a3: 1, a4: 2 }, b: 2, c: 3 },
  ),
  intrinsic("States.MathAdd($.value1, $.step)", { value1: 111, step: -1 }, 110),
  intrinsic("States.StringSplit($.inputString, $.splitter)", { inputString: "1,2,3,4,5", splitter: "," }, [
    "1",
    "2",
    "3",
    "4",
    "5",
  ]),
  intrinsic(
    "States.StringSplit($.inputString, $.splitter)",
    { inputString: "This.is+a,test=string", splitter: ".+,=" },
    ["This", "is", "a", "test", "string"],
  ),
  intrinsic("States.StringSplit($.s, ',')", { s: ",,,," }, []),
  intrinsic("States.StringSplit($.s, ',')", { s: ", , ," }, [" ", " "]),
  intrinsic("States.MathAdd($.a, $.b)", { a: 1.5, b: 1.51 }, 4),
  intrinsic("States.MathAdd($.a, $.b)", { a: -1.5, b: 0 }, -1),
  intrinsic("States.Format('fst={}', $.o)", { o: { Arg1: 1, Arg2: [] } }, "fst={Arg1=1, Arg2=[]}"),
  intrinsic("States.Format('{} and {}', $.a, $.b)", { a: null, b: 1.1 }, "null and 1.1"),
  {
    name: "intrinsic States.MathRandom with a seed repeats, within its range",
    source: `${GUIDE}: intrinsic functions (MathRandom)`,
    definition: {
      StartAt: "Draw",
      States: {
        Draw: {
          Type: "Pass",
          Parameters: {
            "a.$": "States.MathRandom($.start, $.end, $.seed)",
            "b.$": "States.MathRandom($.start, $.end, $.seed)",
          },
          Next: "Check",
        },
        Check: {
          Type: "Choice",
          Choices: [
            {
              And: [
                { Variable: "$.a", NumericEqualsPath: "$.b" },
                { Variable: "$.a", NumericGreaterThanEquals: 1 },
                { Variable: "$.a", NumericLessThanEquals: 999 },
              ],
              Next: "Same",
            },
          ],
          Default: "Different",
        },
        Same: { Type: "Pass", Result: "same", End: true },
        Different: { Type: "Pass", Result: "different", End: true },
      },
    },
    input: { start: 1, end: 999, seed: 1234 },
    expect: { status: "SUCCEEDED", output: "same" },
  },
  // Choice
  {
    name: "choice: the developer guide's ChoiceStateX",
    source: `${GUIDE}: Choice state example`,
    definition: {
      StartAt: "ChoiceStateX",
      States: {
        ChoiceStateX: {
          Type: "Choice",
          Choices: [
            { Not: { Variable: "$.type", StringEquals: "Private" }, Next: "Public" },
            {
              And: [
                { Variable: "$.value", IsPresent: true },
                { Variable: "$.value", IsNumeric: true },
                { Variable: "$.value", NumericGreaterThanEquals: 20 },
                { Variable: "$.value", NumericLessThan: 30 },
              ],
              Next: "ValueInTwenties",
            },
          ],
          Default: "DefaultState",
        },
        Public: { Type: "Pass", Result: "public", End: true },
        ValueInTwenties: { Type: "Pass", End: true },
        DefaultState: { Type: "Fail", Error: "DefaultStateError", Cause: "No Matches!" },
      },
    },
    input: { type: "Private", value: 22 },
    expect: {
      status: "SUCCEEDED",
      output: { type: "Private", value: 22 },
      history: [
        "1 0 ExecutionStarted",
        "2 0 ChoiceStateEntered",
        "3 2 ChoiceStateExited",
        "4 3 PassStateEntered",
        "5 4 PassStateExited",
        "6 5 ExecutionSucceeded",
      ],
    },
  },
  choice("IsBoolean false on a string", { Variable: "$.v", IsBoolean: false }, { v: "true" }, true),
  choice("IsBoolean true on a boolean", { Variable: "$.v", IsBoolean: true }, { v: false }, true),
  choice("IsString false on a number", { Variable: "$.v", IsString: false }, { v: 1 }, true),
  choice("IsString true on a number", { Variable: "$.v", IsString: true }, { v: 1 }, false),
  choice("IsNumeric false on a string", { Variable: "$.v", IsNumeric: false }, { v: "1" }, true),
  choice("IsNull false on a value", { Variable: "$.v", IsNull: false }, { v: 0 }, true),
  choice("IsPresent false on a missing field", { Variable: "$.v", IsPresent: false }, {}, true),
  choice(
    "StringMatches with a wildcard",
    { Variable: "$.file", StringMatches: "log-*.txt" },
    { file: "log-2024.txt" },
    true,
  ),
  choice("NumericEqualsPath", { Variable: "$.a", NumericEqualsPath: "$.b" }, { a: 3, b: 3 }, true),
  choice(
    "TimestampLessThan",
    { Variable: "$.t", TimestampLessThan: "2016-03-14T01:59:00Z" },
    { t: "2001-01-01T12:00:00Z" },
    true,
  ),
  choice("BooleanEquals", { Variable: "$.b", BooleanEquals: false }, { b: false }, true),
  choice(
    "Or",
    {
      Or: [
        { Variable: "$.a", StringEquals: "x" },
        { Variable: "$.a", StringEquals: "y" },
      ],
    },
    { a: "y" },
    true,
  ),
  {
    name: "choice: no match and no Default fails with States.NoChoiceMatched",
    source: `${SPEC}: Choice state`,
    definition: {
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ Variable: "$.a", NumericEquals: 1, Next: "Y" }] },
        Y: { Type: "Succeed" },
      },
    },
    input: { a: 2 },
    expect: { status: "FAILED", error: "States.NoChoiceMatched" },
  },
  // Wait, Succeed, Fail
  {
    name: "wait: Seconds",
    source: `${SPEC}: Wait state`,
    definition: { StartAt: "W", States: { W: { Type: "Wait", Seconds: 10, End: true } } },
    input: { a: 1 },
    expect: {
      status: "SUCCEEDED",
      output: { a: 1 },
      history: [
        "1 0 ExecutionStarted",
        "2 0 WaitStateEntered",
        "3 2 WaitStateExited",
        "4 3 ExecutionSucceeded",
      ],
    },
  },
  {
    name: "wait: TimestampPath in the past",
    source: `${SPEC}: Wait state`,
    definition: { StartAt: "W", States: { W: { Type: "Wait", TimestampPath: "$.expirydate", End: true } } },
    input: { expirydate: "2016-03-14T01:59:00Z" },
    expect: { status: "SUCCEEDED", output: { expirydate: "2016-03-14T01:59:00Z" } },
  },
  {
    name: "wait: a Timestamp without a time zone is refused",
    source: `${SPEC}: Wait state (RFC3339 timestamps)`,
    definition: {
      StartAt: "W",
      States: { W: { Type: "Wait", Timestamp: "2016-03-14T01:59:00", End: true } },
    },
    expect: { refused: "InvalidDefinition" },
  },
  {
    name: "succeed",
    source: `${SPEC}: Succeed state`,
    definition: { StartAt: "S", States: { S: { Type: "Succeed" } } },
    input: { done: true },
    expect: {
      status: "SUCCEEDED",
      output: { done: true },
      history: [
        "1 0 ExecutionStarted",
        "2 0 SucceedStateEntered",
        "3 2 SucceedStateExited",
        "4 3 ExecutionSucceeded",
      ],
    },
  },
  {
    name: "fail: Error and Cause",
    source: `${SPEC}: Fail state`,
    definition: { StartAt: "F", States: { F: { Type: "Fail", Error: "ErrorA", Cause: "Kaiju attack" } } },
    expect: {
      status: "FAILED",
      error: "ErrorA",
      cause: "Kaiju attack",
      history: ["1 0 ExecutionStarted", "2 0 FailStateEntered", "3 2 ExecutionFailed"],
      details: { 3: { error: "ErrorA", cause: "Kaiju attack" } },
    },
  },
  {
    name: "fail: without Error or Cause leaves them empty",
    source: `${SPEC}: Fail state (Error and Cause optional)`,
    definition: { StartAt: "F", States: { F: { Type: "Fail" } } },
    expect: { status: "FAILED", error: undefined, cause: undefined, details: { 3: {} } },
  },
  // Task
  {
    name: "task: a Lambda function",
    source: `${GUIDE}: Task state, Lambda`,
    definition: { StartAt: "T", States: { T: { Type: "Task", Resource: fn("echo"), End: true } } },
    input: { hello: "world" },
    expect: {
      status: "SUCCEEDED",
      output: { hello: "world" },
      history: [
        "1 0 ExecutionStarted",
        "2 0 TaskStateEntered",
        "3 2 LambdaFunctionScheduled",
        "4 3 LambdaFunctionStarted",
        "5 4 LambdaFunctionSucceeded",
        "6 5 TaskStateExited",
        "7 6 ExecutionSucceeded",
      ],
    },
  },
  {
    name: "task: ResultSelector and ResultPath",
    source: `${GUIDE}: ResultSelector`,
    definition: {
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: fn("echo"),
          Parameters: { "payload.$": "$.in" },
          ResultSelector: { "value.$": "$.payload" },
          ResultPath: "$.out",
          End: true,
        },
      },
    },
    input: { in: 42 },
    expect: { status: "SUCCEEDED", output: { in: 42, out: { value: 42 } } },
  },
  {
    name: "task: an uncaught error fails the execution",
    source: `${SPEC}: Errors`,
    definition: { StartAt: "T", States: { T: { Type: "Task", Resource: fn("fail"), End: true } } },
    input: { message: "no" },
    expect: {
      status: "FAILED",
      error: "CustomError",
      history: [
        "1 0 ExecutionStarted",
        "2 0 TaskStateEntered",
        "3 2 LambdaFunctionScheduled",
        "4 3 LambdaFunctionStarted",
        "5 4 LambdaFunctionFailed",
        "6 5 ExecutionFailed",
      ],
    },
  },
  {
    name: "task: Catch with ResultPath",
    source: `${SPEC}: Fallback states`,
    definition: {
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: fn("fail"),
          Catch: [{ ErrorEquals: ["CustomError"], ResultPath: "$.error", Next: "Handled" }],
          End: true,
        },
        Handled: { Type: "Pass", OutputPath: "$.error.Error", End: true },
      },
    },
    input: { message: "no" },
    expect: {
      status: "SUCCEEDED",
      output: "CustomError",
      history: [
        "1 0 ExecutionStarted",
        "2 0 TaskStateEntered",
        "3 2 LambdaFunctionScheduled",
        "4 3 LambdaFunctionStarted",
        "5 4 LambdaFunctionFailed",
        "6 5 TaskStateExited",
        "7 6 PassStateEntered",
        "8 7 PassStateExited",
        "9 8 ExecutionSucceeded",
      ],
    },
  },
  {
    name: "task: Retry then success",
    source: `${SPEC}: Retrying after error`,
    definition: {
      StartAt: "T",
      States: {
        T: {
          Type: "Task",
          Resource: fn("flaky"),
          Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 2, IntervalSeconds: 1 }],
          End: true,
        },
      },
    },
    input: { key: "retry-then-success", times: 1 },
    expect: {
      status: "SUCCEEDED",
      output: { attempts: 2 },
      history: [
        "1 0 ExecutionStarted",
        "2 0 TaskStateEntered",
        "3 2 LambdaFunctionScheduled",
        "4 3 LambdaFunctionStarted",
        "5 4 LambdaFunctionFailed",
        "6 5 LambdaFunctionScheduled",
        "7 6 LambdaFunctionStarted",
        "8 7 LambdaFunctionSucceeded",
        "9 8 TaskStateExited",
        "10 9 ExecutionSucceeded",
      ],
    },
  },
  // Map
  {
    name: "map: iterations in order",
    source: `${GUIDE}: Map state (inline)`,
    definition: {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemsPath: "$.arr",
          ItemProcessor: { StartAt: "H", States: { H: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    },
    input: { arr: [1, 2, 3] },
    expect: {
      status: "SUCCEEDED",
      output: [1, 2, 3],
      history: [
        "1 0 ExecutionStarted",
        "2 0 MapStateEntered",
        "3 2 MapStateStarted",
        "4 3 MapIterationStarted",
        "5 4 PassStateEntered",
        "6 5 PassStateExited",
        "7 6 MapIterationSucceeded",
        "8 6 MapIterationStarted",
        "9 8 PassStateEntered",
        "10 9 PassStateExited",
        "11 10 MapIterationSucceeded",
        "12 10 MapIterationStarted",
        "13 12 PassStateEntered",
        "14 13 PassStateExited",
        "15 14 MapIterationSucceeded",
        "16 15 MapStateSucceeded",
        "17 15 MapStateExited",
        "18 17 ExecutionSucceeded",
      ],
      details: { 3: { length: 3 }, 8: { index: 1, name: "M" } },
    },
  },
  {
    name: "map: an empty array",
    source: `${GUIDE}: Map state (inline)`,
    definition: {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemProcessor: { StartAt: "H", States: { H: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    },
    input: [],
    expect: {
      status: "SUCCEEDED",
      output: [],
      history: [
        "1 0 ExecutionStarted",
        "2 0 MapStateEntered",
        "3 2 MapStateStarted",
        "4 3 MapStateSucceeded",
        "5 3 MapStateExited",
        "6 5 ExecutionSucceeded",
      ],
    },
  },
  {
    name: "map: ItemSelector with $$.Map.Item",
    source: `${GUIDE}: ItemSelector`,
    definition: {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemsPath: "$.shipped",
          ItemSelector: {
            "parcel.$": "$$.Map.Item.Value",
            "index.$": "$$.Map.Item.Index",
            "courier.$": "$.delivery-partner",
          },
          ItemProcessor: { StartAt: "H", States: { H: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    },
    input: { "delivery-partner": "UQS", shipped: [{ prod: "R31" }, { prod: "S39" }] },
    expect: {
      status: "SUCCEEDED",
      output: [
        { parcel: { prod: "R31" }, index: 0, courier: "UQS" },
        { parcel: { prod: "S39" }, index: 1, courier: "UQS" },
      ],
    },
  },
  {
    name: "map: legacy Iterator and Parameters",
    source: `${SPEC}: Map state (Iterator, Parameters)`,
    definition: {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemsPath: "$.items",
          Parameters: { "item.$": "$$.Map.Item.Value", "tag.$": "$.tag" },
          Iterator: { StartAt: "H", States: { H: { Type: "Pass", End: true } } },
          End: true,
        },
      },
    },
    input: { tag: "t", items: [1, 2] },
    expect: {
      status: "SUCCEEDED",
      output: [
        { item: 1, tag: "t" },
        { item: 2, tag: "t" },
      ],
    },
  },
  {
    name: "map: a failed iteration caught",
    source: `${GUIDE}: Map state errors`,
    definition: {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemsPath: "$.arr",
          ItemProcessor: {
            StartAt: "F",
            States: { F: { Type: "Fail", Error: "HandleItemFailError", Cause: "HandleItemFailCause" } },
          },
          Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
          End: true,
        },
        Caught: { Type: "Pass", End: true },
      },
    },
    input: { arr: [1] },
    expect: {
      status: "SUCCEEDED",
      output: { Error: "HandleItemFailError", Cause: "HandleItemFailCause" },
      history: [
        "1 0 ExecutionStarted",
        "2 0 MapStateEntered",
        "3 2 MapStateStarted",
        "4 3 MapIterationStarted",
        "5 4 FailStateEntered",
        "6 5 MapIterationFailed",
        "7 5 MapStateFailed",
        "8 7 MapStateExited",
        "9 8 PassStateEntered",
        "10 9 PassStateExited",
        "11 10 ExecutionSucceeded",
      ],
    },
  },
  {
    name: "map: a failed iteration fails the execution",
    source: `${GUIDE}: Map state errors`,
    definition: {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          ItemProcessor: { StartAt: "F", States: { F: { Type: "Fail", Error: "E", Cause: "C" } } },
          End: true,
        },
      },
    },
    input: [1],
    expect: {
      status: "FAILED",
      error: "E",
      cause: "C",
      history: [
        "1 0 ExecutionStarted",
        "2 0 MapStateEntered",
        "3 2 MapStateStarted",
        "4 3 MapIterationStarted",
        "5 4 FailStateEntered",
        "6 5 MapIterationFailed",
        "7 5 MapStateFailed",
        "8 7 ExecutionFailed",
      ],
    },
  },
  {
    name: "map: nested Maps",
    source: `${GUIDE}: Map state (inline)`,
    definition: {
      StartAt: "L1",
      States: {
        L1: {
          Type: "Map",
          ItemProcessor: {
            StartAt: "L2",
            States: {
              L2: {
                Type: "Map",
                ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    },
    input: [[1, 2], [3]],
    expect: {
      status: "SUCCEEDED",
      output: [[1, 2], [3]],
      history: [
        "1 0 ExecutionStarted",
        "2 0 MapStateEntered",
        "3 2 MapStateStarted",
        "4 3 MapIterationStarted",
        "5 4 MapStateEntered",
        "6 5 MapStateStarted",
        "7 6 MapIterationStarted",
        "8 7 PassStateEntered",
        "9 8 PassStateExited",
        "10 9 MapIterationSucceeded",
        "11 9 MapIterationStarted",
        "12 11 PassStateEntered",
        "13 12 PassStateExited",
        "14 13 MapIterationSucceeded",
        "15 14 MapStateSucceeded",
        "16 14 MapStateExited",
        "17 16 MapIterationSucceeded",
        "18 16 MapIterationStarted",
        "19 18 MapStateEntered",
        "20 19 MapStateStarted",
        "21 20 MapIterationStarted",
        "22 21 PassStateEntered",
        "23 22 PassStateExited",
        "24 23 MapIterationSucceeded",
        "25 24 MapStateSucceeded",
        "26 24 MapStateExited",
        "27 26 MapIterationSucceeded",
        "28 27 MapStateSucceeded",
        "29 27 MapStateExited",
        "30 29 ExecutionSucceeded",
      ],
    },
  },
  {
    name: "map: MaxConcurrency 1",
    source: `${GUIDE}: Map state (MaxConcurrency)`,
    definition: {
      StartAt: "M",
      States: {
        M: {
          Type: "Map",
          MaxConcurrency: 1,
          ItemProcessor: { StartAt: "T", States: { T: { Type: "Task", Resource: fn("echo"), End: true } } },
          End: true,
        },
      },
    },
    input: ["a", "b"],
    expect: { status: "SUCCEEDED", output: ["a", "b"] },
  },
  // Parallel
  {
    name: "parallel: one branch",
    source: `${SPEC}: Parallel state`,
    definition: {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [{ StartAt: "B", States: { B: { Type: "Pass", End: true } } }],
          End: true,
        },
      },
    },
    input: { x: 1 },
    expect: {
      status: "SUCCEEDED",
      output: [{ x: 1 }],
      history: [
        "1 0 ExecutionStarted",
        "2 0 ParallelStateEntered",
        "3 2 ParallelStateStarted",
        "4 3 PassStateEntered",
        "5 4 PassStateExited",
        "6 5 ParallelStateSucceeded",
        "7 5 ParallelStateExited",
        "8 7 ExecutionSucceeded",
      ],
    },
  },
  {
    name: "parallel: branch outputs in branch order",
    source: `${SPEC}: Parallel state example (LookupCustomerInfo)`,
    definition: {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "A",
              States: {
                A: { Type: "Pass", Result: { branch: 0 }, Next: "A2" },
                A2: { Type: "Pass", End: true },
              },
            },
            { StartAt: "B", States: { B: { Type: "Pass", Result: { branch: 1 }, End: true } } },
          ],
          End: true,
        },
      },
    },
    expect: { status: "SUCCEEDED", output: [{ branch: 0 }, { branch: 1 }] },
  },
  {
    name: "parallel: a failed branch",
    source: `${SPEC}: Parallel state errors`,
    definition: {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [{ StartAt: "F", States: { F: { Type: "Fail", Error: "FailureType" } } }],
          End: true,
        },
      },
    },
    expect: {
      status: "FAILED",
      error: "FailureType",
      history: [
        "1 0 ExecutionStarted",
        "2 0 ParallelStateEntered",
        "3 2 ParallelStateStarted",
        "4 3 FailStateEntered",
        "5 4 ParallelStateFailed",
        "6 5 ExecutionFailed",
      ],
      details: { 6: { error: "FailureType" } },
    },
  },
  {
    name: "parallel: a failed branch caught",
    source: `${SPEC}: Parallel state errors`,
    definition: {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "F",
              States: { F: { Type: "Fail", Error: "FailureType", Cause: "Cause description" } },
            },
          ],
          Catch: [{ ErrorEquals: ["FailureType"], Next: "FinalCaught" }],
          End: true,
        },
        FinalCaught: { Type: "Pass", End: true },
      },
    },
    expect: {
      status: "SUCCEEDED",
      output: { Error: "FailureType", Cause: "Cause description" },
      history: [
        "1 0 ExecutionStarted",
        "2 0 ParallelStateEntered",
        "3 2 ParallelStateStarted",
        "4 3 FailStateEntered",
        "5 4 ParallelStateFailed",
        "6 5 ParallelStateExited",
        "7 6 PassStateEntered",
        "8 7 PassStateExited",
        "9 8 ExecutionSucceeded",
      ],
    },
  },
  // Limits
  {
    name: "input over 256 KB is refused",
    source: `${GUIDE}: quotas (input and output size 256 KiB)`,
    definition: pass({}),
    input: { big: "x".repeat(256 * 1024) },
    expect: { refused: "InvalidExecutionInput" },
  },
  {
    name: "a state output over 256 KB fails with States.DataLimitExceeded, which States.ALL does not catch",
    source: `${GUIDE}: error names (States.DataLimitExceeded)`,
    definition: {
      StartAt: "Grow",
      States: {
        Grow: {
          Type: "Pass",
          Parameters: { "twice.$": "States.Array($.s, $.s)" },
          End: true,
        },
      },
    },
    input: { s: "x".repeat(150 * 1024) },
    expect: {
      status: "FAILED",
      error: "States.DataLimitExceeded",
      history: ["1 0 ExecutionStarted", "2 0 PassStateEntered", "3 2 ExecutionFailed"],
    },
  },
  ...JSONATA_CASES,
];
