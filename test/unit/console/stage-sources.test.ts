import { describe, expect, it } from "vitest";
import { stageSources } from "../../../cli/console.js";

const API = "https://abc123.execute-api.eu-west-1.amazonaws.com";

describe("stageSources", () => {
  it("takes the API URL from --api-url, else from the last deploy's api output", () => {
    expect(stageSources({ stage: "prod", "api-url": API, region: "eu-west-1" }, {}, () => undefined)).toEqual(
      {
        apiUrl: API,
        region: "eu-west-1",
        stage: "prod",
        label: "stage prod in eu-west-1",
      },
    );
    const fromOutputs = stageSources({ stage: "prod" }, { AWS_REGION: "eu-west-1" }, () =>
      JSON.stringify({ api: API }),
    );
    expect(fromOutputs.apiUrl).toBe(API);
    expect(fromOutputs.credentials).toBeUndefined();
  });

  it("says what is missing: the API URL, an https URL, the region, a stage name", () => {
    expect(() => stageSources({ stage: "prod", region: "r" }, {}, () => undefined)).toThrow(/give --api-url/);
    expect(() =>
      stageSources({ stage: "prod", "api-url": "http://x", region: "r" }, {}, () => undefined),
    ).toThrow(/must be an https URL/);
    expect(() => stageSources({ stage: "prod", "api-url": API }, {}, () => undefined)).toThrow(/--region/);
    expect(() => stageSources({ stage: "../x", "api-url": API, region: "r" }, {}, () => undefined)).toThrow(
      /stage name/,
    );
  });
});
