// Treasury reconciliation (docs/adr/0036-reconciliation-matching.md): bank statements (camt.053) arrive by the
// `statements-inbox` container or by POST …/statements; every booked credit whose remittance names a flow is kept
// (create-only, so the same statement twice adds nothing), and a flow whose credits add up to its total becomes
// reconciled together with every option it reported. The flows' side calls reconcileFlowIfCredited too, so a credit
// that arrives before its flow is matched when the flow comes.
import { createHash } from "node:crypto";
import { DomainError } from "../domain/errors";
import { isFlowRejection } from "../domain/reporting/flow";
import { executedOutcomes } from "../domain/reporting/flow-report";
import { outcomeOfPayStatus } from "../domain/reporting/fdr3";
import { StatementRejection, type Statement } from "../domain/reporting/camt053";
import type { CreditRecord, FiledFlows, FlowRecord, ReportingIndex } from "../domain/reporting/ports";
import { orphanRow, reconcileRow, reconciliationOf, type ReconciliationRow } from "../domain/reporting/reconciliation";
import { reconcileFlowOnPosition } from "../domain/reporting/revisions";
import type { Logger } from "../logging/logger";
import { readCamt053 } from "../xml/camt053-xml";
import { readReportingFlow } from "../xml/flow-xml";
import { isXmlRejection } from "../xml/safe-xml";
import { forPositionsOf, type FlowApplyDeps } from "./flow-apply";
import { processInbox, type Inbox, type InboxSummary } from "./inbox";
import { retryLostRaces } from "./lost-races";

export interface ReconcileDeps extends FlowApplyDeps {
  index: ReportingIndex;
  flows: FiledFlows;
}

/**
 * Reconciles the flow if its credits add up to its total: marks every option it reported (one conditional write per
 * position, nothing written where already marked), then records the reconciliation on the flow. Answers whether the
 * flow is reconciled. Idempotent: a re-run finds everything marked and writes nothing.
 */
export async function reconcileFlowIfCredited(
  organization: string,
  flowId: string,
  now: Date,
  deps: ReconcileDeps,
): Promise<boolean> {
  const record = await deps.index.getFlow(organization, flowId);
  if (record?.value.appliedRevision === undefined) return false;
  const credits = await deps.index.creditsOfFlows(organization, [flowId]);
  const reconciliation = reconciliationOf(record.value, credits);
  if (reconciliation === undefined) return false;

  const iuvs = await reportedIuvs(record.value, deps);
  await forPositionsOf(
    organization,
    [...iuvs].map((iuv) => ({ iuv })),
    deps,
    (position) => ({
      next: position === undefined ? undefined : reconcileFlowOnPosition(position, flowId, reconciliation, now),
      out: [],
    }),
  );

  await retryLostRaces(async (attempt) => {
    const current = attempt === 1 ? record : await deps.index.getFlow(organization, flowId);
    if (current === undefined) return;
    const had = current.value.reconciliation;
    if (had?.reconciledDate === reconciliation.reconciledDate && had.reference === reconciliation.reference) return;
    await deps.index.saveFlow(current, { ...current.value, reconciliation, updatedAt: now.toISOString() });
  }, 5);
  return true;
}

/** The IUVs of the executed entries of the flow's applied revision, read back from the filed flow. */
async function reportedIuvs(flow: FlowRecord, deps: ReconcileDeps): Promise<Set<string>> {
  const key = { organization: flow.organization, flowDate: flow.flowDate, flowId: flow.flowId };
  const iuvs = new Set<string>();
  if (flow.source === "XML") {
    const xml = await deps.flows.read(key);
    if (xml === undefined) return iuvs;
    const parsed = await readReportingFlow(xml);
    for (const p of parsed.payments) if (executedOutcomes.includes(p.outcome)) iuvs.add(p.iuv);
    return iuvs;
  }
  for await (const page of deps.flows.readRevision(key, flow.appliedRevision ?? 1, 1000)) {
    for (const p of page) if (executedOutcomes.includes(outcomeOfPayStatus[p.payStatus])) iuvs.add(p.iuv);
  }
  return iuvs;
}

/**
 * A credit's id from its statement and entry reference: the same entry of the same statement always gets the same id
 * (so receiving a statement twice adds nothing), hashed because bank references may hold "/" or "#".
 */
export const creditDocId = (organization: string, statementId: string, entryRef: string): string =>
  `credit:${createHash("sha256").update(`${organization}\u0000${statementId}\u0000${entryRef}`).digest("hex").slice(0, 40)}`;

export interface StatementReport {
  messageId: string;
  credits: number;
  /** Credits not seen before (a statement received twice adds none). */
  newCredits: number;
  creditsNamingFlows: number;
  reconciledFlows: string[];
  /** Flows named by credits that do not (yet) add up to their total. */
  unmatchedFlows: string[];
  /** Flow ids named by credits that GPD does not know. */
  unknownFlows: string[];
  skipped: Statement["skipped"];
}

export type StatementOutcome = { accepted: true; report: StatementReport } | { accepted: false; reason: string };

export interface StatementDeps extends ReconcileDeps {
  clock: () => Date;
  log: Logger;
  maxStatementBytes?: number;
}

/** One camt.053 statement of one organization: its credits kept, the flows they complete reconciled. */
export async function ingestStatement(
  organization: string,
  bytes: Buffer,
  deps: StatementDeps,
): Promise<StatementOutcome> {
  let statement: Statement;
  try {
    statement = await readCamt053(bytes, { maxBytes: deps.maxStatementBytes });
  } catch (e) {
    if (e instanceof StatementRejection || isXmlRejection(e) || isFlowRejection(e)) {
      return { accepted: false, reason: `${e.reason}: ${e.message}` };
    }
    throw e;
  }
  const now = deps.clock();
  const named = statement.credits.filter((c) => c.flowId !== undefined);
  const records: CreditRecord[] = named.map((c) => ({
    organization,
    id: creditDocId(organization, c.statementId, c.entryRef),
    statementId: c.statementId,
    entryRef: c.entryRef,
    bookingDate: c.bookingDate,
    amountCents: c.amountCents,
    flowId: c.flowId,
    remittance: c.remittance.join(" | ").slice(0, 1000),
    receivedAt: now.toISOString(),
  }));
  const newCredits = await deps.index.addCredits(records);
  const flowIds = [...new Set(records.map((r) => r.flowId).filter((f): f is string => f !== undefined))];
  const known = new Set((await deps.index.findFlows(organization, flowIds)).map((f) => f.flowId));
  const reconciledFlows: string[] = [];
  const unmatchedFlows: string[] = [];
  for (const flowId of flowIds.filter((f) => known.has(f))) {
    if (await reconcileFlowIfCredited(organization, flowId, now, deps)) reconciledFlows.push(flowId);
    else unmatchedFlows.push(flowId);
  }
  const report: StatementReport = {
    messageId: statement.messageId,
    credits: statement.credits.length,
    newCredits,
    creditsNamingFlows: records.length,
    reconciledFlows,
    unmatchedFlows,
    unknownFlows: flowIds.filter((f) => !known.has(f)),
    skipped: statement.skipped,
  };
  deps.log.info(
    `statement ${statement.messageId} of ${organization}: ${report.credits} credit(s), ${newCredits} new, ${reconciledFlows.length} flow(s) reconciled, ${unmatchedFlows.length} not matching, ${report.unknownFlows.length} unknown`,
  );
  return { accepted: true, report };
}

/**
 * ingestStatements: each blob of statements-inbox is one camt.053 statement, filed under the organization's fiscal
 * code as its folder ("<fiscal code>/<any name>.xml"): a statement says which account it is about, not which
 * organization GPD knows it by.
 */
export async function runIngestStatements(deps: StatementDeps & { inbox: Inbox }): Promise<InboxSummary> {
  return await processInbox(
    deps.inbox,
    async (name, bytes) => {
      const [organization, rest] = name.split("/", 2);
      if (organization === undefined || rest === undefined || !/^\d{11}$/.test(organization)) {
        return {
          accepted: false,
          reason: "unknown-organization: file statements as <organization fiscal code>/<name>.xml",
        };
      }
      const outcome = await ingestStatement(organization, bytes, deps);
      return outcome.accepted ? { accepted: true } : outcome;
    },
    { maxFileBytes: deps.maxStatementBytes ?? 20 * 1024 * 1024, log: deps.log },
  );
}

export interface ReconciliationList {
  from: string;
  to: string;
  flows: ReconciliationRow[];
}

/** GET …/reconciliations and GET …/reportings/{flowId}/result: read side. */
export class ReconciliationService {
  readonly #deps: ReconcileDeps & { graceBusinessDays: number };

  constructor(deps: ReconcileDeps & { graceBusinessDays: number }) {
    this.#deps = deps;
  }

  /** Per flow of [from, to] (flow date) expected and credited; credits of the period naming unknown flows too. */
  async list(organization: string, from: string, to: string, now: Date): Promise<ReconciliationList> {
    const { index, graceBusinessDays } = this.#deps;
    // A flow whose only revision was rejected has nothing applied and no total to expect: it is not listed.
    const flows = (await index.listFlows(organization, from, to)).filter((f) => f.appliedRevision !== undefined);
    const credits = await index.creditsOfFlows(
      organization,
      flows.map((f) => f.flowId),
    );
    const today = now.toISOString().slice(0, 10);
    const rows = flows.map((f) =>
      reconcileRow(
        f,
        credits.filter((c) => c.flowId === f.flowId),
        today,
        graceBusinessDays,
      ),
    );
    const listed = new Set(flows.map((f) => f.flowId));
    const booked = (await index.listCredits(organization, from, to)).filter(
      (c) => c.flowId !== undefined && !listed.has(c.flowId),
    );
    const elsewhere = new Set(
      (
        await index.findFlows(
          organization,
          booked.map((c) => c.flowId ?? ""),
        )
      ).map((f) => f.flowId),
    );
    const orphans = new Map<string, CreditRecord[]>();
    for (const c of booked) {
      if (c.flowId === undefined || elsewhere.has(c.flowId)) continue;
      orphans.set(c.flowId, [...(orphans.get(c.flowId) ?? []), c]);
    }
    rows.push(...[...orphans.entries()].map(([flowId, cs]) => orphanRow(flowId, cs)));
    rows.sort((a, b) => (a.flowDate ?? "").localeCompare(b.flowDate ?? "") || a.flowId.localeCompare(b.flowId));
    return { from, to, flows: rows };
  }

  /** The flow's record and the result of applying its newest revision. */
  async result(organization: string, flowId: string) {
    const record = await this.#deps.index.getFlow(organization, flowId);
    const notFound = () =>
      new DomainError(
        "FLOW_NOT_FOUND",
        `Not found a reporting flow for Organization Fiscal Code ${organization} and flow id ${flowId}`,
      );
    if (record === undefined) throw notFound();
    const key = { organization, flowDate: record.value.flowDate, flowId };
    const result = await this.#deps.flows.readResult(key);
    return { record: record.value, result };
  }
}
