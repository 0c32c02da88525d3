/** An HTTP API route key (`GET /brokers/{id}`) matched against a request, as API Gateway matches it. */
export interface RouteMatch {
  routeKey: string;
  pathParameters: Record<string, string>;
}

/** The route whose method and path template fit; `{name}` takes one segment, `{name+}` the rest. */
export function matchRoute(
  routeKeys: readonly string[],
  method: string,
  path: string,
): RouteMatch | undefined {
  const segments = path.split("/").filter((segment) => segment !== "");
  for (const routeKey of routeKeys) {
    const [routeMethod = "", template = ""] = routeKey.split(" ");
    if (routeMethod !== "ANY" && routeMethod !== method) continue;
    const parts = template.split("/").filter((part) => part !== "");
    const pathParameters: Record<string, string> = {};
    let matched = true;
    for (const [index, part] of parts.entries()) {
      const greedy = /^\{(.+)\+\}$/.exec(part);
      if (greedy !== null) {
        if (index >= segments.length) matched = false;
        else pathParameters[greedy[1] ?? ""] = segments.slice(index).join("/");
        break;
      }
      const segment = segments[index];
      const parameter = /^\{(.+)\}$/.exec(part);
      if (segment === undefined || (parameter === null && segment !== part)) {
        matched = false;
        break;
      }
      if (parameter !== null) pathParameters[parameter[1] ?? ""] = decodeURIComponent(segment);
      if (index === parts.length - 1 && segments.length !== parts.length) matched = false;
    }
    if (parts.length === 0 && segments.length !== 0) matched = false;
    if (matched) return { routeKey, pathParameters };
  }
  return undefined;
}
