// What a receipt does to its debt position, decided without I/O (docs/domain/jobs.md ingestReceipts, docs/domain/statuses.md#transitions and
// #derived, docs/domain/receipts.md#settlement). The ingestion use case loads the position, asks `settleReceipt`, and writes the outcome back
// conditionally; a re-delivered receipt decides "already-applied", so the remaining steps are simply finished.
import { segregationCodeOf, toIso, type DebtPosition, type Instant, type PaymentOption } from "../debt-positions/model";
import { payPaymentOption, type Payment } from "../debt-positions/payments";
import type { Receipt } from "./receipt";
import type { ReceiptEntry } from "./ports";

export type Settlement =
  /** The option was unpaid: `position` is what must be written (conditionally) before the receipt is filed. */
  | { readonly outcome: "pay"; readonly position: DebtPosition; readonly option: PaymentOption }
  /** This very receipt already paid the option (a re-delivery or a run that died after the position write). */
  | { readonly outcome: "already-applied"; readonly option: PaymentOption }
  | { readonly outcome: "reject"; readonly reason: string };

const reject = (reason: string): Settlement => ({ outcome: "reject", reason });

/** docs/domain/receipts.md paSendRTV2 step 2: the receipt fields the pay operation takes (fee in cents). */
export const paymentOf = (receipt: Receipt, now: Date): Payment => ({
  // A receipt without paymentDateTime (optional in the XSD) is dated when GPD learns of it.
  paymentDate: receipt.paymentDateTime ?? toIso(now),
  paymentMethod: receipt.paymentMethod,
  pspCode: receipt.pspId,
  pspTaxCode: receipt.pspFiscalCode,
  pspCompany: receipt.pspCompany,
  idReceipt: receipt.receiptId,
  fee: receipt.feeCents ?? 0,
});

/**
 * How far a receipt's paymentDateTime may lie ahead of GPD's clock: the node's and our clocks are NTP-synchronised
 * but not equal (docs/receipts.md). Beyond it the receipt describes a payment that has not happened yet.
 */
export const RECEIPT_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Receipts the platform could never have produced, whatever option they name: a notice is only payable on pagoPA once
 * its position is published, and a payment cannot be dated in the future. Undefined when the receipt is plausible.
 */
const implausibility = (position: DebtPosition, receipt: Receipt, now: Date): string | undefined => {
  // DRAFT is the only status a position has before its first publication (publishing is one-way, lifecycle.ts).
  if (position.status === "DRAFT") {
    return `never-published: position ${position.iupd} of ${position.organizationFiscalCode} was never published (status ${position.status}), so pagoPA could not have collected a payment for it`;
  }
  if (
    receipt.paymentDateTime !== undefined &&
    Date.parse(receipt.paymentDateTime) > now.getTime() + RECEIPT_CLOCK_SKEW_MS
  ) {
    return `future-payment-date: paymentDateTime ${receipt.paymentDateTime} is more than ${RECEIPT_CLOCK_SKEW_MS / 60000} minutes after the time of ingestion ${toIso(now)}`;
  }
  return undefined;
};

/**
 * The option is the one naming both the receipt's IUV (creditorReferenceId) and NAV (noticeNumber). In order: no
 * such option → reject; already paid by this receipt → already-applied; a position never published or a payment
 * dated in the future (beyond RECEIPT_CLOCK_SKEW_MS) → reject; the paid amount differs from the option's
 * (notification fee included) → reject; otherwise the pay rules of payPaymentOption (another receipt already paid it,
 * position not payable, cross-payment guard → reject).
 */
export function settleReceipt(position: DebtPosition, receipt: Receipt, now: Date): Settlement {
  const ref = { iuv: receipt.iuv, nav: receipt.noticeNumber };
  const option = position.paymentOption.find((o) => o.iuv === ref.iuv && o.nav === ref.nav);
  if (option === undefined) {
    return reject(
      `unknown-payment-option: position ${position.iupd} of ${position.organizationFiscalCode} has no option with IUV ${ref.iuv} and notice number ${ref.nav}`,
    );
  }
  if (option.status !== "PO_UNPAID" && option.idReceipt === receipt.receiptId)
    return { outcome: "already-applied", option };
  const implausible = implausibility(position, receipt, now);
  if (implausible !== undefined) return reject(implausible);
  if (option.status === "PO_UNPAID" && option.amount !== receipt.paymentAmountCents) {
    return reject(
      `amount-mismatch: the receipt pays ${receipt.paymentAmountCents} cents, the option ${ref.nav} is ${option.amount} cents`,
    );
  }
  const result = payPaymentOption(position, ref, paymentOf(receipt, now), now);
  switch (result.outcome) {
    case "paid":
      return { outcome: "pay", position: result.position, option: result.option };
    case "already-paid-same-receipt":
      return { outcome: "already-applied", option };
    case "refused":
      return reject(`${result.error.code}: ${result.error.detail}`);
  }
}

/** The index entry of a receipt, dated as its option records the payment (so every re-run writes the same entry). */
export const receiptEntryOf = (
  receipt: Receipt,
  paidOption: PaymentOption,
  documentName: string,
  now: Date,
): ReceiptEntry => {
  const paymentDateTime: Instant = receipt.paymentDateTime ?? paidOption.paymentDate ?? toIso(now);
  return {
    organizationFiscalCode: receipt.organizationFiscalCode,
    iuv: receipt.iuv,
    debtorFiscalCode: receipt.debtorFiscalCode,
    paymentDateTime,
    receiptId: receipt.receiptId,
    amount: receipt.paymentAmountCents,
    noticeNumber: receipt.noticeNumber,
    segregationCode: segregationCodeOf(receipt.iuv),
    documentName,
  };
};
