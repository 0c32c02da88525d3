import { describe, expect, it } from "vitest";
import { javaDouble, reasonDate } from "../../../../../local/cloudwatch/alarms/format.js";

describe("javaDouble", () => {
  it.each([
    [0, "0.0"],
    [50, "50.0"],
    [-3, "-3.0"],
    [1.5, "1.5"],
    [99.50160229693434, "99.50160229693434"],
    [0.0666851903306472, "0.0666851903306472"],
    [45628, "45628.0"],
    [1e7, "1.0E7"],
    [12345678.9, "1.23456789E7"],
    [0.0001, "1.0E-4"],
  ])("writes %d as Java's Double.toString does: %s", (value, text) => {
    expect(javaDouble(value)).toBe(text);
  });
});

describe("reasonDate", () => {
  it("writes dd/MM/yy HH:mm:ss in UTC", () => {
    expect(reasonDate(Date.parse("2019-10-02T16:59:00Z"))).toBe("02/10/19 16:59:00");
  });
});
