// The one way a request that fails its zod schema becomes a 400 (DomainError BAD_REQUEST, mapped to ProblemJson by
// shared/http/problem.ts). Every issue reads `path: message`, in the bean-validation property-path style of the
// debt-position API (docs/domain/api-surface.md); a wrong type or value names the value and what was expected; the
// answer lists at most MAX_REPORTED_PROBLEMS problems, so its size is bounded whatever the request.
import type { z } from "zod";
import { DomainError } from "../domain/errors";

/** An answer names at most this many problems, then how many more there are: its size stays bounded. */
export const MAX_REPORTED_PROBLEMS = 20;

/** `paymentOption[0].transfer[1].amount`. */
export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, seg) => {
    if (typeof seg === "number") return `${acc}[${seg}]`;
    const name = String(seg);
    return acc === "" ? name : `${acc}.${name}`;
  }, "");

const MAX_SHOWN_VALUE = 40;

/** A caller's value as an answer shows it: at most 40 characters. */
export const showValue = (input: unknown): string => {
  const text = typeof input === "string" ? input : ((JSON.stringify(input) as string | undefined) ?? String(input));
  return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE)}…` : text;
};

/** Fields that hold euro cents: a value with decimals there gets the cents hint. */
const centFields = new Set(["amount", "notificationFee"]);

const expectedLabel = (expected: string): string =>
  expected === "int"
    ? "an integer"
    : expected === "object"
      ? "an object"
      : expected === "array"
        ? "an array"
        : `a ${expected}`;

interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  input?: unknown;
  expected?: string;
  values?: readonly unknown[];
}

export interface ProblemOptions {
  /** Where the issues sit (e.g. one position of a bulk body): prepended to each issue's path. */
  prefix?: readonly PropertyKey[];
  /** What an issue about the whole value says (a body that is not an object); its own message otherwise. */
  rootMessage?: string;
  /** Problems found before the schema ran (fields the model does not define), listed first. */
  alsoRefused?: readonly string[];
}

const describeIssue = (issue: IssueLike, rootMessage: string | undefined): string => {
  if (issue.path.length === 0) return rootMessage ?? issue.message;
  const path = formatPath(issue.path);
  const leaf = [...issue.path].reverse().find((s): s is string => typeof s === "string") ?? "body";
  // The type-mismatch wording of the debt-position API: `Invalid value %s for property %s`, plus what was expected.
  if (issue.code === "invalid_value" && issue.input !== undefined) {
    const values = (issue.values ?? []).map((v) => String(v)).join(", ");
    return `${path}: Invalid value ${showValue(issue.input)} for property ${leaf}; expected one of [${values}]`;
  }
  // An amount with decimals is almost always euros where the API wants cents: say so, with the value it would be.
  if (
    issue.code === "invalid_type" &&
    issue.expected === "int" &&
    typeof issue.input === "number" &&
    centFields.has(leaf)
  ) {
    const cents = Math.round(issue.input * 100);
    return `${path}: Invalid value ${showValue(issue.input)} for property ${leaf}; amounts are whole euro cents (${showValue(issue.input)} € is ${cents})`;
  }
  if ((issue.code === "invalid_type" || issue.code === "invalid_union") && issue.input !== undefined) {
    const expected = issue.code === "invalid_union" ? "a string" : expectedLabel(issue.expected ?? "value");
    return `${path}: Invalid value ${showValue(issue.input)} for property ${leaf}; expected ${expected}`;
  }
  return `${path}: ${issue.message}`;
};

/** Each issue of a failed parse as one line of the answer. */
export const problemsOf = (error: z.ZodError, options: ProblemOptions = {}): string[] =>
  error.issues.map((i) =>
    describeIssue({ ...(i as IssueLike), path: [...(options.prefix ?? []), ...i.path] }, options.rootMessage),
  );

/** Throws the 400 listing `found` (duplicates once, at most MAX_REPORTED_PROBLEMS, then a count). */
export const refuse = (found: readonly string[], unchecked = ""): never => {
  const problems = [...new Set(found)];
  const shown = problems.slice(0, MAX_REPORTED_PROBLEMS).join(", ");
  const more = problems.length - MAX_REPORTED_PROBLEMS;
  throw new DomainError("BAD_REQUEST", `${more > 0 ? `${shown}, and ${more} more problem(s)` : shown}${unchecked}`);
};

/** The parsed value, or the 400 naming every problem. */
export const parseRequest = <T>(schema: z.ZodType<T>, value: unknown, options: ProblemOptions = {}): T => {
  const result = schema.safeParse(value, { reportInput: true });
  const earlier = options.alsoRefused ?? [];
  if (result.success && earlier.length === 0) return result.data;
  return refuse([...earlier, ...(result.success ? [] : problemsOf(result.error, options))]);
};
