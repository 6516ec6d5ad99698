// Domain → API shapes of openapi/reconciliation.json.
import type { StatementReport } from "../../shared/application/reconciliation";
import type { EntryResult, EntryStatus, FlowResult } from "../../shared/domain/reporting/flow-report";
import type { FlowRecord } from "../../shared/domain/reporting/ports";
import type { ReconciliationRow } from "../../shared/domain/reporting/reconciliation";

const outcomeNames: Record<EntryStatus | "reported", string> = {
  reported: "APPLIED",
  "already-reported": "ALREADY_REPORTED",
  "unknown-iuv": "UNKNOWN_IUV",
  "not-accountable": "OPTION_NOT_PAID",
  revoked: "REVOKED",
  superseded: "SUPERSEDED",
  "transfer-not-found": "TRANSFER_NOT_FOUND",
  "duplicate-entry": "DUPLICATE_ENTRY",
};

const entryDto = (e: EntryResult) => ({
  entry: e.entry,
  iuv: e.iuv,
  idTransfer: e.transferIndex,
  outcomeCode: e.outcome,
  outcome: outcomeNames[e.status],
  iupd: e.iupd,
  detail: e.detail,
});

export const toFlowResultDto = (record: FlowRecord, result: FlowResult | undefined) => {
  const counts: Record<string, number> = { APPLIED: result?.reported ?? 0 };
  for (const e of result?.unapplied ?? []) {
    const name = outcomeNames[e.status];
    counts[name] = (counts[name] ?? 0) + 1;
  }
  const status =
    record.applyingRevision !== undefined
      ? "APPLYING"
      : record.rejection !== undefined && record.rejection.revision > (record.appliedRevision ?? 0)
        ? "REJECTED"
        : "APPLIED";
  return {
    organizationId: record.organization,
    flowId: record.flowId,
    source: record.source,
    flowDate: record.flowDate,
    pspId: record.pspId,
    status,
    revision: result?.revision ?? record.appliedRevision,
    revisions: record.revisions.map((r) => r.revision),
    rejection: record.rejection,
    processedAt: result?.processedAt,
    entries: result?.entries ?? 0,
    totalAmount: record.totalAmountCents,
    outcomes: counts,
    notApplied: (result?.unapplied ?? []).map(entryDto),
  };
};

export const toReconciliationDto = (row: ReconciliationRow) => ({
  flowId: row.flowId,
  flowDate: row.flowDate,
  pspId: row.pspId,
  source: row.source,
  expected: row.expectedCents,
  credited: row.creditedCents,
  status: row.status,
  reconciledDate: row.reconciledDate,
  credits: row.credits.map((c) => ({ entryReference: c.entryRef, bookingDate: c.bookingDate, amount: c.amountCents })),
});

export const toStatementReportDto = (r: StatementReport) => ({ ...r });
