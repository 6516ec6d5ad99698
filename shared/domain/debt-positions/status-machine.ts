// The debt-position state machine: a pure transition table over status × action (docs/domain/statuses.md#transitions,
// the allowed operations by status and the transitions). Pay and report are not actions of this table:
// their target is derived from the options (payment-plans.ts, docs/domain/statuses.md#derived); the statuses they accept are
// declared here so that every status rule lives in one module.
import { DomainError, type ErrorCode } from "../errors";
import {
  anyOptionProgressed,
  effectiveStatus,
  isDueForExpiry,
  isDueForValidation,
  isReached,
} from "./effective-status";
import type { DebtPosition, DebtPositionStatus, Instant } from "./model";

export type Action =
  /** PUT. With `publish`, the publish logic runs on the replacement's option validities (docs/domain/debt-positions.md#validation). */
  | { readonly kind: "update"; readonly publish?: { readonly validityDates: readonly (Instant | undefined)[] } }
  | { readonly kind: "delete" }
  | { readonly kind: "publish" }
  | { readonly kind: "invalidate" }
  /** The validity job (docs/domain/jobs.md changeDebtPositionStatusToValid). */
  | { readonly kind: "validate" }
  /** The expiry job (docs/domain/jobs.md changeDebtPositionStatusToExpired). */
  | { readonly kind: "expire" };

export type ActionKind = Action["kind"];

/** Where an allowed action leads; "DELETED" means the position is gone. */
export type TransitionTarget = DebtPositionStatus | "DELETED";

export interface AllowedTransition {
  readonly ok: true;
  readonly action: ActionKind;
  readonly from: DebtPositionStatus;
  readonly to: TransitionTarget;
}

export interface InvalidTransition {
  readonly ok: false;
  readonly action: ActionKind;
  /** The status the action was judged on (the effective one for API actions, the stored one for jobs). */
  readonly status: DebtPositionStatus;
  readonly code: ErrorCode;
  readonly detail: string;
}

export type TransitionResult = AllowedTransition | InvalidTransition;

/**
 * A cell of the table. `to` is a status, or "reset" (update: DRAFT, or the publish logic when the update
 * publishes) or "publish" (the publish logic on the position's own validities).
 */
export type Cell =
  | { readonly allowed: true; readonly to: DebtPositionStatus | "DELETED" | "reset" | "publish" }
  | { readonly allowed: false; readonly code: ErrorCode };

const refuse = (code: ErrorCode): Cell => ({ allowed: false, code });
const NOT_UPDATABLE = refuse("DEBT_POSITION_NOT_UPDATABLE");
const PAYMENT_FOUND = refuse("DEBT_POSITION_PAYMENT_FOUND");
const NOT_PUBLISHABLE = refuse("DEBT_POSITION_NOT_PUBLISHABLE");
const NOT_INVALIDABLE = refuse("DEBT_POSITION_NOT_INVALIDABLE");
// The jobs have no AppError in the reference (they simply do not select the row); a job acting on a position it
// should not touch is a conflict with the current state.
const NOT_DUE = refuse("CONFLICT");

// docs/domain/statuses.md#transitions. update: EXPIRED is updatable since PAGOPA-2459; delete: refused once a payment exists;
// publish: only from DRAFT; invalidate: only from PUBLISHED/VALID; jobs: PUBLISHED → VALID, VALID → EXPIRED.
export const transitionTable: Readonly<Record<DebtPositionStatus, Readonly<Record<ActionKind, Cell>>>> = {
  DRAFT: {
    update: { allowed: true, to: "reset" },
    delete: { allowed: true, to: "DELETED" },
    publish: { allowed: true, to: "publish" },
    invalidate: NOT_INVALIDABLE,
    validate: NOT_DUE,
    expire: NOT_DUE,
  },
  PUBLISHED: {
    update: { allowed: true, to: "reset" },
    delete: { allowed: true, to: "DELETED" },
    publish: NOT_PUBLISHABLE,
    invalidate: { allowed: true, to: "INVALID" },
    validate: { allowed: true, to: "VALID" },
    expire: NOT_DUE,
  },
  VALID: {
    update: { allowed: true, to: "reset" },
    delete: { allowed: true, to: "DELETED" },
    publish: NOT_PUBLISHABLE,
    invalidate: { allowed: true, to: "INVALID" },
    validate: NOT_DUE,
    expire: { allowed: true, to: "EXPIRED" },
  },
  EXPIRED: {
    update: { allowed: true, to: "reset" },
    delete: { allowed: true, to: "DELETED" },
    publish: NOT_PUBLISHABLE,
    invalidate: NOT_INVALIDABLE,
    validate: NOT_DUE,
    expire: NOT_DUE,
  },
  INVALID: {
    update: NOT_UPDATABLE,
    delete: { allowed: true, to: "DELETED" },
    publish: NOT_PUBLISHABLE,
    invalidate: NOT_INVALIDABLE,
    validate: NOT_DUE,
    expire: NOT_DUE,
  },
  PARTIALLY_PAID: {
    update: NOT_UPDATABLE,
    delete: PAYMENT_FOUND,
    publish: NOT_PUBLISHABLE,
    invalidate: NOT_INVALIDABLE,
    validate: NOT_DUE,
    expire: NOT_DUE,
  },
  PAID: {
    update: NOT_UPDATABLE,
    delete: PAYMENT_FOUND,
    publish: NOT_PUBLISHABLE,
    invalidate: NOT_INVALIDABLE,
    validate: NOT_DUE,
    expire: NOT_DUE,
  },
  REPORTED: {
    update: NOT_UPDATABLE,
    delete: PAYMENT_FOUND,
    publish: NOT_PUBLISHABLE,
    invalidate: NOT_INVALIDABLE,
    validate: NOT_DUE,
    expire: NOT_DUE,
  },
};

/**
 * Statuses in which a receipt is accepted. The reference core does not block pay in DRAFT/PUBLISHED/INVALID/EXPIRED
 * (check removed in #288; the node blocks upstream, docs/domain/statuses.md#transitions): a receipt is proof that money was collected,
 * so we record it. PAID/REPORTED refuse (409 PAYMENT_OPTION_ALREADY_PAID, docs/domain/statuses.md#transitions table).
 */
export const payableStatuses: readonly DebtPositionStatus[] = [
  "DRAFT",
  "PUBLISHED",
  "VALID",
  "INVALID",
  "EXPIRED",
  "PARTIALLY_PAID",
];

/** Statuses in which a transfer can be reported (docs/domain/payment-options.md#report, non-ACA positions). */
export const reportableStatuses: readonly DebtPositionStatus[] = ["PARTIALLY_PAID", "PAID"];

/**
 * The publish logic (docs/domain/statuses.md#transitions): an option with no validity gets validity = now, so it is valid at once; any
 * validity reached (≤ now, the same boundary as effectiveStatus) makes the position VALID, otherwise PUBLISHED.
 */
export const publishedStatus = (validityDates: readonly (Instant | undefined)[], now: Date): "VALID" | "PUBLISHED" =>
  // No options means no validity to wait for.
  validityDates.length === 0 || validityDates.some((v) => v === undefined || isReached(v, now)) ? "VALID" : "PUBLISHED";

const positionRef = (p: DebtPosition) => `Organization Fiscal Code ${p.organizationFiscalCode} and IUPD ${p.iupd}`;

/** The detail templates of docs/domain/api-surface.md#errors, filled in. */
export const refusalDetail = (
  code: ErrorCode,
  position: DebtPosition,
  action: ActionKind,
  status: DebtPositionStatus,
) => {
  const ref = positionRef(position);
  switch (code) {
    case "DEBT_POSITION_NOT_UPDATABLE":
      return `A payment transaction has already been carried out or, the debt position with ${ref}, is not in updatable state`;
    case "DEBT_POSITION_NOT_PUBLISHABLE":
      return `A payment transaction has already been carried out or, the debt position with ${ref}, is not in publishable state`;
    case "DEBT_POSITION_NOT_INVALIDABLE":
      return `A payment transaction has already been carried out or, the debt position with ${ref}, is not in invalidable state`;
    case "DEBT_POSITION_PAYMENT_FOUND":
      return `A payment transaction has already been carried out on the debt position with ${ref}`;
    default:
      return `The debt position with ${ref} is not due for the ${action} job [status=${status}]`;
  }
};

/**
 * API actions are judged on the effective status (docs/domain/statuses.md#transitions: "On-the-fly expiry runs first, so a VALID
 * position past its due date gets 409" on invalidate). Jobs are judged on the stored status: they exist to
 * persist the effective one.
 */
const judgedStatus = (position: DebtPosition, action: Action, now: Date): DebtPositionStatus =>
  action.kind === "validate" || action.kind === "expire" ? position.status : effectiveStatus(position, now);

/** Guards on top of the status: the jobs' own filters, and "refused once anything is paid" (docs/domain/statuses.md#transitions). */
const guardHolds = (position: DebtPosition, action: Action, now: Date): boolean => {
  switch (action.kind) {
    case "validate":
      return isDueForValidation(position, now);
    case "expire":
      return isDueForExpiry(position, now);
    case "update":
    case "delete":
      return !anyOptionProgressed(position);
    case "publish":
    case "invalidate":
      return true;
  }
};

const guardCode = (action: Action, cellCode: ErrorCode | undefined): ErrorCode => {
  switch (action.kind) {
    case "update":
      return "DEBT_POSITION_NOT_UPDATABLE";
    case "delete":
      return "DEBT_POSITION_PAYMENT_FOUND";
    default:
      return cellCode ?? "CONFLICT";
  }
};

export const transition = (position: DebtPosition, action: Action, now: Date): TransitionResult => {
  const status = judgedStatus(position, action, now);
  const cell = transitionTable[status][action.kind];
  const invalid = (code: ErrorCode): InvalidTransition => ({
    ok: false,
    action: action.kind,
    status,
    code,
    detail: refusalDetail(code, position, action.kind, status),
  });
  if (!cell.allowed) return invalid(cell.code);
  if (!guardHolds(position, action, now)) return invalid(guardCode(action, undefined));
  const to = ((): TransitionTarget => {
    switch (cell.to) {
      case "reset":
        return action.kind === "update" && action.publish
          ? publishedStatus(action.publish.validityDates, now)
          : "DRAFT";
      case "publish":
        return publishedStatus(
          position.paymentOption.map((o) => o.validityDate),
          now,
        );
      default:
        return cell.to;
    }
  })();
  return { ok: true, action: action.kind, from: status, to };
};

export const toDomainError = (invalid: InvalidTransition): DomainError => new DomainError(invalid.code, invalid.detail);

/** Like `transition`, but a refusal throws its DomainError (the 409s of docs/domain/statuses.md#transitions). */
export const assertTransition = (position: DebtPosition, action: Action, now: Date): TransitionTarget => {
  const result = transition(position, action, now);
  if (!result.ok) throw toDomainError(result);
  return result.to;
};
