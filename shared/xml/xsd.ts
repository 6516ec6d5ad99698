// Just enough XML Schema to check our two contracts (paForNode.xsd + sac-common-types, FlussoRiversamento 1.0.4)
// element by element, in code, without a schema engine: sequences with min/max occurrences and simple choices, and the
// simple types they use. Whitespace follows XSD: xs:string and its restrictions keep it ("preserve", so " 0301" does not
// match a code pattern), while decimals, integers, booleans, dates and base64 collapse it (surrounding blanks are fine).
// XSD's `\d` also matches non-ASCII digits; we accept ASCII digits only, on purpose.

import { eurosToCents, InvalidAmountError, MAX_AMOUNT_CENTS } from "../domain/money";
import type { Instant } from "../domain/debt-positions/model";
import type { XmlElement } from "./safe-xml";

/** A document that is well-formed XML but does not follow the schema; `path` names the offending element. */
export class XsdViolation extends Error {
  override readonly name = "XsdViolation";

  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

export interface Particle {
  /** One name, or several for an `xsd:choice` of single elements. */
  readonly name: string | readonly string[];
  readonly min?: number;
  readonly max?: number;
}

export interface Content {
  one(name: string): XmlElement;
  opt(name: string): XmlElement | undefined;
  many(name: string): readonly XmlElement[];
}

/**
 * Checks an element-only content model: the children, in document order, must match the particles in order
 * (greedy matching is exact here because XSD content models are deterministic). `namespaces` lists the namespaces a
 * child may be in (undefined = unqualified).
 */
export function matchSequence(
  el: XmlElement,
  path: string,
  particles: readonly Particle[],
  namespaces: ReadonlySet<string | undefined>,
): Content {
  if (!/^[ \t\n\r]*$/.test(el.text)) throw new XsdViolation(path, "text is not allowed here, only elements");
  const found = new Map<string, XmlElement[]>();
  let i = 0;
  for (const p of particles) {
    const names = typeof p.name === "string" ? [p.name] : p.name;
    const min = p.min ?? 1;
    const max = p.max ?? 1;
    let count = 0;
    for (let child = el.children[i]; child !== undefined && count < max; child = el.children[i]) {
      if (!names.includes(child.name)) break;
      if (!namespaces.has(child.namespace)) {
        throw new XsdViolation(
          `${path}/${child.name}`,
          `element in unexpected namespace ${child.namespace ?? "(none)"}`,
        );
      }
      const list = found.get(child.name) ?? [];
      list.push(child);
      found.set(child.name, list);
      count++;
      i++;
    }
    if (count < min) {
      const next = el.children[i];
      const what = names.length === 1 ? `<${names.join("")}>` : `one of <${names.join(">, <")}>`;
      throw new XsdViolation(path, `missing ${what}${next ? ` (found <${next.name}>)` : ""}`);
    }
  }
  const extra = el.children[i];
  if (extra !== undefined)
    throw new XsdViolation(`${path}/${extra.name}`, "unexpected element (not allowed here by the schema)");
  return {
    one(name) {
      const e = found.get(name)?.[0];
      if (e === undefined) throw new XsdViolation(path, `missing <${name}>`);
      return e;
    },
    opt: (name) => found.get(name)?.[0],
    many: (name) => found.get(name) ?? [],
  };
}

/** The text of a simple-content element (no child elements). */
export function leafText(el: XmlElement, path: string): string {
  if (el.children.length > 0)
    throw new XsdViolation(path, `child elements are not allowed (found <${el.children[0]?.name}>)`);
  return el.text;
}

const collapse = (s: string) => s.replace(/[ \t\n\r]+/g, " ").trim();
const show = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

export interface StringFacets {
  minLength?: number;
  maxLength?: number;
  /** Anchored by the checker, as XSD patterns are. */
  pattern?: RegExp;
  enumeration?: readonly string[];
}

const anchoredCache = new Map<string, RegExp>();
const anchored = (p: RegExp): RegExp => {
  let r = anchoredCache.get(p.source);
  if (r === undefined) {
    r = new RegExp(`^(?:${p.source})$`, "u");
    anchoredCache.set(p.source, r);
  }
  return r;
};

/** xs:string restrictions; lengths count characters (code points), as XSD does. */
export function stringValue(el: XmlElement, path: string, facets: StringFacets = {}): string {
  const v = leafText(el, path);
  let length = 0;
  for (const _ of v) length++;
  if (facets.minLength !== undefined && length < facets.minLength) {
    throw new XsdViolation(path, `${show(v)} is shorter than ${facets.minLength} characters`);
  }
  if (facets.maxLength !== undefined && length > facets.maxLength) {
    throw new XsdViolation(path, `value of ${length} characters is longer than ${facets.maxLength}`);
  }
  if (facets.pattern && !anchored(facets.pattern).test(v)) {
    throw new XsdViolation(path, `${show(v)} does not match ${facets.pattern.source}`);
  }
  if (facets.enumeration && !facets.enumeration.includes(v)) {
    throw new XsdViolation(path, `${show(v)} is not one of ${facets.enumeration.join(", ")}`);
  }
  return v;
}

/** xs:decimal with pattern `\d+\.\d{2}` (stAmount, stAmountNotZero, stImporto, stImportoTotalePagamenti), in cents. */
export function amountCents(el: XmlElement, path: string, range: { minCents: number; maxCents: number }): number {
  const v = collapse(leafText(el, path));
  let cents: number;
  try {
    cents = eurosToCents(v);
  } catch (e) {
    if (e instanceof InvalidAmountError) throw new XsdViolation(path, `${show(v)} is not an amount with two decimals`);
    throw e;
  }
  if (cents < range.minCents || cents > range.maxCents) {
    throw new XsdViolation(path, `${v} is outside ${centsText(range.minCents)}..${centsText(range.maxCents)}`);
  }
  return cents;
}

const centsText = (c: number) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, "0")}`;

/** 999999999.99 euros, the maxInclusive of every amount type in our contracts: also GPD's business maximum. */
export { MAX_AMOUNT_CENTS };

/**
 * An integral value of xs:int / xs:integer, or of xs:decimal with fractionDigits 0 (`5.0` is the value 5 there).
 * Leading zeros and "+" are lexically valid; the value must be within [min, max] and have at most `totalDigits`.
 */
export function integerValue(
  el: XmlElement,
  path: string,
  facets: { min: number; max: number; allowDecimalPoint?: boolean; totalDigits?: number },
): number {
  const v = collapse(leafText(el, path));
  const m = (facets.allowDecimalPoint ? /^([+-]?)([0-9]+)(?:\.0*)?$/ : /^([+-]?)([0-9]+)$/).exec(v);
  const digits = m?.[2]?.replace(/^0+(?=[0-9])/, "");
  if (!m || digits === undefined) throw new XsdViolation(path, `${show(v)} is not an integer`);
  if (facets.totalDigits !== undefined && digits.length > facets.totalDigits) {
    throw new XsdViolation(path, `${v} has more than ${facets.totalDigits} digits`);
  }
  const n = (m[1] === "-" ? -1 : 1) * Number(digits);
  if (!Number.isSafeInteger(n) || n < facets.min || n > facets.max) {
    throw new XsdViolation(path, `${v} is outside ${facets.min}..${facets.max}`);
  }
  return n;
}

export function booleanValue(el: XmlElement, path: string): boolean {
  const v = collapse(leafText(el, path));
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw new XsdViolation(path, `${show(v)} is not a boolean`);
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function base64Value(el: XmlElement, path: string): string {
  const v = leafText(el, path).replace(/[ \t\n\r]+/g, "");
  if (!base64Pattern.test(v)) throw new XsdViolation(path, "not valid base64");
  return v;
}

const daysIn = (y: number, m: number) =>
  m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

function checkDate(path: string, v: string, y: number, mo: number, d: number): void {
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo))
    throw new XsdViolation(path, `${show(v)} is not a valid date`);
}

/** Offset in minutes, undefined when absent. */
function offsetMinutes(path: string, v: string, tz: string | undefined): number | undefined {
  if (tz === undefined) return undefined;
  if (tz === "Z") return 0;
  const h = Number(tz.slice(1, 3));
  const min = Number(tz.slice(4, 6));
  if (h > 14 || min > 59 || (h === 14 && min > 0)) throw new XsdViolation(path, `${show(v)} has an invalid offset`);
  return (tz.startsWith("-") ? -1 : 1) * (h * 60 + min);
}

const datePattern = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?$/;

/** xs:date, returned as written (whitespace collapsed): `yyyy-MM-dd` with an optional offset. Years 0001–9999. */
export function dateValue(el: XmlElement, path: string): string {
  const v = collapse(leafText(el, path));
  const m = datePattern.exec(v);
  if (!m) throw new XsdViolation(path, `${show(v)} is not a date (yyyy-MM-dd)`);
  checkDate(path, v, Number(m[1]), Number(m[2]), Number(m[3]));
  offsetMinutes(path, v, m[4]);
  return v;
}

const dateTimePattern =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})?$/;

export interface DateTimeValue {
  /** As written (whitespace collapsed). */
  readonly text: string;
  /**
   * The instant in UTC with milliseconds. A value without offset is read as UTC: GPD's dates are offset-less
   * LocalDateTime compared with now() in UTC (reference, conventions), and docs/domain/api-surface.md compares in UTC. Digits past
   * the millisecond are dropped.
   */
  readonly instant: Instant;
  readonly hasOffset: boolean;
}

/** xs:dateTime. Years 0001–9999; hour 24 (XSD 1.0's end-of-day) and leap seconds are refused. */
export function dateTimeValue(el: XmlElement, path: string): DateTimeValue {
  const v = collapse(leafText(el, path));
  const m = dateTimePattern.exec(v);
  if (!m) throw new XsdViolation(path, `${show(v)} is not a date-time (yyyy-MM-ddTHH:mm:ss[.fff][offset])`);
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  checkDate(path, v, y, mo, d);
  if (h > 23 || mi > 59 || s > 59) throw new XsdViolation(path, `${show(v)} is not a valid time`);
  const ms = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  const offset = offsetMinutes(path, v, m[8]);
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not move years 0–99 into the 1900s.
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  const instant = new Date(date.getTime() - (offset ?? 0) * 60_000);
  return { text: v, instant: instant.toISOString(), hasOffset: offset !== undefined };
}
