import type { ConformanceCase } from "./case.js";
import { fn } from "./runner.js";

const GUIDE = "Step Functions developer guide";
const jsonata = (States: Record<string, unknown>, StartAt = Object.keys(States)[0]) => ({
  QueryLanguage: "JSONata",
  StartAt,
  States,
});

/** Cases for JSONata (`QueryLanguage: "JSONata"`) and variables, from the developer guide's examples. */
export const JSONATA_CASES: ConformanceCase[] = [
  {
    name: "jsonata: Pass with Output",
    source: `${GUIDE}: Transforming data with JSONata`,
    definition: jsonata({
      P: {
        Type: "Pass",
        Output: { customer: "{% $states.input.customer %}", total: "{% $sum($states.input.items.price) %}" },
        End: true,
      },
    }),
    input: { customer: "Ana", items: [{ price: 10 }, { price: 5.5 }] },
    expect: {
      status: "SUCCEEDED",
      output: { customer: "Ana", total: 15.5 },
      history: [
        "1 0 ExecutionStarted",
        "2 0 PassStateEntered",
        "3 2 PassStateExited",
        "4 3 ExecutionSucceeded",
      ],
    },
  },
  {
    name: "jsonata: Output as one expression",
    source: `${GUIDE}: Transforming data with JSONata`,
    definition: jsonata({ P: { Type: "Pass", Output: "{% $uppercase($states.input.name) %}", End: true } }),
    input: { name: "step" },
    expect: { status: "SUCCEEDED", output: "STEP" },
  },
  {
    name: "jsonata: Assign then read a variable in a later state",
    source: `${GUIDE}: Passing data between states with variables`,
    definition: jsonata({
      First: {
        Type: "Pass",
        Assign: { productName: "product1", count: 42, available: true },
        Next: "Second",
      },
      Second: {
        Type: "Pass",
        Output: { name: "{% $productName %}", count: "{% $count %}", available: "{% $available %}" },
        End: true,
      },
    }),
    expect: { status: "SUCCEEDED", output: { name: "product1", count: 42, available: true } },
  },
  {
    name: "jsonata: Assign reads the values from before the state",
    source: `${GUIDE}: Passing data between states with variables (evaluation order)`,
    definition: jsonata({
      Init: { Type: "Pass", Assign: { a: 1 }, Next: "Swap" },
      Swap: { Type: "Pass", Assign: { a: "{% $a + 1 %}", b: "{% $a %}" }, Output: "{% $a %}", Next: "Read" },
      Read: {
        Type: "Pass",
        Output: { a: "{% $a %}", b: "{% $b %}", before: "{% $states.input %}" },
        End: true,
      },
    }),
    expect: { status: "SUCCEEDED", output: { a: 2, b: 1, before: 1 } },
  },
  {
    name: "jsonata: Choice Condition",
    source: `${GUIDE}: Choice state (JSONata)`,
    definition: jsonata({
      C: {
        Type: "Choice",
        Choices: [
          { Condition: "{% $states.input.type != 'Private' %}", Next: "Public" },
          {
            Condition: "{% $states.input.value >= 20 and $states.input.value < 30 %}",
            Next: "ValueInTwenties",
          },
        ],
        Default: "DefaultState",
      },
      Public: { Type: "Pass", Output: "public", End: true },
      ValueInTwenties: { Type: "Pass", Output: "twenties", End: true },
      DefaultState: { Type: "Fail", Error: "DefaultStateError", Cause: "No Matches!" },
    }),
    input: { type: "Private", value: 22 },
    expect: {
      status: "SUCCEEDED",
      output: "twenties",
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
  {
    name: "jsonata: Choice rule with Assign and Output",
    source: `${GUIDE}: Choice state (JSONata)`,
    definition: jsonata({
      C: {
        Type: "Choice",
        Choices: [
          {
            Condition: "{% $states.input.n > 1 %}",
            Assign: { big: true },
            Output: { n: "{% $states.input.n * 2 %}" },
            Next: "Done",
          },
        ],
        Default: "Done",
      },
      Done: { Type: "Pass", Output: { n: "{% $states.input.n %}", big: "{% $big %}" }, End: true },
    }),
    input: { n: 5 },
    expect: { status: "SUCCEEDED", output: { n: 10, big: true } },
  },
  {
    name: "jsonata: Choice without a match fails with States.NoChoiceMatched",
    source: `${GUIDE}: Choice state`,
    definition: jsonata({
      C: { Type: "Choice", Choices: [{ Condition: "{% false %}", Next: "S" }] },
      S: { Type: "Succeed" },
    }),
    expect: { status: "FAILED", error: "States.NoChoiceMatched" },
  },
  {
    name: "jsonata: Task Arguments and Output from $states.result",
    source: `${GUIDE}: Task state (JSONata)`,
    definition: jsonata({
      T: {
        Type: "Task",
        Resource: fn("echo"),
        Arguments: { greeting: "{% 'Hello ' & $states.input.name %}" },
        Output: { said: "{% $states.result.greeting %}", from: "{% $states.input.name %}" },
        End: true,
      },
    }),
    input: { name: "Ada" },
    expect: {
      status: "SUCCEEDED",
      output: { said: "Hello Ada", from: "Ada" },
      history: [
        "1 0 ExecutionStarted",
        "2 0 TaskStateEntered",
        "3 2 LambdaFunctionScheduled",
        "4 3 LambdaFunctionStarted",
        "5 4 LambdaFunctionSucceeded",
        "6 5 TaskStateExited",
        "7 6 ExecutionSucceeded",
      ],
      details: {
        3: { resource: fn("echo"), input: '{"greeting":"Hello Ada"}', inputDetails: { truncated: false } },
      },
    },
  },
  {
    name: "jsonata: Catch Output and Assign from $states.errorOutput",
    source: `${GUIDE}: Handling errors (JSONata)`,
    definition: jsonata({
      T: {
        Type: "Task",
        Resource: fn("fail"),
        Arguments: { message: "boom" },
        Catch: [
          {
            ErrorEquals: ["States.ALL"],
            Output: { error: "{% $states.errorOutput.Error %}", input: "{% $states.input %}" },
            Assign: { failedWith: "{% $parse($states.errorOutput.Cause).errorMessage %}" },
            Next: "Handled",
          },
        ],
        End: true,
      },
      Handled: {
        Type: "Pass",
        Output: { caught: "{% $states.input %}", cause: "{% $failedWith %}" },
        End: true,
      },
    }),
    input: { a: 1 },
    expect: {
      status: "SUCCEEDED",
      output: { caught: { error: "CustomError", input: { a: 1 } }, cause: "boom" },
    },
  },
  {
    name: "jsonata: Retry then success",
    source: `${GUIDE}: Handling errors (Retry)`,
    definition: jsonata({
      T: {
        Type: "Task",
        Resource: fn("flaky"),
        Arguments: { key: "jsonata-retry", times: 1 },
        Retry: [{ ErrorEquals: ["CustomError"], MaxAttempts: 2 }],
        End: true,
      },
    }),
    expect: { status: "SUCCEEDED", output: { attempts: 2 } },
  },
  {
    name: "jsonata: Map Items and ItemSelector with $states.context.Map.Item",
    source: `${GUIDE}: Map state (JSONata, ItemSelector)`,
    definition: jsonata({
      M: {
        Type: "Map",
        Items: "{% $states.input.shipped %}",
        ItemSelector: {
          parcel: "{% $states.context.Map.Item.Value %}",
          index: "{% $states.context.Map.Item.Index %}",
          courier: "{% $states.input.'delivery-partner' %}",
        },
        ItemProcessor: { StartAt: "H", States: { H: { Type: "Pass", End: true } } },
        End: true,
      },
    }),
    input: { "delivery-partner": "UQS", shipped: [{ prod: "R31" }, { prod: "S39" }] },
    expect: {
      status: "SUCCEEDED",
      output: [
        { parcel: { prod: "R31" }, index: 0, courier: "UQS" },
        { parcel: { prod: "S39" }, index: 1, courier: "UQS" },
      ],
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
        "12 11 MapStateSucceeded",
        "13 11 MapStateExited",
        "14 13 ExecutionSucceeded",
      ],
      details: { 3: { length: 2 } },
    },
  },
  {
    name: "jsonata: Items that are not an array fail with States.QueryEvaluationError",
    source: `${GUIDE}: Map state (JSONata, Items)`,
    definition: jsonata({
      M: {
        Type: "Map",
        Items: "{% $states.input.n %}",
        ItemProcessor: { StartAt: "H", States: { H: { Type: "Pass", End: true } } },
        End: true,
      },
    }),
    input: { n: 3 },
    expect: { status: "FAILED", error: "States.QueryEvaluationError" },
  },
  {
    name: "jsonata: an iteration reads outer variables, its assignments stay inside",
    source: `${GUIDE}: Passing data between states with variables (scope)`,
    definition: jsonata({
      Init: { Type: "Pass", Assign: { x: 1 }, Next: "M" },
      M: {
        Type: "Map",
        Items: "{% [10, 20] %}",
        ItemProcessor: {
          StartAt: "Inner",
          States: {
            Inner: {
              Type: "Pass",
              Assign: { x: "{% $states.input %}" },
              Output: "{% $states.input + $x %}",
              End: true,
            },
          },
        },
        Next: "After",
      },
      After: { Type: "Pass", Output: { results: "{% $states.input %}", x: "{% $x %}" }, End: true },
    }),
    expect: { status: "SUCCEEDED", output: { results: [11, 21], x: 1 } },
  },
  {
    name: "jsonata: Parallel Arguments and branch results",
    source: `${GUIDE}: Parallel state (JSONata)`,
    definition: jsonata({
      P: {
        Type: "Parallel",
        Arguments: { n: "{% $states.input.n %}" },
        Branches: [
          {
            StartAt: "Double",
            States: { Double: { Type: "Pass", Output: "{% $states.input.n * 2 %}", End: true } },
          },
          {
            StartAt: "Square",
            States: {
              Square: { Type: "Pass", Output: "{% $states.input.n * $states.input.n %}", End: true },
            },
          },
        ],
        Output: { double: "{% $states.result[0] %}", square: "{% $states.result[1] %}" },
        End: true,
      },
    }),
    input: { n: 3 },
    expect: { status: "SUCCEEDED", output: { double: 6, square: 9 } },
  },
  {
    name: "jsonata: Fail Error and Cause as expressions",
    source: `${GUIDE}: Fail state (JSONata)`,
    definition: jsonata({
      F: { Type: "Fail", Error: "{% $states.input.code %}", Cause: "{% 'because ' & $states.input.why %}" },
    }),
    input: { code: "Oops", why: "it broke" },
    expect: { status: "FAILED", error: "Oops", cause: "because it broke" },
  },
  {
    name: "jsonata: Wait Seconds as an expression",
    source: `${GUIDE}: Wait state (JSONata)`,
    definition: jsonata({ W: { Type: "Wait", Seconds: "{% $states.input.delay %}", End: true } }),
    input: { delay: 5 },
    expect: { status: "SUCCEEDED", output: { delay: 5 } },
  },
  {
    name: "jsonata: $states.context.Execution",
    source: `${GUIDE}: context object (JSONata)`,
    definition: jsonata({
      P: {
        Type: "Pass",
        Output: { name: "{% $states.context.Execution.Name %}", state: "{% $states.context.State.Name %}" },
        End: true,
      },
    }),
    expect: { status: "SUCCEEDED", output: { name: "run", state: "P" } },
  },
  {
    name: "jsonata: a failing expression is States.QueryEvaluationError",
    source: `${GUIDE}: Transforming data with JSONata (errors)`,
    definition: jsonata({ P: { Type: "Pass", Output: "{% $states.input.missing.deeper %}", End: true } }),
    expect: { status: "FAILED", error: "States.QueryEvaluationError" },
  },
  {
    name: "jsonata: Step Functions' own functions $partition, $range, $hash, $parse",
    source: `${GUIDE}: JSONata functions provided by Step Functions`,
    definition: jsonata({
      P: {
        Type: "Pass",
        Output: {
          partition: "{% $partition([1,2,3,4], 2) %}",
          range: "{% $range(0, 10, 2) %}",
          hash: "{% $hash('input data', 'SHA-1') %}",
          parse: "{% $parse('{\"a\": [1]}') %}",
          sameRandom: "{% $random(7) = $random(7) %}",
        },
        End: true,
      },
    }),
    expect: {
      status: "SUCCEEDED",
      output: {
        partition: [
          [1, 2],
          [3, 4],
        ],
        range: [0, 2, 4, 6, 8, 10],
        hash: "aaff4a450a104cd177d28d18d74485e8cae074b7",
        parse: { a: [1] },
        sameRandom: true,
      },
    },
  },
  {
    name: "jsonata: a state output over 256 KB fails with States.DataLimitExceeded",
    source: `${GUIDE}: error names (States.DataLimitExceeded)`,
    definition: jsonata({
      Grow: {
        Type: "Task",
        Resource: fn("echo"),
        Arguments: "{% [$states.input.s, $states.input.s] %}",
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Caught" }],
        End: true,
      },
      Caught: { Type: "Succeed" },
    }),
    input: { s: "x".repeat(150 * 1024) },
    expect: { status: "FAILED", error: "States.DataLimitExceeded" },
  },
  {
    name: "jsonata: an expression that does not parse is refused",
    source: `${GUIDE}: CreateStateMachine validation (JSONata)`,
    definition: jsonata({ P: { Type: "Pass", Output: "{% $states.input. %}", End: true } }),
    expect: { refused: "InvalidDefinition" },
  },
  {
    name: "jsonata: JSONPath fields are refused",
    source: `${GUIDE}: JSONata (fields not supported)`,
    definition: jsonata({ P: { Type: "Pass", ResultPath: "$.x", End: true } }),
    expect: { refused: "InvalidDefinition" },
  },
];
