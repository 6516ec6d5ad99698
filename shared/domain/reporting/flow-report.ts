// What a reporting flow does to the debt positions it names (docs/domain/jobs.md ingestReportingFlows, docs/domain/statuses.md#transitions, docs/domain/reporting.md#outcomes),
// as pure functions: which entries are to be applied, how the entries of one position are folded into it, and the
// per-flow result kept next to the stored flow. I/O (finding positions, conditional writes, blobs) is the job's.
//
// Outcome codes (codiceEsitoSingoloPagamento): 0 executed, 9 executed without RPT and 4 executed in stand-in report
// the transfer; 3 (revoked) reports nothing (docs/domain/reporting.md#outcomes). The contract's XSD enumerates 4 as an executed payment, so it
// is treated like 0 and 9 (docs/domain/reporting.md#outcomes lists it as FdR3's STAND_IN: money was moved).
import type { DebtPosition, Instant, TransferId } from "../debt-positions/model";
import { transferIds } from "../debt-positions/model";
import { reportTransfer } from "../debt-positions/payments";
import type { ReportedPayment, ReportingFlow, ReportingOutcome } from "./flow";

/** Where a flow is filed: the receiving organization, the UTC date of dataOraFlusso and the flow id. */
export interface FlowKey {
  organization: string;
  /** yyyy-MM-dd */
  flowDate: string;
  flowId: string;
}

/** One stored flow as the list shows it. */
export interface FlowSummary extends FlowKey {
  flowDateTime: Instant;
}

export const executedOutcomes: readonly ReportingOutcome[] = ["0", "4", "8", "9"];

// Organization fiscal codes are 11 digits (docs/domain/api-surface.md keys, the registry); the XSD allows any 1..35 characters, which
// could name another organization's folder ("../") in the blob layout, so anything else is refused.
const organizationPattern = /^\d{11}$/;

export type FlowKeyResult = { ok: true; key: FlowKey } | { ok: false; reason: string };

export const flowKeyOf = (flow: ReportingFlow): FlowKeyResult => {
  if (!organizationPattern.test(flow.receiverOrganizationFiscalCode)) {
    return {
      ok: false,
      reason: `unknown-receiver: istitutoRicevente ${JSON.stringify(flow.receiverOrganizationFiscalCode.slice(0, 40))} is not an organization fiscal code (11 digits)`,
    };
  }
  // An offset can push 9999-12-31 into year 10000, which has no yyyy-MM-dd form.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(flow.flowDate)) {
    return {
      ok: false,
      reason: `schema-violation: dataOraFlusso ${flow.flowDateTimeText} has no yyyy-MM-dd date in UTC`,
    };
  }
  return {
    ok: true,
    key: { organization: flow.receiverOrganizationFiscalCode, flowDate: flow.flowDate, flowId: flow.flowId },
  };
};

// ---- per-entry results -------------------------------------------------------------------------------------------

export type EntryStatus =
  /** The transfer is T_REPORTED by this flow (now, or by an earlier run of the same flow). */
  | "reported"
  | "revoked"
  | "unknown-iuv"
  | "transfer-not-found"
  /** Reported by another flow before. */
  | "already-reported"
  /** Option not paid, or position in a state that cannot be reported. */
  | "not-accountable"
  /** The same IUV and index appear earlier in this flow. */
  | "duplicate-entry"
  /** Reported by an earlier revision of this flow and dropped by a newer one: the transfer went back to unreported. */
  | "superseded";

export interface EntryResult {
  /** 1-based position of the datiSingoliPagamenti in the flow. */
  entry: number;
  iuv: string;
  transferIndex: number;
  outcome: ReportingOutcome;
  status: EntryStatus;
  iupd?: string | undefined;
  detail?: string | undefined;
}

/** An entry of the flow with its place in it. */
export interface FlowEntry {
  entry: number;
  payment: ReportedPayment;
}

export interface FlowPlan {
  /** Executed entries to apply, by IUV, in flow order. */
  byIuv: Map<string, FlowEntry[]>;
  /** Decided without reading anything: revoked and duplicate entries. */
  settled: EntryResult[];
}

const resultOf = (e: FlowEntry, status: EntryStatus, extra: Partial<EntryResult> = {}): EntryResult => ({
  entry: e.entry,
  iuv: e.payment.iuv,
  transferIndex: e.payment.transferIndex,
  outcome: e.payment.outcome,
  status,
  ...extra,
});

/**
 * Splits a flow's entries, one at a time, into what must be applied, grouped by IUV, and what is settled already. The
 * caller feeds it in flow order and may give the event loop back between slices of a big flow.
 */
export class FlowPlanner {
  readonly #byIuv = new Map<string, FlowEntry[]>();
  readonly #settled: EntryResult[] = [];
  readonly #seen = new Set<string>();

  /** `index` is the 0-based place of the payment in the flow. */
  add(payment: ReportedPayment, index: number): void {
    const e: FlowEntry = { entry: index + 1, payment };
    if (!executedOutcomes.includes(payment.outcome)) {
      this.#settled.push(
        resultOf(e, "revoked", { detail: "codiceEsitoSingoloPagamento 3 (revoked): nothing is reported" }),
      );
      return;
    }
    const key = `${payment.iuv}\u0000${payment.transferIndex}`;
    if (this.#seen.has(key)) {
      this.#settled.push(
        resultOf(e, "duplicate-entry", {
          detail: "the same IUV and indiceDatiSingoloPagamento appear earlier in this flow",
        }),
      );
      return;
    }
    this.#seen.add(key);
    const group = this.#byIuv.get(payment.iuv);
    if (group) group.push(e);
    else this.#byIuv.set(payment.iuv, [e]);
  }

  get plan(): FlowPlan {
    return { byIuv: this.#byIuv, settled: this.#settled };
  }
}

/** Splits the flow's entries into what must be applied, grouped by IUV, and what is settled already. */
export const planFlow = (flow: ReportingFlow): FlowPlan => {
  const planner = new FlowPlanner();
  flow.payments.forEach((payment, i) => {
    planner.add(payment, i);
  });
  return planner.plan;
};

export const unknownIuv = (entries: readonly FlowEntry[], organization: string): EntryResult[] =>
  entries.map((e) =>
    resultOf(e, "unknown-iuv", { detail: `No debt position of organization ${organization} has IUV ${e.payment.iuv}` }),
  );

export interface PositionOutcome {
  /** The position to write, or undefined when no entry changed it. */
  next: DebtPosition | undefined;
  results: EntryResult[];
}

/**
 * Reports, one after the other, the transfers the entries name on one position (all its IUVs in this flow), so the
 * position is written once per flow. reportingDate is the flow's dataOraFlusso: the date the provider reported, and
 * the same on every run of the flow, so a re-run cannot move it.
 */
export const applyEntries = (
  position: DebtPosition,
  entries: readonly FlowEntry[],
  flow: Pick<ReportingFlow, "flowId" | "flowDateTime">,
  now: Date,
): PositionOutcome => {
  let current = position;
  let changed = false;
  const report = { idFlowReporting: flow.flowId, reportingDate: flow.flowDateTime };
  const iupd = position.iupd;
  const results: EntryResult[] = [];
  for (const e of entries) {
    const { iuv, transferIndex } = e.payment;
    const idTransfer = transferIds[transferIndex - 1] as TransferId;
    const transfer = current.paymentOption
      .find((o) => o.iuv === iuv)
      ?.transfer.find((t) => t.idTransfer === idTransfer);
    if (transfer?.status === "T_REPORTED" && transfer.idFlowReporting !== flow.flowId) {
      results.push(
        resultOf(e, "already-reported", {
          iupd,
          detail: `Transfer ${idTransfer} of IUV ${iuv} was reported by flow ${transfer.idFlowReporting ?? "(unknown)"}`,
        }),
      );
      continue;
    }
    const r = reportTransfer(current, iuv, idTransfer, report, now);
    if (r.outcome === "reported") {
      current = r.position;
      changed = true;
      results.push(resultOf(e, "reported", { iupd }));
    } else if (r.outcome === "already-reported-same-flow") {
      results.push(resultOf(e, "reported", { iupd }));
    } else {
      const status = r.error.code === "TRANSFER_NOT_FOUND" ? "transfer-not-found" : "not-accountable";
      results.push(resultOf(e, status, { iupd, detail: r.error.detail }));
    }
  }
  return { next: changed ? current : undefined, results };
};

// ---- the per-flow result -------------------------------------------------------------------------------------------

export interface FlowResult {
  /** Absent on results written before FdR-3 existed: those are XML flows. */
  source?: "XML" | "FDR3" | undefined;
  /** The revision this result is about (XML flows have one). */
  revision?: number | undefined;
  organization: string;
  flowId: string;
  flowDate: string;
  flowDateTime: Instant;
  /** When this result was computed (the last processing of the flow). */
  processedAt: Instant;
  entries: number;
  reported: number;
  revoked: number;
  notApplied: number;
  /** Every entry that did not end up reported by this flow, in flow order (revoked ones included). */
  unapplied: EntryResult[];
}

export const flowResult = (
  key: FlowKey,
  flow: ReportingFlow,
  results: readonly EntryResult[],
  now: Date,
): FlowResult => {
  const unapplied = results.filter((r) => r.status !== "reported").sort((a, b) => a.entry - b.entry);
  const revoked = unapplied.filter((r) => r.status === "revoked").length;
  return {
    source: "XML",
    revision: 1,
    organization: key.organization,
    flowId: key.flowId,
    flowDate: key.flowDate,
    flowDateTime: flow.flowDateTime,
    processedAt: now.toISOString(),
    entries: flow.payments.length,
    reported: results.length - unapplied.length,
    revoked,
    notApplied: unapplied.length - revoked,
    unapplied,
  };
};

/** Newest first by dataOraFlusso; the flow id breaks ties so the order is stable. */
export const newestFirst = (a: FlowSummary, b: FlowSummary): number =>
  b.flowDateTime.localeCompare(a.flowDateTime) || b.flowId.localeCompare(a.flowId);
