// Query parameters as pagoPA's Java service (Spring) binds them, so clients written against it keep working:
// booleans in any of Spring's spellings, and the `segregationCodes` parameter API Management injects.
import { DomainError } from "../domain/errors";

// Spring's StringToBooleanConverter: trimmed, case-insensitive; an empty value means "not given".
const trueValues = new Set(["true", "on", "yes", "1"]);
const falseValues = new Set(["false", "off", "no", "0"]);

const shown = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

/** A boolean query parameter: `fallback` when absent or empty, 400 for anything Spring would not bind. */
export function parseBooleanParam(name: string, value: string | null | undefined, fallback: boolean): boolean {
  const text = value?.trim().toLowerCase() ?? "";
  if (text === "") return fallback;
  if (trueValues.has(text)) return true;
  if (falseValues.has(text)) return false;
  throw new DomainError("BAD_REQUEST", `Invalid value ${shown(value ?? "")} for property ${name}`);
}

const segregationCodesPattern = /^\d{2}(,\d{2})*$/;

/** `segregationCodes` (`\d{2}(,\d{2})*`): undefined when absent, 400 when malformed. */
export function parseSegregationCodesParam(value: string | null | undefined): string[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (!segregationCodesPattern.test(value)) {
    throw new DomainError(
      "BAD_REQUEST",
      `Invalid value ${shown(value)} for property segregationCodes; expected two-digit codes separated by commas (e.g. 01,02)`,
    );
  }
  return [...new Set(value.split(","))];
}

/**
 * The codes a request may use: the key's own codes narrowed by the requested ones. A request can only ever see
 * less than its key allows: with no codes on the key the requested ones apply, otherwise the intersection (which
 * may be empty: then nothing is visible).
 */
export function narrowSegregationCodes(
  keyCodes: readonly string[] | undefined,
  requested: readonly string[] | undefined,
): readonly string[] | undefined {
  if (requested === undefined) return keyCodes;
  if (keyCodes === undefined) return requested;
  return keyCodes.filter((code) => requested.includes(code));
}

// Taken by every operation: the key as API Management accepts it, API Management's segregation codes, and the
// Functions host's own function key (`code`).
const acceptedEverywhere = new Set(["subscription-key", "segregationCodes", "code"]);

/**
 * Refuses query parameters the operation does not take, naming them: a misspelt `pgae=0` or `topublish=true` would
 * otherwise be ignored and the caller would get an answer to another question.
 */
export function refuseUnknownQueryParameters(
  query: URLSearchParams | Readonly<Record<string, string | undefined>>,
  known: readonly string[],
): void {
  const names = query instanceof URLSearchParams ? [...query.keys()] : Object.keys(query);
  const unknown = [...new Set(names)].filter((name) => !known.includes(name) && !acceptedEverywhere.has(name));
  if (unknown.length === 0) return;
  const listed = unknown.slice(0, 5).map(shown).join(", ");
  const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : "";
  throw new DomainError(
    "BAD_REQUEST",
    `Unknown query parameter ${listed}${more}: this operation takes ${known.length === 0 ? "none" : known.join(", ")}`,
  );
}
