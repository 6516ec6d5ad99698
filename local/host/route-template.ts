// HTTP trigger routes as far as our app uses them: literal segments (matched case-insensitively, as Azure does) and
// whole-segment parameters `{name}`. Azure accepts ASP.NET's full template grammar (optional and default values,
// constraints, complex segments, catch-all); the local host refuses those at start-up rather than serve them
// half-right, so a route that needs one is noticed the day it is written (docs/adr/0003-local-functions-host.md).

interface Literal {
  readonly kind: "literal";
  readonly text: string;
}

interface Parameter {
  readonly kind: "parameter";
  readonly name: string;
}

type Segment = Literal | Parameter;

export interface RouteTemplate {
  readonly text: string;
  readonly segments: readonly Segment[];
}

export type RouteParams = Record<string, string>;

export class RouteTemplateError extends Error {
  override readonly name = "RouteTemplateError";
}

const parameterPattern = /^\{([A-Za-z_][A-Za-z0-9_-]*)\}$/;

function parseSegment(segment: string, template: string): Segment {
  const parameter = parameterPattern.exec(segment);
  if (parameter?.[1] !== undefined) return { kind: "parameter", name: parameter[1] };
  if (segment === "") throw new RouteTemplateError(`Route "${template}" has an empty segment`);
  if (/[{}]/.test(segment)) {
    throw new RouteTemplateError(
      `Route "${template}" uses "${segment}": the local host supports literal segments and whole-segment ` +
        "{name} parameters only (no constraints, optional or default values, catch-all or complex segments)",
    );
  }
  return { kind: "literal", text: segment };
}

export function parseRouteTemplate(template: string): RouteTemplate {
  const text = template.replace(/^\/+|\/+$/g, "");
  const segments = text === "" ? [] : text.split("/").map((s) => parseSegment(s, template));
  const names = new Set<string>();
  for (const segment of segments) {
    if (segment.kind !== "parameter") continue;
    const key = segment.name.toLowerCase();
    if (names.has(key)) throw new RouteTemplateError(`Route "${template}" has the parameter "${segment.name}" twice`);
    names.add(key);
  }
  return { text, segments };
}

/**
 * Orders templates most specific first: segment by segment a literal beats a parameter, as in ASP.NET's inbound
 * precedence, so `…/debtpositions/bulk` wins over `…/debtpositions/{iupd}` whatever the registration order. Ties fall
 * back to the text so the order is stable.
 */
export function comparePrecedence(a: RouteTemplate, b: RouteTemplate): number {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const rank = (s: Segment | undefined) => (s === undefined ? 0 : s.kind === "literal" ? 1 : 2);
    const diff = rank(a.segments[i]) - rank(b.segments[i]);
    if (diff !== 0) return diff;
  }
  const [left, right] = [a.text.toLowerCase(), b.text.toLowerCase()];
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Splits a raw URL path into decoded segments; undefined when the path is not valid percent-encoding. */
export function splitPath(rawPath: string): string[] | undefined {
  const trimmed = rawPath.replace(/^\/+/, "").replace(/\/$/, "");
  if (trimmed === "") return [];
  try {
    return trimmed.split("/").map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

/** The route values when the path segments match the template, otherwise undefined. */
export function matchRoute(template: RouteTemplate, pathSegments: readonly string[]): RouteParams | undefined {
  if (pathSegments.length !== template.segments.length) return undefined;
  const params: RouteParams = {};
  for (const [index, segment] of template.segments.entries()) {
    const value = pathSegments[index] ?? "";
    if (segment.kind === "literal") {
      if (segment.text.toLowerCase() !== value.toLowerCase()) return undefined;
    } else {
      if (value === "") return undefined;
      params[segment.name] = value;
    }
  }
  return params;
}
