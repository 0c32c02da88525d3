import { describe, expect, it } from "vitest";
import { html, raw } from "../../../console/html.js";

describe("html", () => {
  it("escapes every interpolated value, so names from AWS never become markup", () => {
    const name = `<script>alert("x")</script>&'`;
    expect(html`<td title="${name}">${name}</td>`.text).toBe(
      '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</td>',
    );
  });

  it("keeps nested html and raw markup, joins arrays and drops undefined, null and false", () => {
    const items = ["a", "<b>"].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${undefined}${null}${false}${raw("<hr>")}${0}`.text).toBe(
      "<ul><li>a</li><li>&lt;b&gt;</li></ul><hr>0",
    );
  });
});
