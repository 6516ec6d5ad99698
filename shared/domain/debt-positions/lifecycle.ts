// Create, replace, publish, invalidate, delete and the jobs' writes, as pure functions returning new positions.
// Inputs are already validated (validation.ts); status rules come from the state machine.
import { DomainError } from "../errors";
import { effectiveStatus, isPassed, isReached, minDueDate, minValidityDate } from "./effective-status";
import {
  toIso,
  transferIds,
  type DebtPosition,
  type DebtPositionInput,
  type Instant,
  type PaymentOption,
  type PaymentOptionInput,
  type Transfer,
  type TransferId,
  type TransferInput,
} from "./model";
import { shiftNotificationFee } from "./payments";
import { assertTransition, publishedStatus, type TransitionTarget } from "./status-machine";

const asTransferId = (id: string): TransferId => {
  const found = transferIds.find((t) => t === id);
  // validation.ts guarantees "1".."5" (docs/domain/debt-positions.md#validation V7); reaching this is a caller bug, reported as bad data.
  if (found === undefined) throw new DomainError("DEBT_POSITION_REQUEST_DATA_ERROR", `Invalid transfer id ${id}`);
  return found;
};

const buildTransfer = (input: TransferInput, ec: string, now: Instant, matched: Transfer | undefined): Transfer => ({
  idTransfer: asTransferId(input.idTransfer),
  amount: input.amount,
  // docs/domain/debt-positions.md#model: defaults to the path EC; a different fiscal code makes it multi-beneficiary.
  organizationFiscalCode: input.organizationFiscalCode ?? ec,
  companyName: input.companyName,
  remittanceInformation: input.remittanceInformation,
  category: input.category,
  iban: input.iban,
  postalIban: input.postalIban,
  stamp: input.stamp ? { ...input.stamp } : undefined,
  transferMetadata: input.transferMetadata.map((m) => ({ ...m })),
  status: "T_UNREPORTED",
  insertedDate: matched?.insertedDate ?? now,
  lastUpdatedDate: now,
});

interface OptionContext {
  readonly ec: string;
  readonly iupd: string;
  readonly auxDigit: string;
  readonly switchToExpired: boolean;
  readonly validityDate: Instant | undefined;
  readonly now: Instant;
}

/**
 * One option from its input, merged with the stored option of the same IUV (docs/domain/debt-positions.md#validation "Update semantics"):
 * transfers matched by idTransfer keep their insertedDate; fee and notificationFee are protected fields, kept; every
 * option goes back to PO_UNPAID (update is refused once anything is paid, so no payment data is lost).
 */
const buildOption = (
  input: PaymentOptionInput,
  ctx: OptionContext,
  matched: PaymentOption | undefined,
): PaymentOption => {
  const option: PaymentOption = {
    // docs/domain/debt-positions.md#nav: NAV = aux digit + IUV when the EC does not send one.
    nav: input.nav ?? `${ctx.auxDigit}${input.iuv}`,
    iuv: input.iuv,
    organizationFiscalCode: ctx.ec,
    amount: input.amount,
    description: input.description,
    isPartialPayment: input.isPartialPayment,
    dueDate: input.dueDate,
    retentionDate: input.retentionDate,
    // docs/domain/debt-positions.md#model: v1 has one validity and one switchToExpired for the whole position, copied onto every option.
    validityDate: ctx.validityDate,
    switchToExpired: ctx.switchToExpired,
    fee: matched?.fee ?? 0,
    notificationFee: 0,
    status: "PO_UNPAID",
    insertedDate: matched?.insertedDate ?? ctx.now,
    lastUpdatedDate: ctx.now,
    paymentOptionMetadata: input.paymentOptionMetadata.map((m) => ({ ...m })),
    transfer: input.transfer.map((t) =>
      buildTransfer(
        t,
        ctx.ec,
        ctx.now,
        matched?.transfer.find((s) => s.idTransfer === t.idTransfer),
      ),
    ),
  };
  // docs/domain/debt-positions.md#validation notificationFee 3: the stored fee is kept and re-added, since ECs always send net amounts.
  const fee = matched?.notificationFee ?? 0;
  if (fee === 0) return option;
  const withFee = shiftNotificationFee(option, fee, ctx.ec);
  if (withFee === undefined) {
    throw new DomainError(
      "DEBT_POSITION_UPDATE_FAILED_NO_TRANSFER_FOR_NOTIFICATION_FEE",
      `No valid transfer found to apply the registered notification fee on the debt position with Organization Fiscal Code ${ctx.ec} and IUPD ${ctx.iupd}`,
    );
  }
  return withFee;
};

/** The position-level fields an EC sends (the debtor and the creditor labels), copied from the input. */
const positionFields = (input: DebtPositionInput) => ({
  iupd: input.iupd,
  type: input.type,
  // docs/domain/debt-positions.md#model: payStandIn defaults to true.
  payStandIn: input.payStandIn ?? true,
  fiscalCode: input.fiscalCode,
  fullName: input.fullName,
  streetName: input.streetName,
  civicNumber: input.civicNumber,
  postalCode: input.postalCode,
  city: input.city,
  province: input.province,
  region: input.region,
  country: input.country,
  email: input.email,
  phone: input.phone,
  switchToExpired: input.switchToExpired,
  companyName: input.companyName,
  officeName: input.officeName,
});

/**
 * The publish logic's dates (docs/domain/statuses.md#transitions): every option with no validity gets `fallback` (now, or the kept past
 * validity of the special update rule); the position's validity is the minimum over the options (docs/domain/debt-positions.md#model).
 */
const withPublishedValidity = (position: DebtPosition, fallback: Instant): DebtPosition => {
  const paymentOption = position.paymentOption.map((o) =>
    o.validityDate === undefined ? { ...o, validityDate: fallback } : o,
  );
  const published = { ...position, paymentOption };
  return { ...published, validityDate: minValidityDate(published) };
};

export interface CreateContext {
  readonly organizationFiscalCode: string;
  readonly auxDigit: string;
  readonly now: Date;
  readonly toPublish: boolean;
}

export const createDebtPosition = (input: DebtPositionInput, ctx: CreateContext): DebtPosition => {
  const now = toIso(ctx.now);
  const optionCtx: OptionContext = {
    ec: ctx.organizationFiscalCode,
    iupd: input.iupd,
    auxDigit: ctx.auxDigit,
    switchToExpired: input.switchToExpired,
    validityDate: input.validityDate,
    now,
  };
  const draft: DebtPosition = {
    ...positionFields(input),
    organizationFiscalCode: ctx.organizationFiscalCode,
    validityDate: input.validityDate,
    publishDate: undefined,
    paymentDate: undefined,
    insertedDate: now,
    lastUpdatedDate: now,
    status: "DRAFT",
    paymentOption: input.paymentOption.map((o) => buildOption(o, optionCtx, undefined)),
  };
  if (!ctx.toPublish) return draft;
  // docs/domain/statuses.md#transitions: create with toPublish — null validity means valid at once (docs/domain/statuses.md#transitions).
  const status = publishedStatus(
    draft.paymentOption.map((o) => o.validityDate),
    ctx.now,
  );
  return { ...withPublishedValidity(draft, now), status, publishDate: now };
};

export interface ReplaceContext {
  readonly now: Date;
  readonly toPublish: boolean;
  readonly auxDigit: string;
}

const asStatus = (target: TransitionTarget) => {
  // The update cells lead to DRAFT/PUBLISHED/VALID only; "DELETED" would be a table bug.
  if (target === "DELETED") throw new Error("update cannot delete a debt position");
  return target;
};

/**
 * PUT: full replacement merged by key (docs/domain/debt-positions.md#validation "Update semantics"). Options matched by IUV keep their
 * insertedDate and protected fields; unknown IUVs are inserted; IUVs missing from the body are dropped. The
 * position goes back to DRAFT (publishDate cleared) unless `toPublish`, in which case the publish logic runs.
 */
export const replaceDebtPosition = (
  existing: DebtPosition,
  input: DebtPositionInput,
  ctx: ReplaceContext,
): DebtPosition => {
  // The 409 of a non-updatable position comes before any 422 of the merge.
  assertTransition(existing, { kind: "update" }, ctx.now);
  const now = toIso(ctx.now);
  const optionCtx: OptionContext = {
    ec: existing.organizationFiscalCode,
    iupd: existing.iupd,
    auxDigit: ctx.auxDigit,
    switchToExpired: input.switchToExpired,
    validityDate: input.validityDate,
    now,
  };
  const merged: DebtPosition = {
    ...positionFields(input),
    // Identity and creation are never taken from the body (the handler checks body iupd = path iupd, V13).
    organizationFiscalCode: existing.organizationFiscalCode,
    iupd: existing.iupd,
    insertedDate: existing.insertedDate,
    validityDate: input.validityDate,
    publishDate: undefined,
    paymentDate: undefined,
    lastUpdatedDate: now,
    status: "DRAFT",
    paymentOption: input.paymentOption.map((o) =>
      buildOption(
        o,
        optionCtx,
        existing.paymentOption.find((s) => s.iuv === o.iuv),
      ),
    ),
  };
  if (!ctx.toPublish) return merged;
  // docs/domain/debt-positions.md#validation special rule: a VALID position re-published with no validity keeps its past validity instead of
  // restarting it at now (it stays VALID either way; only the date differs).
  const storedValidity = minValidityDate(existing);
  const keepPastValidity =
    input.validityDate === undefined &&
    storedValidity !== undefined &&
    isReached(storedValidity, ctx.now) &&
    effectiveStatus(existing, ctx.now) === "VALID";
  const published = withPublishedValidity(merged, keepPastValidity && storedValidity ? storedValidity : now);
  const status = asStatus(
    assertTransition(
      existing,
      { kind: "update", publish: { validityDates: published.paymentOption.map((o) => o.validityDate) } },
      ctx.now,
    ),
  );
  return { ...published, status, publishDate: now };
};

const publishDetail = (p: DebtPosition) => `Organization Fiscal Code ${p.organizationFiscalCode} and IUPD ${p.iupd}`;

/**
 * POST /publish (docs/domain/statuses.md#transitions): only from DRAFT, then the pre-checks (409) — each option's due date ≥ its
 * validity; the earliest due date not passed (equal to now is fine: it is still payable); the earliest validity
 * not passed — then the publish logic.
 */
export const publishDebtPosition = (existing: DebtPosition, now: Date): DebtPosition => {
  const target = assertTransition(existing, { kind: "publish" }, now);
  if (
    existing.paymentOption.some(
      (o) => o.validityDate !== undefined && Date.parse(o.dueDate) < Date.parse(o.validityDate),
    )
  ) {
    throw new DomainError(
      "DEBT_POSITION_PUBLISH_DUE_DATE_BEFORE_VALIDITY_DATE",
      `Invalid publish request: the payment option due date cannot be before the validity date for the debt position with ${publishDetail(existing)}`,
    );
  }
  const due = minDueDate(existing);
  if (due !== undefined && isPassed(due, now)) {
    throw new DomainError(
      "DEBT_POSITION_PUBLISH_DUE_DATE_MISMATCH",
      `A publish request occurred after the due date of a payment options has expired for the debt position with ${publishDetail(existing)}`,
    );
  }
  const validity = minValidityDate(existing);
  if (validity !== undefined && isPassed(validity, now)) {
    throw new DomainError(
      "DEBT_POSITION_PUBLISH_VALIDITY_DATE_MISMATCH",
      `A publish request has been made after the validity date began for the debt position with ${publishDetail(existing)}`,
    );
  }
  const at = toIso(now);
  const published = withPublishedValidity(existing, at);
  return {
    ...published,
    paymentOption: published.paymentOption.map((o) => ({ ...o, lastUpdatedDate: at })),
    status: asStatus(target),
    publishDate: at,
    lastUpdatedDate: at,
  };
};

/** POST /invalidate (docs/domain/statuses.md#transitions): from PUBLISHED/VALID, judged on the effective status. */
export const invalidateDebtPosition = (existing: DebtPosition, now: Date): DebtPosition => ({
  ...existing,
  status: asStatus(assertTransition(existing, { kind: "invalidate" }, now)),
  lastUpdatedDate: toIso(now),
});

/** The validity job's write (docs/domain/jobs.md): PUBLISHED → VALID. Throws (409) if the position is not due. */
export const validateDebtPosition = (existing: DebtPosition, now: Date): DebtPosition => ({
  ...existing,
  status: asStatus(assertTransition(existing, { kind: "validate" }, now)),
  lastUpdatedDate: toIso(now),
});

/** The expiry job's write (docs/domain/jobs.md): VALID → EXPIRED. Throws (409) if the position is not due. */
export const expireDebtPosition = (existing: DebtPosition, now: Date): DebtPosition => ({
  ...existing,
  status: asStatus(assertTransition(existing, { kind: "expire" }, now)),
  lastUpdatedDate: toIso(now),
});

/** DELETE (docs/domain/statuses.md#transitions): refused with 409 DEBT_POSITION_PAYMENT_FOUND once anything is paid. */
export const assertDeletable = (existing: DebtPosition, now: Date): void => {
  assertTransition(existing, { kind: "delete" }, now);
};

/**
 * The position as reads show it (docs/domain/jobs.md): effective status, validity = min over options, switchToExpired only
 * if every option has it (docs/domain/debt-positions.md#model). In memory only; nothing is persisted.
 */
export const toPublicView = (position: DebtPosition, now: Date): DebtPosition => ({
  ...position,
  status: effectiveStatus(position, now),
  validityDate: minValidityDate(position),
  switchToExpired: position.switchToExpired && position.paymentOption.every((o) => o.switchToExpired),
});
