// What a new revision of a flow, and a bank credit for a flow, do to a debt position, as pure functions
// (docs/adr/0035-fdr3-revisions.md, docs/adr/0036-reconciliation-matching.md).
//
// A revision replaces the previous one whole: a transfer the earlier revision reported and the new one no longer
// names goes back to T_UNREPORTED, and its option and position are recomputed (PO_REPORTED → PO_PAID, REPORTED →
// PAID). Only a transfer this very flow reported is touched: one reported by another flow since is not ours to undo.
import { recomputeStatus } from "../debt-positions/payment-plans";
import { toIso, type DebtPosition, type Instant, type PaymentOption, type Transfer } from "../debt-positions/model";

export type UnreportResult =
  | { readonly outcome: "unreported"; readonly position: DebtPosition }
  /** Not reported by this flow (any more): nothing to undo. */
  | { readonly outcome: "untouched" };

export const unreportTransfer = (
  position: DebtPosition,
  iuv: string,
  idTransfer: string,
  flowId: string,
  now: Date,
): UnreportResult => {
  const option = position.paymentOption.find((o) => o.iuv === iuv);
  const transfer = option?.transfer.find((t) => t.idTransfer === idTransfer);
  if (!option || !transfer || transfer.status !== "T_REPORTED" || transfer.idFlowReporting !== flowId) {
    return { outcome: "untouched" };
  }
  const at = toIso(now);
  const back: Transfer = { ...transfer, status: "T_UNREPORTED", idFlowReporting: undefined, lastUpdatedDate: at };
  const transfers = option.transfer.map((t) => (t.idTransfer === idTransfer ? back : t));
  const stillReported = transfers.filter((t) => t.status === "T_REPORTED");
  const latest = stillReported.at(-1);
  const updated: PaymentOption = {
    ...option,
    transfer: transfers,
    status: stillReported.length === 0 ? "PO_PAID" : "PO_PARTIALLY_REPORTED",
    // The option shows the flow of a transfer still reported, or none; the reporting date goes with it.
    idFlowReporting: latest?.idFlowReporting,
    reportingDate: latest === undefined ? undefined : option.reportingDate,
    // Money that is no longer reported by this flow is no longer reconciled through it.
    reconciledDate: stillReported.length === 0 ? undefined : option.reconciledDate,
    reconciliationRef: stillReported.length === 0 ? undefined : option.reconciliationRef,
    lastUpdatedDate: at,
  };
  const next = recomputeStatus(
    { ...position, paymentOption: position.paymentOption.map((o) => (o.iuv === iuv ? updated : o)) },
    now,
  );
  return { outcome: "unreported", position: withPositionReconciliation(next) };
};

export interface Reconciliation {
  /** When the credit that completed the flow's total was booked (the statement's booking date). */
  readonly reconciledDate: Instant;
  /** The bank's reference of the statement entry (AcctSvcrRef or NtryRef), several joined by "+" for a split credit. */
  readonly reference: string;
}

/**
 * Marks reconciled every option of the position with a transfer reported by `flowId`. Undefined when nothing changes
 * (already marked with the same reconciliation, or no transfer of this flow any more), so the caller writes nothing.
 */
export const reconcileFlowOnPosition = (
  position: DebtPosition,
  flowId: string,
  reconciliation: Reconciliation,
  now: Date,
): DebtPosition | undefined => {
  const at = toIso(now);
  const options = position.paymentOption.map((o) => {
    if (!o.transfer.some((t) => t.status === "T_REPORTED" && t.idFlowReporting === flowId)) return o;
    if (o.reconciledDate === reconciliation.reconciledDate && o.reconciliationRef === reconciliation.reference)
      return o;
    return {
      ...o,
      reconciledDate: reconciliation.reconciledDate,
      reconciliationRef: reconciliation.reference,
      lastUpdatedDate: at,
    };
  });
  if (options.every((o, i) => o === position.paymentOption[i])) return undefined;
  return withPositionReconciliation({ ...position, paymentOption: options, lastUpdatedDate: at });
};

/**
 * The position is reconciled when it is REPORTED and every reported option of it is: its reconciledDate is then the
 * latest of theirs. Anything else clears it.
 */
export const withPositionReconciliation = (position: DebtPosition): DebtPosition => {
  const reported = position.paymentOption.filter((o) => o.status === "PO_REPORTED");
  const dates = reported.map((o) => o.reconciledDate).filter((d): d is string => d !== undefined);
  const all = position.status === "REPORTED" && reported.length > 0 && dates.length === reported.length;
  const latest = all ? dates.reduce((m, d) => (d > m ? d : m)) : undefined;
  return { ...position, reconciledDate: latest };
};
