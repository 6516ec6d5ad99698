// The status a reader must see, before the jobs persist it (docs/domain/jobs.md "Reads always show the effective status";
// docs/domain/statuses.md#transitions on-the-fly VALID/EXPIRED, and the jobs' queries). The job predicates below are the SAME
// comparisons as effectiveStatus, so that for every position and instant:
//   effectiveStatus(p, now) === status after running the validation job, then the expiry job, at `now`.
//
// Boundaries (all compared as instants, in milliseconds, never as strings):
// - validity has begun when validityDate <= now (docs/domain/jobs.md: `validity_date <= :now`; publish
//   treats a validity "≤ now" as VALID) — equal is VALID;
// - a position is past due when maxDueDate < now, strictly (docs/domain/jobs.md: `max_due_date < :now`; on-the-fly
//   `now > maxDueDate`) — a due date equal to now is still payable, so NOT expired.
import type { DebtPosition, DebtPositionStatus, Instant, PaymentOption } from "./model";

const millis = (instant: Instant): number => Date.parse(instant);

const extreme = (instants: readonly (Instant | undefined)[], pick: (a: number, b: number) => boolean) => {
  let best: Instant | undefined;
  for (const instant of instants) {
    if (instant === undefined) continue;
    if (best === undefined || pick(millis(instant), millis(best))) best = instant;
  }
  return best;
};

const earliest = (instants: readonly (Instant | undefined)[]): Instant | undefined =>
  extreme(instants, (a, b) => a < b);
const latest = (instants: readonly (Instant | undefined)[]): Instant | undefined => extreme(instants, (a, b) => a > b);

/** Whether `instant` is at or before `now` (equal counts as reached). */
export const isReached = (instant: Instant, now: Date): boolean => millis(instant) <= now.getTime();

/** Whether `instant` is strictly before `now` (equal does not count as passed). */
export const isPassed = (instant: Instant, now: Date): boolean => millis(instant) < now.getTime();

export const maxDueDate = (position: DebtPosition): Instant | undefined =>
  latest(position.paymentOption.map((o) => o.dueDate));

export const minDueDate = (position: DebtPosition): Instant | undefined =>
  earliest(position.paymentOption.map((o) => o.dueDate));

/**
 * The position's validity: the minimum over its options (docs/domain/debt-positions.md#model), falling back to the position field when
 * no option carries one (documents written before validity moved to the option level).
 */
export const minValidityDate = (position: DebtPosition): Instant | undefined =>
  earliest(position.paymentOption.map((o) => o.validityDate)) ?? position.validityDate;

/** Anything paid or reported on the option (docs/domain/statuses.md#derived "progressed"). */
export const hasProgressed = (option: PaymentOption): boolean => option.status !== "PO_UNPAID";

export const anyOptionProgressed = (position: DebtPosition): boolean => position.paymentOption.some(hasProgressed);

/** The validity scheduler's filter (docs/domain/jobs.md): PUBLISHED, nothing paid, validity set and reached. */
export const isDueForValidation = (position: DebtPosition, now: Date): boolean => {
  const validity = minValidityDate(position);
  return (
    position.status === "PUBLISHED" &&
    position.paymentDate === undefined &&
    validity !== undefined &&
    isReached(validity, now)
  );
};

/**
 * The expiry conditions, whatever the stored status (docs/domain/jobs.md): switchToExpired (the position's and, as v1
 * copies it onto every option, every option's — docs/domain/statuses.md#transitions on-the-fly check), nothing paid, every option
 * PO_UNPAID, and the max due date strictly passed.
 */
const expiryReached = (position: DebtPosition, now: Date): boolean => {
  const due = maxDueDate(position);
  return (
    position.switchToExpired &&
    position.paymentOption.every((o) => o.switchToExpired) &&
    position.paymentDate === undefined &&
    !anyOptionProgressed(position) &&
    due !== undefined &&
    isPassed(due, now)
  );
};

/** The expiry scheduler's filter (docs/domain/jobs.md): stored VALID and the expiry conditions hold. */
export const isDueForExpiry = (position: DebtPosition, now: Date): boolean =>
  position.status === "VALID" && expiryReached(position, now);

/**
 * The status reads must show: a PUBLISHED position whose validity has begun reads VALID, and a (possibly
 * effectively) VALID one meeting the expiry conditions reads EXPIRED. Nothing is persisted here.
 */
export const effectiveStatus = (position: DebtPosition, now: Date): DebtPositionStatus => {
  const afterValidation: DebtPositionStatus = isDueForValidation(position, now) ? "VALID" : position.status;
  return afterValidation === "VALID" && expiryReached(position, now) ? "EXPIRED" : afterValidation;
};
