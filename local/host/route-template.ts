// ASP.NET-style route templates as the Azure Functions host interprets `route` on an HTTP trigger: literal segments
// (case-insensitive), `{name}`, `{name?}`, `{name=default}`, inline constraints (`{id:int:min(1)}`), complex segments
// (`{name}.{ext}`) and a trailing catch-all (`{*rest}`). Precedence follows ASP.NET's inbound ordering so that a
// literal segment beats a parameter in the same position.

type Constraint = (value: string) => boolean;

interface LiteralPart {
  readonly kind: "literal";
  readonly text: string;
}

interface ParameterPart {
  readonly kind: "parameter";
  readonly name: string;
  readonly optional: boolean;
  readonly catchAll: boolean;
  readonly defaultValue: string | undefined;
  readonly constraints: readonly Constraint[];
}

type Part = LiteralPart | ParameterPart;

interface Segment {
  readonly parts: readonly Part[];
  // Only complex segments (more than one part) are matched by regex; greedy groups give ASP.NET's right-to-left
  // result ("{name}.{ext}" on "a.b.pdf" is name "a.b").
  readonly pattern: RegExp | undefined;
}

export interface RouteTemplate {
  readonly text: string;
  readonly segments: readonly Segment[];
  // One digit per segment, lower is more specific: 1 literal, 2 complex, 3 constrained parameter, 4 parameter,
  // 5 catch-all (ASP.NET RoutePrecedence.ComputeInbound).
  readonly precedence: readonly number[];
}

export type RouteParams = Record<string, string>;

export class RouteTemplateError extends Error {
  override readonly name = "RouteTemplateError";
}

const int32 = { min: -2147483648, max: 2147483647 };
const integerPattern = /^[-+]?\d+$/;
const decimalPattern = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const guidPattern =
  /^(\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?|\([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\))$/i;

function numericArgs(name: string, args: string | undefined, count: readonly number[]): number[] {
  const values = (args ?? "").split(",").map((arg) => arg.trim());
  const numbers = values.map(Number);
  if (!count.includes(values.length) || values.some((v) => !integerPattern.test(v))) {
    throw new RouteTemplateError(`Constraint "${name}" expects ${count.join(" or ")} integer argument(s)`);
  }
  return numbers;
}

function isInt32(value: string): boolean {
  if (!integerPattern.test(value)) return false;
  const n = Number(value);
  return n >= int32.min && n <= int32.max;
}

function isLong(value: string): boolean {
  if (!integerPattern.test(value)) return false;
  const n = BigInt(value);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

function makeConstraint(name: string, args: string | undefined): Constraint {
  switch (name.toLowerCase()) {
    case "int":
      return isInt32;
    case "long":
      return isLong;
    case "bool":
      return (v) => /^(true|false)$/i.test(v);
    case "alpha":
      return (v) => /^[a-z]+$/i.test(v);
    case "guid":
      return (v) => guidPattern.test(v);
    case "datetime":
      return (v) => !Number.isNaN(Date.parse(v));
    case "decimal":
    case "double":
    case "float":
      return (v) => decimalPattern.test(v);
    case "required":
      return (v) => v.length > 0;
    case "min": {
      const [min = 0] = numericArgs(name, args, [1]);
      return (v) => isLong(v) && Number(v) >= min;
    }
    case "max": {
      const [max = 0] = numericArgs(name, args, [1]);
      return (v) => isLong(v) && Number(v) <= max;
    }
    case "range": {
      const [min = 0, max = 0] = numericArgs(name, args, [2]);
      return (v) => isLong(v) && Number(v) >= min && Number(v) <= max;
    }
    case "minlength": {
      const [min = 0] = numericArgs(name, args, [1]);
      return (v) => v.length >= min;
    }
    case "maxlength": {
      const [max = 0] = numericArgs(name, args, [1]);
      return (v) => v.length <= max;
    }
    case "length": {
      const [a = 0, b] = numericArgs(name, args, [1, 2]);
      return b === undefined ? (v) => v.length === a : (v) => v.length >= a && v.length <= b;
    }
    case "regex": {
      if (args === undefined) throw new RouteTemplateError(`Constraint "regex" needs a pattern`);
      // ASP.NET's regex constraint is case-insensitive and not implicitly anchored; braces are doubled in templates.
      const pattern = new RegExp(args.replace(/\{\{/g, "{").replace(/\}\}/g, "}"), "i");
      return (v) => pattern.test(v);
    }
    default:
      throw new RouteTemplateError(`Unknown route constraint "${name}"`);
  }
}

// Splits "name:c1:c2(args)=default" at top-level ':' and '=' so a regex argument may contain both.
function parseParameter(body: string, template: string): ParameterPart {
  let rest = body;
  let catchAll = false;
  if (rest.startsWith("**")) {
    catchAll = true;
    rest = rest.slice(2);
  } else if (rest.startsWith("*")) {
    catchAll = true;
    rest = rest.slice(1);
  }
  let optional = false;
  if (rest.endsWith("?")) {
    optional = true;
    rest = rest.slice(0, -1);
  }

  const pieces: string[] = [];
  let defaultValue: string | undefined;
  let depth = 0;
  let current = "";
  for (let i = 0; i < rest.length; i++) {
    const ch = rest.charAt(i);
    if (ch === "\\" && depth > 0) {
      current += ch + rest.charAt(i + 1);
      i++;
      continue;
    }
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (depth === 0 && ch === ":") {
      pieces.push(current);
      current = "";
    } else if (depth === 0 && ch === "=") {
      defaultValue = rest.slice(i + 1);
      break;
    } else {
      current += ch;
    }
  }
  pieces.push(current);

  const [name = "", ...constraintTexts] = pieces;
  if (!/^[A-Za-z_][\w-]*$/.test(name)) {
    throw new RouteTemplateError(`Invalid parameter name "${name}" in route "${template}"`);
  }
  const constraints = constraintTexts.map((text) => {
    const match = /^([A-Za-z]+)(?:\((.*)\))?$/s.exec(text);
    if (!match?.[1]) throw new RouteTemplateError(`Invalid constraint "${text}" in route "${template}"`);
    return makeConstraint(match[1], match[2]);
  });
  return { kind: "parameter", name, optional, catchAll, defaultValue, constraints };
}

function parseSegment(text: string, template: string): Segment {
  const parts: Part[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (ch === "{" && text.charAt(i + 1) === "{") {
      literal += "{";
      i += 2;
    } else if (ch === "}" && text.charAt(i + 1) === "}") {
      literal += "}";
      i += 2;
    } else if (ch === "{") {
      // A regex constraint may contain braces of its own; track nesting to find the closing one.
      let depth = 1;
      let j = i + 1;
      while (j < text.length && depth > 0) {
        if (text.charAt(j) === "{") depth++;
        if (text.charAt(j) === "}") depth--;
        j++;
      }
      if (depth !== 0) throw new RouteTemplateError(`Unbalanced "{" in route "${template}"`);
      if (literal) parts.push({ kind: "literal", text: literal });
      literal = "";
      parts.push(parseParameter(text.slice(i + 1, j - 1), template));
      i = j;
    } else if (ch === "}") {
      throw new RouteTemplateError(`Unbalanced "}" in route "${template}"`);
    } else {
      literal += ch;
      i++;
    }
  }
  if (literal) parts.push({ kind: "literal", text: literal });

  if (parts.length === 0) throw new RouteTemplateError(`Empty segment in route "${template}"`);
  const parameters = parts.filter((p): p is ParameterPart => p.kind === "parameter");
  if (parts.length > 1 && parameters.some((p) => p.catchAll)) {
    throw new RouteTemplateError(`A catch-all parameter must be a whole segment in route "${template}"`);
  }
  for (let k = 1; k < parts.length; k++) {
    if (parts[k]?.kind === "parameter" && parts[k - 1]?.kind === "parameter") {
      throw new RouteTemplateError(`Two parameters must be separated by a literal in route "${template}"`);
    }
  }

  let pattern: RegExp | undefined;
  if (parts.length > 1) {
    const source = parts
      .map((p) => (p.kind === "literal" ? p.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : p.optional ? "(.*)" : "(.+)"))
      .join("");
    pattern = new RegExp(`^${source}$`, "i");
  }
  return { parts, pattern };
}

function segmentPrecedence(segment: Segment): number {
  const [only] = segment.parts;
  if (segment.parts.length > 1 || !only) return 2;
  if (only.kind === "literal") return 1;
  if (only.catchAll) return 5;
  return only.constraints.length > 0 ? 3 : 4;
}

export function parseRouteTemplate(template: string): RouteTemplate {
  const text = template.replace(/^[~]?\/+/, "").replace(/\/+$/, "");
  const segments = text === "" ? [] : text.split("/").map((s) => parseSegment(s, template));
  const names = new Set<string>();
  segments.forEach((segment, index) => {
    for (const part of segment.parts) {
      if (part.kind !== "parameter") continue;
      const key = part.name.toLowerCase();
      if (names.has(key)) throw new RouteTemplateError(`Duplicate parameter "${part.name}" in route "${template}"`);
      names.add(key);
      if (part.catchAll && index !== segments.length - 1) {
        throw new RouteTemplateError(`A catch-all parameter must be the last segment in route "${template}"`);
      }
    }
  });
  return { text, segments, precedence: segments.map(segmentPrecedence) };
}

/** Orders templates most specific first; ties fall back to the template text so the order is stable. */
export function comparePrecedence(a: RouteTemplate, b: RouteTemplate): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.precedence[i] ?? 0) - (b.precedence[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return a.text.toLowerCase() < b.text.toLowerCase() ? -1 : a.text.toLowerCase() > b.text.toLowerCase() ? 1 : 0;
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

function acceptValue(part: ParameterPart, value: string, params: RouteParams): boolean {
  if (!part.constraints.every((accepts) => accepts(value))) return false;
  params[part.name] = value;
  return true;
}

function matchComplexSegment(segment: Segment, value: string, params: RouteParams): boolean {
  const match = segment.pattern?.exec(value);
  if (!match) return false;
  const parameters = segment.parts.filter((p): p is ParameterPart => p.kind === "parameter");
  return parameters.every((part, index) => {
    const captured = match[index + 1] ?? "";
    if (captured === "") {
      if (part.defaultValue !== undefined) params[part.name] = part.defaultValue;
      return part.optional || part.defaultValue !== undefined;
    }
    return acceptValue(part, captured, params);
  });
}

/** Returns the route values when the path segments match the template, otherwise undefined. */
export function matchRoute(template: RouteTemplate, pathSegments: readonly string[]): RouteParams | undefined {
  const params: RouteParams = {};
  let index = 0;
  for (const segment of template.segments) {
    const [only] = segment.parts;
    if (segment.parts.length === 1 && only?.kind === "parameter" && only.catchAll) {
      const rest = pathSegments.slice(index).join("/");
      index = pathSegments.length;
      if (rest === "") {
        if (only.defaultValue !== undefined) params[only.name] = only.defaultValue;
        continue;
      }
      if (!acceptValue(only, rest, params)) return undefined;
      continue;
    }

    const value = pathSegments[index];
    if (value === undefined) {
      // Missing trailing segments are fine only for optional or defaulted parameters.
      if (segment.parts.length !== 1 || only?.kind !== "parameter") return undefined;
      if (only.defaultValue !== undefined) params[only.name] = only.defaultValue;
      else if (!only.optional) return undefined;
      continue;
    }
    index++;

    if (segment.parts.length > 1) {
      if (!matchComplexSegment(segment, value, params)) return undefined;
    } else if (only?.kind === "literal") {
      if (only.text.toLowerCase() !== value.toLowerCase()) return undefined;
    } else if (only) {
      if (value === "" || !acceptValue(only, value, params)) return undefined;
    }
  }
  return index === pathSegments.length ? params : undefined;
}
