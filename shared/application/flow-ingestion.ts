// ingestReportingFlows (SPEC §2.2): each file of flows-inbox is one FlussoRiversamento. Per file, in this order:
//   1. parse safely and check it against the XSD's rules           → a file that fails is rejected (never retried)
//   2. file the XML, create-only, under {org}/{date}/{flowId}.xml   → same bytes there already: a re-delivery, go on;
//                                                                     other bytes there: rejected as a conflict
//   3. report the executed entries, one conditional write per position (all its IUVs at once), re-read and
//      re-decided when the write lost a race
//   4. overwrite {org}/{date}/{flowId}.result.json with what happened to every entry
//   5. only then may the inbox file go (processInbox removes it when this returns accepted)
// A crash anywhere leaves the inbox file in place; the next run repeats 2–4, and every step is idempotent: 2 finds its
// own bytes, 3 finds the transfers already reported by this flow (reportTransfer's already-reported-same-flow) and
// writes nothing for them, 4 rewrites the same result. So nothing is lost and nothing is done twice.
import { toIso, type DebtPosition, type Transfer } from "../domain/debt-positions/model";
import { reportTransfer } from "../domain/debt-positions/payments";
import { DomainError } from "../domain/errors";
import type { DebtPositionRepository, Versioned } from "../domain/debt-positions/ports";
import {
  DEFAULT_FLOW_MAX_BYTES,
  isFlowRejection,
  parseReportingFlow,
  type ReportingFlow,
} from "../domain/reporting/flow";
import {
  applyEntries,
  flowKeyOf,
  flowResult,
  planFlow,
  unknownIuv,
  type EntryResult,
  type FlowEntry,
  type FlowKey,
  type FlowResult,
} from "../domain/reporting/flow-report";
import type { FlowStore } from "../domain/reporting/ports";
import type { Logger } from "../logging/logger";
import { isXmlRejection } from "../xml/safe-xml";
import { processInbox, type Inbox, type InboxSummary } from "./inbox";
import { retryLostRaces } from "./lost-races";

export interface FlowIngestionDeps {
  positions: DebtPositionRepository;
  flows: FlowStore;
  clock: () => Date;
  log: Logger;
  /** Positions read or written at the same time (default 16). */
  concurrency?: number;
  /** Conditional writes of one position that may lose a race before the file is left for the next run (default 5). */
  maxAttempts?: number;
  maxFlowBytes?: number;
}

export type FlowOutcome =
  { accepted: true; note: string; result: FlowResult; writes: number } | { accepted: false; reason: string };

/** Steps 1–4 for one file. Throws for transient failures (storage down, races lost too often): the file stays. */
export async function ingestReportingFlow(name: string, bytes: Buffer, deps: FlowIngestionDeps): Promise<FlowOutcome> {
  let flow: ReportingFlow;
  try {
    flow = parseReportingFlow(bytes, { maxBytes: deps.maxFlowBytes ?? DEFAULT_FLOW_MAX_BYTES });
  } catch (e) {
    if (isFlowRejection(e) || isXmlRejection(e)) return { accepted: false, reason: `${e.reason}: ${e.message}` };
    throw e;
  }
  const keyed = flowKeyOf(flow);
  if (!keyed.ok) return { accepted: false, reason: keyed.reason };
  const key = keyed.key;

  const stored = await deps.flows.store(key, flow.flowDateTime, bytes);
  if (stored === "conflict") {
    return {
      accepted: false,
      reason: `conflict: another document is already filed as flow ${key.flowId} of ${key.organization} on ${key.flowDate}`,
    };
  }

  // One instant for the whole flow, so every entry of it carries the same lastUpdatedDate.
  const now = deps.clock();
  const { results, writes } = await applyFlow(flow, key, now, deps);
  const result = flowResult(key, flow, results, now);
  await deps.flows.saveResult(key, result);

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

interface PositionGroup {
  stored: Versioned<DebtPosition>;
  entries: FlowEntry[];
}

async function applyFlow(
  flow: ReportingFlow,
  key: FlowKey,
  now: Date,
  deps: FlowIngestionDeps,
): Promise<{ results: EntryResult[]; writes: number }> {
  const plan = planFlow(flow);
  const results: EntryResult[] = [...plan.settled];
  const concurrency = deps.concurrency ?? 16;

  // Installments of one plan have different IUVs but one position: IUVs are resolved first and grouped by position,
  // so each position is decided on all its entries and written once.
  const groups = new Map<string, PositionGroup>();
  await forEachLimited([...plan.byIuv], concurrency, async ([iuv, entries]) => {
    const stored = await deps.positions.findByPaymentReference(key.organization, { iuv });
    if (!stored) {
      results.push(...unknownIuv(entries, key.organization));
      return;
    }
    const group = groups.get(stored.value.iupd);
    if (group) group.entries.push(...entries);
    else groups.set(stored.value.iupd, { stored, entries: [...entries] });
  });

  let writes = 0;
  await forEachLimited([...groups.values()], concurrency, async (group) => {
    const outcome = await applyToPosition(group, flow, key, now, deps);
    results.push(...outcome.results);
    writes += outcome.written ? 1 : 0;
  });
  return { results, writes };
}

async function applyToPosition(
  group: PositionGroup,
  flow: ReportingFlow,
  key: FlowKey,
  now: Date,
  deps: FlowIngestionDeps,
): Promise<{ results: EntryResult[]; written: boolean }> {
  const entries = [...group.entries].sort((a, b) => a.entry - b.entry);
  // The EC or another run may change the position after it was read: then decide again on what is there now.
  return retryLostRaces(async (attempt) => {
    const stored: Versioned<DebtPosition> | undefined =
      attempt === 1 ? group.stored : await deps.positions.get(key.organization, group.stored.value.iupd);
    if (!stored) return { results: unknownIuv(entries, key.organization), written: false };
    const { next, results } = applyEntries(stored.value, entries, flow, now);
    if (!next) return { results, written: false };
    await deps.positions.replace(stored, next);
    return { results, written: true };
  }, deps.maxAttempts ?? 5);
}

/**
 * Runs `task` over `items` with at most `limit` in flight. After a failure no new task starts; the ones in flight are
 * awaited (so nothing of this file still runs when the caller moves on) and the first failure is rethrown.
 */
async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
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
