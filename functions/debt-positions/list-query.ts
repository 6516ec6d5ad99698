// Query rules of GET /organizations/{fc}/debtpositions (docs/domain/debt-positions.md#list): limit default 50, max
// 100; orderby default COMPANY_NAME; ordering default DESC; page required.
//
// Order of failures mirrors Spring's: parameters are bound one by one in the reference's signature order (limit,
// page, due_date_from, due_date_to, payment_date_from, payment_date_to, status, orderby, ordering) and the first
// that is missing or unconvertible fails; then the range constraints (limit, page); then, in the controller, the
// exclusive groups; then the date windows.
import { DomainError } from "../../shared/domain/errors";
import { debtPositionStatuses } from "../../shared/domain/debt-positions/model";
import {
  listOrderBys,
  listOrderings,
  type InstantRange,
  type ListCriteria,
} from "../../shared/domain/debt-positions/ports";

/** Seed: "Default = 50", "max: 100". */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;
/** The longest date window; a window given by one bound is completed to this many days from it. */
export const MAX_DAYS_INTERVAL = 30;

const DAY_MS = 86_400_000;
/** Java's Integer range: the reference binds page and limit as int32. */
const INT32_MAX = 2_147_483_647;

type RawQuery = URLSearchParams | Readonly<Record<string, string | undefined>>;

const badRequest = (detail: string) => new DomainError("BAD_REQUEST", detail);
const invalid = (name: string, value: string) => badRequest(`Invalid value ${value} for property ${name}`);

/** First value; an empty value counts as absent, as Spring binds "" to null for an optional parameter. */
const read = (query: RawQuery, name: string): string | undefined => {
  const v = query instanceof URLSearchParams ? query.get(name) : query[name];
  return v === null || v === undefined || v === "" ? undefined : v;
};

const parseInt32 = (name: string, value: string): number => {
  if (!/^[+-]?\d{1,10}$/.test(value)) throw invalid(name, value);
  const n = Number(value);
  if (n > INT32_MAX || n < -INT32_MAX - 1) throw invalid(name, value);
  return n;
};

/** yyyy-MM-dd, a real calendar day → epoch ms at 00:00:00.000Z. */
const parseDay = (name: string, value: string): number => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m === null) throw invalid(name, value);
  const [, y, mo, d] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) {
    throw invalid(name, value);
  }
  return date.getTime();
};

const parseEnum = <T extends string>(name: string, value: string | undefined, values: readonly T[]): T | undefined => {
  if (value === undefined) return undefined;
  // Case-sensitive, as Spring's String→Enum conversion (Enum.valueOf).
  const found = values.find((v) => v === value);
  if (found === undefined) throw invalid(name, value);
  return found;
};

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * One filter window from its two optional day bounds: a missing bound is the other ± 30 days; `from` is the start
 * of its day and `to` the end of its day (23:59:59.999), both UTC.
 */
const windowOf = (
  names: { from: string; to: string },
  fromDay: number | undefined,
  toDay: number | undefined,
): InstantRange | undefined => {
  const span = MAX_DAYS_INTERVAL * DAY_MS;
  let from: number;
  let to: number;
  if (fromDay !== undefined) {
    from = fromDay;
    to = toDay ?? fromDay + span;
  } else if (toDay !== undefined) {
    from = toDay - span;
    to = toDay;
  } else {
    return undefined;
  }
  const daysBetween = Math.round((to - from) / DAY_MS);
  if (from > to || daysBetween > MAX_DAYS_INTERVAL) {
    // Reference template; for the payment group the parameter names are the payment ones (the reference reuses the
    // due_date wording for both, which points the caller at parameters it did not send).
    throw new DomainError(
      "DEBT_POSITION_NOT_RECOVERABLE",
      `Debt positions cannot be recovered. Verify that ${names.to} >= ${names.from} and that the interval between the two dates not exceed the maximum number of days allowed [${names.from}= ${day(from)}, ${names.to}= ${day(to)}, days_between_from_to= ${daysBetween}, max_days_interval= ${MAX_DAYS_INTERVAL}]`,
    );
  }
  return { from: new Date(from).toISOString(), to: new Date(to + DAY_MS - 1).toISOString() };
};

const EXCLUSIVE_DETAIL =
  "Parameters due_date_to, due_date_from and payment_date_from, payment_date_toandpayment_date_time_from, payment_date_time_to are mutual exclusive";

/** Every parameter the list takes (openapi/debt-positions.json). */
export const listQueryParameters = [
  "limit",
  "page",
  "due_date_from",
  "due_date_to",
  "payment_date_from",
  "payment_date_to",
  "status",
  "orderby",
  "ordering",
] as const;

export const parseListQuery = (query: RawQuery): ListCriteria => {
  // 1. binding, in signature order
  const rawLimit = read(query, "limit");
  const limit = rawLimit === undefined ? DEFAULT_LIMIT : parseInt32("limit", rawLimit);
  const rawPage = read(query, "page");
  if (rawPage === undefined) {
    throw badRequest("The query parameter page is required: the page to return, from 0 (e.g. ?page=0&limit=50)");
  }
  const page = parseInt32("page", rawPage);
  const dates = (["due_date_from", "due_date_to", "payment_date_from", "payment_date_to"] as const).map((name) => {
    const v = read(query, name);
    return v === undefined ? undefined : parseDay(name, v);
  });
  const [dueFrom, dueTo, payFrom, payTo] = dates;
  const status = parseEnum("status", read(query, "status"), debtPositionStatuses);
  const orderBy = parseEnum("orderby", read(query, "orderby"), listOrderBys) ?? "COMPANY_NAME";
  const ordering = parseEnum("ordering", read(query, "ordering"), listOrderings) ?? "DESC";

  // 2. range constraints (docs/domain/api-surface.md#errors style: `getOrganizationDebtPositions.limit: must be …`)
  if (limit > MAX_LIMIT) {
    throw badRequest(`getOrganizationDebtPositions.limit: must be less than or equal to ${MAX_LIMIT}`);
  }
  if (limit < 1) throw badRequest("getOrganizationDebtPositions.limit: must be greater than or equal to 1");
  if (page < 0) throw badRequest("getOrganizationDebtPositions.page: must be greater than or equal to 0");

  // 3. exclusive groups: the due-date window and the payment-date window cannot be combined
  const hasDue = dueFrom !== undefined || dueTo !== undefined;
  const hasPayment = payFrom !== undefined || payTo !== undefined;
  if (hasDue && hasPayment) throw new DomainError("EXCLUSIVE_PARAMETERS", EXCLUSIVE_DETAIL);

  // 4. windows
  const dueDate = windowOf({ from: "due_date_from", to: "due_date_to" }, dueFrom, dueTo);
  const paymentDate = windowOf({ from: "payment_date_from", to: "payment_date_to" }, payFrom, payTo);

  return {
    page,
    limit,
    ...(dueDate !== undefined ? { dueDate } : {}),
    ...(paymentDate !== undefined ? { paymentDate } : {}),
    ...(status !== undefined ? { status } : {}),
    orderBy,
    ordering,
  };
};
