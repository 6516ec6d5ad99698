// ingestFdr3Flows: for every organization with FdR-3 enabled, read the flows published since the last one fully
// applied and apply them exactly as an XML flow is applied (docs/adr/0035-fdr3-revisions.md). Per flow revision:
//   1. read the revision and file it whole, page by page (staged blocks, committed only when the payments served add
//      up to totPayments and sumPayments): a revision is filed entirely or not at all;
//   2. record in the reporting index that this revision is being applied;
//   3. read the filed revision back page by page and report its executed entries (flow-apply.ts: IUVs looked up a
//      hundred at a time, one conditional write per position);
//   4. un-report what earlier revisions reported and this one no longer names (superseded);
//   5. write the result, record the revision as applied, reconcile if the treasury already credited the flow;
//   6. move the organization's cursor (publishedGt) past the flow.
// A crash or an FdR-3 outage anywhere leaves the cursor where it was: the next run reads the same flows again, and
// every step is idempotent (1 re-files the same revision, 3 finds its transfers already reported by this flow, 4
// finds them already un-reported, 5 rewrites the same result). Memory is one page of payments plus the set of keys of
// the revision being applied (needed for step 4), whatever the size of the flow.
import type { DebtPositionRepository } from "../domain/debt-positions/ports";
import {
  Fdr3Rejection,
  Fdr3Unavailable,
  RevisionTally,
  outcomeOfPayStatus,
  toReportedPayment,
  type Fdr3Flow,
  type Fdr3Payment,
  type PublishedFlowRef,
} from "../domain/reporting/fdr3";
import {
  executedOutcomes,
  type EntryResult,
  type FlowEntry,
  type FlowKey,
  type FlowResult,
} from "../domain/reporting/flow-report";
import type { Fdr3Api, FlowRecord, ReportingIndex } from "../domain/reporting/ports";
import type { Versioned } from "../domain/debt-positions/ports";
import { unreportTransfer } from "../domain/reporting/revisions";
import type { Logger } from "../logging/logger";
import { applyFlowEntries, forPositionsOf } from "./flow-apply";
import { retryLostRaces } from "./lost-races";
import { reconcileFlowIfCredited, type ReconcileDeps } from "./reconciliation";

export interface Fdr3IngestionDeps extends ReconcileDeps {
  api: Fdr3Api;
  positions: DebtPositionRepository;
  index: ReportingIndex;
  clock: () => Date;
  log: Logger;
  /** Payments applied per step (read back from the filed revision); default 1000. */
  applyPageSize?: number;
}

export interface Fdr3RunSummary {
  organizations: number;
  revisionsApplied: number;
  revisionsRejected: number;
  alreadyApplied: number;
  payments: number;
  positionsWritten: number;
  failedOrganizations: string[];
  durationMs: number;
}

export type RevisionOutcome =
  | { kind: "applied"; result: FlowResult; writes: number }
  | { kind: "already-applied" | "skipped" }
  | { kind: "rejected"; reason: string };

const keyOf = (p: { iuv: string; idTransfer: number }) => `${p.iuv}\u0000${p.idTransfer}`;

/** The whole run. An organization FdR-3 could not serve is left for the next run; the run then fails loudly. */
export async function runIngestFdr3Flows(deps: Fdr3IngestionDeps): Promise<Fdr3RunSummary> {
  const started = Date.now();
  const summary: Fdr3RunSummary = {
    organizations: 0,
    revisionsApplied: 0,
    revisionsRejected: 0,
    alreadyApplied: 0,
    payments: 0,
    positionsWritten: 0,
    failedOrganizations: [],
    durationMs: 0,
  };
  let firstFailure: unknown;
  for (const organization of await deps.index.fdr3Organizations()) {
    summary.organizations += 1;
    try {
      await ingestOrganization(organization, deps, summary);
    } catch (e) {
      firstFailure ??= e;
      summary.failedOrganizations.push(organization);
      const why = e instanceof Error ? e.message : String(e);
      if (e instanceof Fdr3Unavailable) {
        deps.log.warn(`FdR-3 unavailable for ${organization}: ${why}; nothing half-applied, resuming on the next run`);
      } else deps.log.error(`ingestFdr3Flows failed for ${organization}: ${why}; resuming on the next run`);
    }
  }
  summary.durationMs = Date.now() - started;
  deps.log.info("run finished", { ...summary, failedOrganizations: summary.failedOrganizations.join(",") });
  if (firstFailure !== undefined) {
    throw new Error(`${summary.failedOrganizations.length} organization(s) not finished, retried on the next run`, {
      cause: firstFailure,
    });
  }
  return summary;
}

async function ingestOrganization(organization: string, deps: Fdr3IngestionDeps, summary: Fdr3RunSummary) {
  const cursor = await deps.index.getCursor(organization);
  // FdR-3 compares publication instants to the second: asking from one second before the cursor re-lists the flows
  // published in the cursor's own second, and the flow records tell which of them are applied already. So two flows
  // published in the same second are never skipped, whichever order a crash interrupted them in.
  const publishedGt = cursor === undefined ? undefined : new Date(Date.parse(cursor) - 1000).toISOString();
  const refs: PublishedFlowRef[] = [];
  for await (const ref of deps.api.listPublished(organization, publishedGt)) refs.push(ref);
  refs.sort((a, b) => a.published.localeCompare(b.published) || a.fdr.localeCompare(b.fdr) || a.revision - b.revision);
  deps.log.info(
    `${organization}: ${refs.length} published flow(s) to examine since ${publishedGt ?? "FdR-3's default"}`,
  );
  let current = cursor;
  for (const ref of refs) {
    const outcome = await ingestRevision(organization, ref, deps);
    if (outcome.kind === "applied") {
      summary.revisionsApplied += 1;
      summary.payments += outcome.result.entries;
      summary.positionsWritten += outcome.writes;
    } else if (outcome.kind === "rejected") summary.revisionsRejected += 1;
    else summary.alreadyApplied += 1;
    if (current === undefined || ref.published > current) {
      await deps.index.setCursor(organization, ref.published);
      current = ref.published;
    }
  }
}

/** Steps 1–5 for one revision of one flow. Throws for transient failures: the cursor stays, the next run repeats. */
export async function ingestRevision(
  organization: string,
  ref: PublishedFlowRef,
  deps: Fdr3IngestionDeps,
): Promise<RevisionOutcome> {
  const existing = await deps.index.getFlow(organization, ref.fdr);
  if (existing?.value.source === "XML") {
    deps.log.warn(
      `flow ${ref.fdr} of ${organization} was received as XML already: FdR-3 revision ${ref.revision} not applied`,
    );
    return { kind: "skipped" };
  }
  if ((existing?.value.appliedRevision ?? 0) >= ref.revision) return { kind: "already-applied" };
  if (existing?.value.rejection?.revision === ref.revision) return { kind: "already-applied" };

  let flow: Fdr3Flow;
  let key: FlowKey;
  try {
    flow = await deps.api.getFlow(organization, ref);
    if (flow.organizationId !== organization || flow.fdr !== ref.fdr || flow.revision !== ref.revision) {
      throw new Fdr3Rejection(
        "invalid-flow",
        `FdR-3 served flow ${flow.fdr} revision ${flow.revision} of ${flow.organizationId} for ${ref.fdr} revision ${ref.revision} of ${organization}`,
      );
    }
    key = { organization, flowDate: flow.fdrDate.slice(0, 10), flowId: flow.fdr };
    const tally = new RevisionTally();
    await deps.flows.storeRevision(key, flow, tallied(deps.api.payments(organization, ref), tally), () => {
      tally.check(flow);
    });
  } catch (e) {
    if (!(e instanceof Fdr3Rejection)) throw e;
    await recordRejection(organization, ref, e, deps);
    deps.log.warn(`flow ${ref.fdr} revision ${ref.revision} of ${organization} rejected: ${e.reason}: ${e.message}`);
    return { kind: "rejected", reason: `${e.reason}: ${e.message}` };
  }

  const now = deps.clock();
  const record = await markApplying(flow, key, now, deps);
  const applied = await applyRevision(flow, key, now, deps);
  const superseded = await unreportDropped(record, flow, applied.executedKeys, now, deps);

  const unapplied = [...applied.unapplied, ...superseded.results].sort((a, b) => a.entry - b.entry);
  const revoked = applied.unapplied.filter((r) => r.status === "revoked").length;
  const result: FlowResult = {
    source: "FDR3",
    revision: flow.revision,
    organization,
    flowId: flow.fdr,
    flowDate: key.flowDate,
    flowDateTime: flow.fdrDate,
    processedAt: now.toISOString(),
    entries: applied.entries,
    reported: applied.entries - applied.unapplied.length,
    revoked,
    notApplied: applied.unapplied.length - revoked,
    unapplied,
  };
  await deps.flows.saveResult(key, result);
  await markApplied(flow, key, now, deps);
  await reconcileFlowIfCredited(organization, flow.fdr, now, deps);
  const writes = applied.writes + superseded.writes;
  deps.log.info(
    `flow ${flow.fdr} revision ${flow.revision} of ${organization}: ${result.entries} payments, ${result.reported} reported, ${revoked} revoked, ${result.notApplied} not applied, ${superseded.results.length} superseded, ${writes} position write(s)`,
  );
  return { kind: "applied", result, writes };
}

async function* tallied(pages: AsyncIterable<Fdr3Payment[]>, tally: RevisionTally): AsyncIterable<Fdr3Payment[]> {
  for await (const page of pages) {
    for (const p of page) tally.add(p);
    yield page;
  }
}

async function applyRevision(flow: Fdr3Flow, key: FlowKey, now: Date, deps: Fdr3IngestionDeps) {
  const executedKeys = new Set<string>();
  const unapplied: EntryResult[] = [];
  let entries = 0;
  let writes = 0;
  for await (const page of deps.flows.readRevision(key, flow.revision, deps.applyPageSize ?? 1000)) {
    const toApply: FlowEntry[] = [];
    for (const p of page) {
      entries += 1;
      const entry: FlowEntry = { entry: p.index, payment: toReportedPayment(p) };
      const base = { entry: p.index, iuv: p.iuv, transferIndex: p.idTransfer, outcome: entry.payment.outcome };
      if (!executedOutcomes.includes(entry.payment.outcome)) {
        unapplied.push({ ...base, status: "revoked", detail: `payStatus ${p.payStatus}: nothing is reported` });
        continue;
      }
      const k = keyOf(p);
      if (executedKeys.has(k)) {
        unapplied.push({
          ...base,
          status: "duplicate-entry",
          detail: "the same IUV and idTransfer appear earlier in this revision",
        });
        continue;
      }
      executedKeys.add(k);
      toApply.push(entry);
    }
    const done = await applyFlowEntries(
      key.organization,
      { flowId: flow.fdr, flowDateTime: flow.fdrDate },
      toApply,
      now,
      deps,
    );
    unapplied.push(...done.results.filter((r) => r.status !== "reported"));
    writes += done.writes;
  }
  return { executedKeys, unapplied, entries, writes };
}

/** Step 4: every transfer an earlier filed revision reported that this one does not report goes back to unreported. */
async function unreportDropped(
  record: FlowRecord,
  flow: Fdr3Flow,
  executedKeys: ReadonlySet<string>,
  now: Date,
  deps: Fdr3IngestionDeps,
): Promise<{ results: EntryResult[]; writes: number }> {
  const dropped = new Map<
    string,
    { iuv: string; idTransfer: number; entry: number; revision: number; outcome: EntryResult["outcome"] }
  >();
  for (const earlier of record.revisions.filter((r) => r.revision < flow.revision)) {
    const key = { organization: record.organization, flowDate: earlier.flowDate, flowId: record.flowId };
    if (!(await deps.flows.hasRevision(key, earlier.revision))) continue;
    for await (const page of deps.flows.readRevision(key, earlier.revision, 1000)) {
      for (const p of page) {
        const outcome = outcomeOfPayStatus[p.payStatus];
        const k = keyOf(p);
        if (!executedOutcomes.includes(outcome) || executedKeys.has(k) || dropped.has(k)) continue;
        dropped.set(k, { iuv: p.iuv, idTransfer: p.idTransfer, entry: p.index, revision: earlier.revision, outcome });
      }
    }
  }
  if (dropped.size === 0) return { results: [], writes: 0 };
  const { out, writes } = await forPositionsOf(record.organization, [...dropped.values()], deps, (position, items) => {
    let next = position;
    for (const item of items) {
      if (next === undefined) break;
      const r = unreportTransfer(next, item.iuv, String(item.idTransfer), record.flowId, now);
      if (r.outcome === "unreported") next = r.position;
    }
    return { next: next === position ? undefined : next, out: items };
  });
  return {
    writes,
    results: out.map((d) => ({
      entry: d.entry,
      iuv: d.iuv,
      transferIndex: d.idTransfer,
      outcome: d.outcome,
      status: "superseded" as const,
      detail: `reported by revision ${d.revision}, dropped by revision ${flow.revision}: back to unreported`,
    })),
  };
}

async function markApplying(flow: Fdr3Flow, key: FlowKey, now: Date, deps: Fdr3IngestionDeps): Promise<FlowRecord> {
  return await retryLostRaces(async () => {
    const previous = await deps.index.getFlow(key.organization, flow.fdr);
    const revisions = (previous?.value.revisions ?? []).filter((r) => r.revision !== flow.revision);
    revisions.push({
      revision: flow.revision,
      published: flow.published,
      totalPayments: flow.totPayments,
      totalAmountCents: flow.sumPaymentsCents,
      flowDate: key.flowDate,
    });
    revisions.sort((a, b) => a.revision - b.revision);
    const sameTotal = previous?.value.totalAmountCents === flow.sumPaymentsCents;
    const next: FlowRecord = {
      organization: key.organization,
      flowId: flow.fdr,
      source: "FDR3",
      flowDate: key.flowDate,
      flowDateTime: flow.fdrDate,
      pspId: flow.pspId,
      appliedRevision: previous?.value.appliedRevision,
      applyingRevision: flow.revision,
      revisions,
      totalPayments: flow.totPayments,
      totalAmountCents: flow.sumPaymentsCents,
      rejection: undefined,
      // A revision with another total is matched against the credits afresh.
      reconciliation: sameTotal ? previous.value.reconciliation : undefined,
      updatedAt: now.toISOString(),
    };
    await deps.index.saveFlow(previous, next);
    return next;
  }, 5);
}

async function markApplied(flow: Fdr3Flow, key: FlowKey, now: Date, deps: Fdr3IngestionDeps): Promise<void> {
  await retryLostRaces(async () => {
    const previous: Versioned<FlowRecord> | undefined = await deps.index.getFlow(key.organization, flow.fdr);
    if (previous === undefined) throw new Error(`the record of flow ${flow.fdr} disappeared while it was applied`);
    await deps.index.saveFlow(previous, {
      ...previous.value,
      appliedRevision: Math.max(previous.value.appliedRevision ?? 0, flow.revision),
      applyingRevision: undefined,
      updatedAt: now.toISOString(),
    });
  }, 5);
}

async function recordRejection(organization: string, ref: PublishedFlowRef, e: Fdr3Rejection, deps: Fdr3IngestionDeps) {
  const now = deps.clock();
  await retryLostRaces(async () => {
    const previous = await deps.index.getFlow(organization, ref.fdr);
    const date = (ref.flowDate ?? ref.published).slice(0, 10);
    await deps.index.saveFlow(previous, {
      organization,
      flowId: ref.fdr,
      source: "FDR3",
      flowDate: previous?.value.flowDate ?? date,
      flowDateTime: previous?.value.flowDateTime ?? ref.flowDate ?? ref.published,
      pspId: ref.pspId,
      appliedRevision: previous?.value.appliedRevision,
      revisions: previous?.value.revisions ?? [],
      totalPayments: previous?.value.totalPayments ?? 0,
      totalAmountCents: previous?.value.totalAmountCents ?? 0,
      reconciliation: previous?.value.reconciliation,
      rejection: { revision: ref.revision, reason: `${e.reason}: ${e.message}`.slice(0, 500) },
      updatedAt: now.toISOString(),
    });
  }, 5);
}
