// ingestReportingFlows (docs/domain/jobs.md): each file of flows-inbox is one FlussoRiversamento. Per file, in this order:
//   1. parse safely and check it against the XSD's rules           → a file that fails is rejected (never retried)
//   2. file the XML, create-only, under {org}/{date}/{flowId}.xml   → same bytes there already: a re-delivery, go on;
//                                                                     other bytes there: rejected as a conflict
//   3. report the executed entries, one conditional write per position (all its IUVs at once), re-read and
//      re-decided when the write lost a race; IUVs are looked up a hundred at a time (flow-apply.ts)
//   4. overwrite {org}/{date}/{flowId}.result.json with what happened to every entry
//   5. record the flow in the reporting index (what reconciliation and GET …/result know it by)
//   6. only then may the inbox file go (processInbox removes it when this returns accepted)
// A crash anywhere leaves the inbox file in place; the next run repeats 2–4, and every step is idempotent: 2 finds its
// own bytes, 3 finds the transfers already reported by this flow (reportTransfer's already-reported-same-flow) and
// writes nothing for them, 4 rewrites the same result. So nothing is lost and nothing is done twice.
import { toIso, type DebtPosition, type Transfer } from "../domain/debt-positions/model";
import { reportTransfer } from "../domain/debt-positions/payments";
import { DomainError } from "../domain/errors";
import { isFlowRejection, type ReportingFlow } from "../domain/reporting/flow";
import { FlowPlanner, flowKeyOf, flowResult, type FlowKey, type FlowResult } from "../domain/reporting/flow-report";
import type { FiledFlows, FlowRecord, ReportingIndex } from "../domain/reporting/ports";
import type { DebtPositionRepository } from "../domain/debt-positions/ports";
import type { Logger } from "../logging/logger";
import { forEachInSlices } from "../runtime/event-loop";
import { DEFAULT_FLOW_MAX_BYTES, readReportingFlow } from "../xml/flow-xml";
import { isXmlRejection } from "../xml/safe-xml";
import { applyFlowEntries, type FlowApplyDeps } from "./flow-apply";
import { processInbox, type Inbox, type InboxSummary } from "./inbox";
import { retryLostRaces } from "./lost-races";
import { reconcileFlowIfCredited, type ReconcileDeps } from "./reconciliation";

export interface FlowIngestionDeps extends FlowApplyDeps {
  positions: DebtPositionRepository;
  flows: FiledFlows;
  index: ReportingIndex;
  clock: () => Date;
  log: Logger;
  maxFlowBytes?: number;
}

export type FlowOutcome =
  { accepted: true; note: string; result: FlowResult; writes: number } | { accepted: false; reason: string };

/** Steps 1–5 for one file. Throws for transient failures (storage down, races lost too often): the file stays. */
export async function ingestReportingFlow(name: string, bytes: Buffer, deps: FlowIngestionDeps): Promise<FlowOutcome> {
  let flow: ReportingFlow;
  try {
    // Streamed: a flow of tens of thousands of entries never becomes an element tree, and the event loop keeps
    // turning while it is read (docs/adr/0035-fdr3-revisions.md, "Big flows").
    flow = await readReportingFlow(bytes, { maxBytes: deps.maxFlowBytes ?? DEFAULT_FLOW_MAX_BYTES });
  } catch (e) {
    if (isFlowRejection(e) || isXmlRejection(e)) return { accepted: false, reason: `${e.reason}: ${e.message}` };
    throw e;
  }
  const keyed = flowKeyOf(flow);
  if (!keyed.ok) return { accepted: false, reason: keyed.reason };
  const key = keyed.key;

  const existing = await deps.index.getFlow(key.organization, key.flowId);
  if (existing?.value.source === "FDR3") {
    return {
      accepted: false,
      reason: `conflict: flow ${key.flowId} of ${key.organization} was received from FdR-3; its XML copy is not applied again`,
    };
  }

  const stored = await deps.flows.store(key, flow.flowDateTime, bytes);
  if (stored === "conflict") {
    return {
      accepted: false,
      reason: `conflict: another document is already filed as flow ${key.flowId} of ${key.organization} on ${key.flowDate}`,
    };
  }

  // One instant for the whole flow, so every entry of it carries the same lastUpdatedDate.
  const now = deps.clock();
  // Planned in slices: a flow of 50,000 entries must not hold the event loop (docs/adr/0066-big-flows-yield.md).
  const planner = new FlowPlanner();
  await forEachInSlices(flow.payments, (payment, i) => {
    planner.add(payment, i);
  });
  const plan = planner.plan;
  const applied = await applyFlowEntries(key.organization, flow, [...plan.byIuv.values()].flat(), now, deps);
  const results = [...plan.settled, ...applied.results];
  const writes = applied.writes;
  const result = flowResult(key, flow, results, now);
  await deps.flows.saveResult(key, result);
  await recordXmlFlow(key, flow, now, deps);
  await reconcileFlowIfCredited(key.organization, key.flowId, now, deps satisfies ReconcileDeps);

  const note = `flow ${key.flowId} of ${key.organization}: ${result.entries} entries, ${result.reported} reported, ${result.revoked} revoked, ${result.notApplied} not applied, ${writes} position(s) written${stored === "already-stored" ? " (already filed: re-delivery or re-run)" : ""}`;
  deps.log.info(note);
  return { accepted: true, note, result, writes };
}

/** The whole job run: every file of the inbox through ingestReportingFlow. */
export async function runIngestReportingFlows(
  deps: FlowIngestionDeps & { inbox: Inbox; maxFileBytes?: number },
): Promise<InboxSummary> {
  return await processInbox(deps.inbox, (name, bytes) => ingestReportingFlow(name, bytes, deps), {
    maxFileBytes: deps.maxFileBytes ?? deps.maxFlowBytes ?? DEFAULT_FLOW_MAX_BYTES,
    log: deps.log,
  });
}

/** An XML flow has one revision; recording it again (a re-run) changes nothing but the time. */
async function recordXmlFlow(key: FlowKey, flow: ReportingFlow, now: Date, deps: FlowIngestionDeps): Promise<void> {
  await retryLostRaces(async () => {
    const previous = await deps.index.getFlow(key.organization, key.flowId);
    if (previous?.value.appliedRevision === 1 && previous.value.source === "XML") return;
    const record: FlowRecord = {
      organization: key.organization,
      flowId: key.flowId,
      source: "XML",
      flowDate: key.flowDate,
      flowDateTime: flow.flowDateTime,
      pspId: flow.senderPspId,
      appliedRevision: 1,
      revisions: [
        {
          revision: 1,
          totalPayments: flow.totalPayments,
          totalAmountCents: flow.totalAmountCents,
          flowDate: key.flowDate,
        },
      ],
      totalPayments: flow.totalPayments,
      totalAmountCents: flow.totalAmountCents,
      reconciliation: previous?.value.reconciliation,
      updatedAt: now.toISOString(),
    };
    await deps.index.saveFlow(previous, record);
  }, 5);
}

// ---- one transfer reported directly ----------------------------------------------------------------------------

export interface DirectReport {
  organizationFiscalCode: string;
  iuv: string;
  idTransfer: string;
  now: Date;
  /** Runs on the position read before deciding (segregation codes); throws to refuse. */
  check?: (position: DebtPosition) => void;
}

/**
 * Reports one transfer without a flow (internal report, docs/adr/0026) with the same decision (reportTransfer) and
 * the same conditional write, re-decided after a lost race, as a flow's entry. No flow names it, so reportingDate is
 * the time of the call; a transfer already reported is a 409 (TRANSFER_NOT_ACCOUNTABLE).
 */
export async function reportTransferDirectly(
  deps: { positions: DebtPositionRepository; maxAttempts?: number },
  request: DirectReport,
): Promise<{ position: DebtPosition; transfer: Transfer }> {
  const org = request.organizationFiscalCode;
  const notFound = () =>
    new DomainError(
      "TRANSFER_NOT_FOUND",
      `Not found a transfer for Organization Fiscal Code ${org}, IUV ${request.iuv} and TxID ${request.idTransfer}`,
    );
  return retryLostRaces(async () => {
    const stored = await deps.positions.findByPaymentReference(org, { iuv: request.iuv });
    if (stored === undefined) throw notFound();
    request.check?.(stored.value);
    const result = reportTransfer(
      stored.value,
      request.iuv,
      request.idTransfer,
      { reportingDate: toIso(request.now) },
      request.now,
    );
    if (result.outcome === "refused") throw result.error;
    if (result.outcome === "already-reported-same-flow") {
      throw new DomainError(
        "TRANSFER_NOT_ACCOUNTABLE",
        `The transfer option with Organization Fiscal Code ${org}, IUV ${request.iuv} and TxID ${request.idTransfer} is not in payable state`,
      );
    }
    await deps.positions.replace(stored, result.position);
    return { position: result.position, transfer: result.transfer };
  }, deps.maxAttempts ?? 3);
}
