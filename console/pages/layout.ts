import { type Html, html, raw } from "../html.js";

export interface PageOptions {
  title: string;
  /** The nav entry to mark as the current page. */
  section: "brokers" | "executions" | "none";
  /** What the console runs against, in the header. */
  source: string;
  /** Seconds between live refreshes of <main>; unset, the page does not refresh. */
  refreshSeconds?: number;
  csrfToken: string;
  body: Html;
}

/**
 * The page shell: the content is server-rendered HTML that works without script; console.js adds live
 * refresh of <main>, copy buttons and the uPlot charts.
 */
export function page(options: PageOptions): Html {
  const current = (section: PageOptions["section"]) =>
    options.section === section ? raw(' aria-current="page"') : undefined;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${options.csrfToken}">
<title>${options.title} · mqops console</title>
<link rel="stylesheet" href="/assets/uPlot.min.css">
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/uPlot.iife.min.js" defer></script>
<script src="/assets/console.js" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="/brokers">mqops</a>
<nav aria-label="Main">
<a href="/brokers"${current("brokers")}>Brokers</a>
<a href="/executions"${current("executions")}>Executions</a>
</nav>
<span class="source">${options.source}</span>
</header>
<main id="main" data-refresh="${options.refreshSeconds}">
${options.body}
</main>
</body>
</html>`;
}

/** A status as a badge whose colour comes from its class (text stays readable without colour). */
export function badge(status: string): Html {
  const tone = /FAILED|TIMED_OUT|ABORTED|DELETION|CRITICAL/.test(status)
    ? "bad"
    : /RUNNING|SUCCEEDED/.test(status) && !/IN_PROGRESS/.test(status)
      ? "good"
      : "busy";
  return html`<span class="badge badge--${tone}">${status}</span>`;
}
