// Paying an option (receipts), reporting a transfer (reporting flows) and the SEND notification fee, as pure
// functions. Pay and report answer with a union rather than throwing: the ingestion jobs classify every outcome
// (done, duplicate, reject) and a duplicate is not an error for them.
import { DomainError } from "../errors";
import { isAmountInRange, MAX_AMOUNT_CENTS } from "../money";
import { canPayOption, recomputeStatus } from "./payment-plans";
import { toIso, type DebtPosition, type Instant, type PaymentOption, type Transfer } from "./model";
import { payableStatuses, reportableStatuses } from "./status-machine";

export interface Refused {
  readonly outcome: "refused";
  readonly error: DomainError;
}

const refused = (error: DomainError): Refused => ({ outcome: "refused", error });

const replaceOption = (position: DebtPosition, option: PaymentOption): DebtPosition => ({
  ...position,
  paymentOption: position.paymentOption.map((o) => (o.iuv === option.iuv ? option : o)),
});

// ---- pay ------------------------------------------------------------------------------------------------------

/** How a receipt names its option: the notice number (NAV), the IUV (creditorReferenceId), or both. */
export interface PaymentRef {
  readonly iuv?: string | undefined;
  readonly nav?: string | undefined;
}

export interface Payment {
  readonly paymentDate: Instant;
  readonly paymentMethod?: string | undefined;
  readonly pspCode?: string | undefined;
  readonly pspTaxCode?: string | undefined;
  readonly pspCompany: string;
  readonly idReceipt: string;
  /** The PSP fee, in cents. */
  readonly fee: number;
}

export type PayResult =
  | { readonly outcome: "paid"; readonly position: DebtPosition; readonly option: PaymentOption }
  | { readonly outcome: "already-paid-same-receipt" }
  | Refused;

const findOption = (position: DebtPosition, ref: PaymentRef): PaymentOption | undefined =>
  ref.iuv === undefined && ref.nav === undefined
    ? undefined
    : position.paymentOption.find(
        (o) => (ref.nav === undefined || o.nav === ref.nav) && (ref.iuv === undefined || o.iuv === ref.iuv),
      );

const optionNotFound = (position: DebtPosition, ref: PaymentRef): DomainError =>
  new DomainError(
    "PAYMENT_OPTION_NOT_FOUND",
    ref.nav !== undefined
      ? `Not found a payment option for Organization Fiscal Code ${position.organizationFiscalCode} and NAV ${ref.nav}`
      : `Not found a payment option for Organization Fiscal Code ${position.organizationFiscalCode} and IUV ${ref.iuv ?? ""}`,
  );

const alreadyPaid = (position: DebtPosition, option: PaymentOption): DomainError =>
  new DomainError(
    "PAYMENT_OPTION_ALREADY_PAID",
    `A payment transaction has already been carried out for the Organization Fiscal Code ${position.organizationFiscalCode} and NAV ${option.nav}`,
  );

/**
 * Marks an option PO_PAID from a receipt (docs/domain/statuses.md#transitions, docs/domain/payment-options.md#pay) and recomputes the position (docs/domain/statuses.md#derived). In order:
 * unknown option → 404; the same receipt again → no-op (a re-delivered receipt changes nothing twice); option
 * already paid by another receipt → 409 ALREADY_PAID; position PAID/REPORTED → 409 ALREADY_PAID (docs/domain/statuses.md#transitions
 * table; other statuses accept the receipt, see `payableStatuses`); cross-payment guard → 404 (docs/domain/statuses.md#derived).
 */
export const payPaymentOption = (position: DebtPosition, ref: PaymentRef, payment: Payment, now: Date): PayResult => {
  const option = findOption(position, ref);
  if (!option) return refused(optionNotFound(position, ref));
  if (option.status !== "PO_UNPAID") {
    return option.idReceipt === payment.idReceipt
      ? { outcome: "already-paid-same-receipt" }
      : refused(alreadyPaid(position, option));
  }
  if (!payableStatuses.includes(position.status)) return refused(alreadyPaid(position, option));
  if (!canPayOption(position, option.iuv)) return refused(optionNotFound(position, ref));
  const at = toIso(now);
  const paid: PaymentOption = {
    ...option,
    status: "PO_PAID",
    paymentDate: payment.paymentDate,
    paymentMethod: payment.paymentMethod,
    pspCode: payment.pspCode,
    pspTaxCode: payment.pspTaxCode,
    pspCompany: payment.pspCompany,
    idReceipt: payment.idReceipt,
    fee: payment.fee,
    lastUpdatedDate: at,
  };
  return { outcome: "paid", position: recomputeStatus(replaceOption(position, paid), now), option: paid };
};

// ---- report ---------------------------------------------------------------------------------------------------

export interface Report {
  /** The reporting flow; absent when pagoPA's own services report a transfer directly (internal report). */
  readonly idFlowReporting?: string | undefined;
  readonly reportingDate: Instant;
}

export type ReportResult =
  | { readonly outcome: "reported"; readonly position: DebtPosition; readonly transfer: Transfer }
  | { readonly outcome: "already-reported-same-flow" }
  | Refused;

/**
 * Marks a transfer T_REPORTED (docs/domain/statuses.md#transitions, docs/domain/payment-options.md#report) and recomputes option and position. In order: unknown
 * (iuv, idTransfer) → 404; already reported by the same flow → no-op (a re-delivered flow changes nothing twice);
 * not accountable (position not PARTIALLY_PAID/PAID, option not PO_PAID/PO_PARTIALLY_REPORTED, transfer already
 * reported by another flow) → 409. Unlike pagoPA's service, reportingDate and idFlowReporting are stored
 * on the option: those of the latest report.
 */
export const reportTransfer = (
  position: DebtPosition,
  iuv: string,
  idTransfer: string,
  report: Report,
  now: Date,
): ReportResult => {
  const option = position.paymentOption.find((o) => o.iuv === iuv);
  const transfer = option?.transfer.find((t) => t.idTransfer === idTransfer);
  const org = position.organizationFiscalCode;
  if (!option || !transfer) {
    return refused(
      new DomainError(
        "TRANSFER_NOT_FOUND",
        `Not found a transfer for Organization Fiscal Code ${org}, IUV ${iuv} and TxID ${idTransfer}`,
      ),
    );
  }
  if (transfer.status === "T_REPORTED" && transfer.idFlowReporting === report.idFlowReporting) {
    return { outcome: "already-reported-same-flow" };
  }
  const accountable =
    reportableStatuses.includes(position.status) &&
    (option.status === "PO_PAID" || option.status === "PO_PARTIALLY_REPORTED") &&
    transfer.status === "T_UNREPORTED";
  if (!accountable) {
    return refused(
      new DomainError(
        "TRANSFER_NOT_ACCOUNTABLE",
        `The transfer option with Organization Fiscal Code ${org}, IUV ${iuv} and TxID ${idTransfer} is not in payable state`,
      ),
    );
  }
  const at = toIso(now);
  const reported: Transfer = {
    ...transfer,
    status: "T_REPORTED",
    idFlowReporting: report.idFlowReporting,
    lastUpdatedDate: at,
  };
  const transfers = option.transfer.map((t) => (t.idTransfer === idTransfer ? reported : t));
  const updated: PaymentOption = {
    ...option,
    transfer: transfers,
    status: transfers.every((t) => t.status === "T_REPORTED") ? "PO_REPORTED" : "PO_PARTIALLY_REPORTED",
    reportingDate: report.reportingDate,
    idFlowReporting: report.idFlowReporting ?? option.idFlowReporting,
    lastUpdatedDate: at,
  };
  return {
    outcome: "reported",
    position: recomputeStatus(replaceOption(position, updated), now),
    transfer: reported,
  };
};

// ---- notification fee ----------------------------------------------------------------------------------------

/**
 * The transfer that carries the notification fee (docs/domain/debt-positions.md#validation notificationFee 2): the first by idTransfer whose
 * beneficiary is the EC itself (null counts as the EC).
 */
export const primaryTransfer = (option: PaymentOption, ec: string): Transfer | undefined =>
  [...option.transfer]
    .sort((a, b) => Number(a.idTransfer) - Number(b.idTransfer))
    .find((t) => t.organizationFiscalCode === ec || t.organizationFiscalCode === "");

/**
 * The option with its notification fee set to `fee`: the previous fee is taken off and the new one added, on the
 * option amount and on the primary transfer, so amount = Σ transfers still holds. Undefined when there is no
 * primary transfer.
 */
export const shiftNotificationFee = (option: PaymentOption, fee: number, ec: string): PaymentOption | undefined => {
  const primary = primaryTransfer(option, ec);
  if (!primary) return undefined;
  const delta = fee - option.notificationFee;
  return {
    ...option,
    amount: option.amount + delta,
    notificationFee: fee,
    transfer: option.transfer.map((t) => (t === primary ? { ...t, amount: t.amount + delta } : t)),
  };
};

export type NotificationFeeResult =
  { readonly outcome: "applied"; readonly position: DebtPosition; readonly option: PaymentOption } | Refused;

/**
 * PUT …/paymentoptions/{nav}/notificationfee (docs/domain/notification-fee.md): the option is found by NAV, or by IUV (the
 * reference's "#naviuv" compatibility, docs/domain/payment-options.md#get); only an unpaid option takes a fee (422); no primary transfer → 422.
 * Whether a payment is in progress (209) is the node's answer, not the domain's.
 */
export const applyNotificationFee = (
  position: DebtPosition,
  nav: string,
  fee: number,
  now: Date,
): NotificationFeeResult => {
  const org = position.organizationFiscalCode;
  const option = position.paymentOption.find((o) => o.nav === nav) ?? position.paymentOption.find((o) => o.iuv === nav);
  if (!option) return refused(optionNotFound(position, { nav }));
  if (option.status !== "PO_UNPAID") {
    return refused(
      new DomainError(
        "PAYMENT_OPTION_NOTIFICATION_FEE_UPDATE_NOT_UPDATABLE",
        `The payment option with Organization Fiscal Code ${org} and NAV ${nav} is not in unpaid state and the notification fee cannot be updated.`,
      ),
    );
  }
  const shifted = shiftNotificationFee(option, fee, org);
  if (!shifted) {
    return refused(
      new DomainError(
        "PAYMENT_OPTION_NOTIFICATION_FEE_UPDATE_TRANSFER_NOT_FOUND",
        `No transfer found for payment option with IUV ${option.iuv} related to Organization Fiscal Code ${org}`,
      ),
    );
  }
  // The fee is added to the option and to its primary transfer (a part of it): the option amount must stay within the
  // business maximum (docs/amounts.md), or the stored position could no longer be paid or reported.
  if (!isAmountInRange(shifted.amount, 1)) {
    return refused(
      new DomainError(
        "PAYMENT_OPTION_NOTIFICATION_FEE_UPDATE_AMOUNT_TOO_LARGE",
        `A notification fee of ${fee} cents would make the amount of the payment option with NAV ${nav} ${shifted.amount} cents, beyond the maximum of ${MAX_AMOUNT_CENTS} cents`,
      ),
    );
  }
  const at = toIso(now);
  const updated = { ...shifted, lastUpdatedDate: at };
  return {
    outcome: "applied",
    position: { ...replaceOption(position, updated), lastUpdatedDate: at },
    option: updated,
  };
};
