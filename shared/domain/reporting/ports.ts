// What the reporting use cases need from storage: the flows as filed XML plus the per-flow result. The Blob adapter
// implements it (docs/adr/0009-reporting-flows.md).
import type { DebtPosition } from "../debt-positions/model";
import type { Versioned } from "../debt-positions/ports";
import type { Fdr3Flow, Fdr3Payment, PublishedFlowRef } from "./fdr3";
import type { FlowKey, FlowResult, FlowSummary } from "./flow-report";

/**
 * "stored": written now; "already-stored": the same bytes were filed before (a re-delivery or a re-run after a crash);
 * "conflict": another document is filed under the same organization, date and flow id.
 */
export type StoreOutcome = "stored" | "already-stored" | "conflict";

export interface FlowStore {
  /** Files the XML only if nothing is filed under the key yet (create-only, atomic). */
  store(key: FlowKey, flowDateTime: string, xml: Buffer): Promise<StoreOutcome>;
  /** Replaces the flow's result (written at the end of each processing). */
  saveResult(key: FlowKey, result: FlowResult): Promise<void>;
  readResult(key: FlowKey): Promise<FlowResult | undefined>;
  /** The XML as filed; undefined when absent. */
  read(key: FlowKey): Promise<Buffer | undefined>;
  /** The flow as filed, whatever its source: the XML, or the newest FdR-3 revision as JSON. */
  readFiled(key: FlowKey): Promise<{ format: "xml" | "json"; bytes: Buffer } | undefined>;
  /** The organization's flows, of one day when flowDate (yyyy-MM-dd) is given; in no particular order. */
  list(organization: string, flowDate?: string): Promise<FlowSummary[]>;
}

// ---- release 2: one flow model for both sources, FdR-3, reconciliation (docs/adr/0035, 0036) ----------------------

/** Batched lookups by IUV: a few round trips for up to 100 IUVs instead of two per IUV. */
export interface PositionLookup {
  /** The positions holding these IUVs of the organization, by IUV; an IUV nobody holds is absent. */
  findByIuvs(organization: string, iuvs: readonly string[]): Promise<Map<string, Versioned<DebtPosition>>>;
}

export type FlowSource = "XML" | "FDR3";

/** The flow as the rest of the service knows it, whatever its source (Cosmos, container `reporting`). */
export interface FlowRecord {
  organization: string;
  flowId: string;
  source: FlowSource;
  /** yyyy-MM-dd (UTC) of the flow date of the newest revision: where its blobs are filed. */
  flowDate: string;
  flowDateTime: string;
  pspId: string;
  /** The newest revision fully applied (1 for XML flows); undefined while the first one is being applied. */
  appliedRevision?: number | undefined;
  /** The revision being applied now (a crash leaves it here; the next run applies it again). */
  applyingRevision?: number | undefined;
  /** Every revision received, oldest first. */
  revisions: {
    revision: number;
    published?: string | undefined;
    totalPayments: number;
    totalAmountCents: number;
    flowDate: string;
  }[];
  totalPayments: number;
  totalAmountCents: number;
  /** Set when a revision could not be applied (count or sum disagreeing with the payments…). */
  rejection?: { revision: number; reason: string } | undefined;
  reconciliation?: { reconciledDate: string; reference: string } | undefined;
  updatedAt: string;
}

/** A credit of a bank statement (camt.053 Ntry, CRDT). */
export interface CreditRecord {
  organization: string;
  /** Stable per statement entry: the same statement twice writes the same ids. */
  id: string;
  statementId: string;
  entryRef: string;
  bookingDate: string;
  amountCents: number;
  /** The flow the remittance information names, if any. */
  flowId?: string | undefined;
  remittance: string;
  receivedAt: string;
}

export interface ReportingIndex {
  getFlow(organization: string, flowId: string): Promise<Versioned<FlowRecord> | undefined>;
  /** Creates (previous undefined) or replaces conditionally; CONCURRENT_MODIFICATION when it changed meanwhile. */
  saveFlow(previous: Versioned<FlowRecord> | undefined, next: FlowRecord): Promise<void>;
  /** Flows whose flowDate is within [from, to] (yyyy-MM-dd). */
  listFlows(organization: string, from: string, to: string): Promise<FlowRecord[]>;
  findFlows(organization: string, flowIds: readonly string[]): Promise<FlowRecord[]>;
  /** The last `published` instant fully applied from FdR-3 for the organization. */
  getCursor(organization: string): Promise<string | undefined>;
  setCursor(organization: string, published: string): Promise<void>;
  /** Creates the credits that are not there yet (idempotent by id); answers how many were new. */
  addCredits(credits: readonly CreditRecord[]): Promise<number>;
  creditsOfFlows(organization: string, flowIds: readonly string[]): Promise<CreditRecord[]>;
  /** Credits booked within [from, to] (yyyy-MM-dd). */
  listCredits(organization: string, from: string, to: string): Promise<CreditRecord[]>;
  /** Organizations with FdR-3 enabled. */
  fdr3Organizations(): Promise<string[]>;
}

/** FdR-3 itself (the real client is an HTTP adapter). Transient failures throw Fdr3Unavailable. */
export interface Fdr3Api {
  listPublished(organization: string, publishedGt: string | undefined): AsyncIterable<PublishedFlowRef>;
  getFlow(organization: string, ref: Pick<PublishedFlowRef, "fdr" | "revision" | "pspId">): Promise<Fdr3Flow>;
  /** The payments page by page, in the order FdR-3 serves them. */
  payments(
    organization: string,
    ref: Pick<PublishedFlowRef, "fdr" | "revision" | "pspId">,
  ): AsyncIterable<Fdr3Payment[]>;
}

/** Where FdR-3 revisions are filed (next to the XML flows, same keys): written page by page, committed at once. */
export interface Fdr3FlowStore {
  /**
   * Stages every page `pages` yields, then commits the revision as one blob only if `check` passes: a revision is
   * either filed whole or not at all. Re-filing the same revision replaces it (a re-run after a crash).
   */
  storeRevision(key: FlowKey, flow: Fdr3Flow, pages: AsyncIterable<Fdr3Payment[]>, check: () => void): Promise<void>;
  /** A filed revision's payments, page by page, streamed back (bounded memory). */
  readRevision(key: FlowKey, revision: number, pageSize: number): AsyncIterable<Fdr3Payment[]>;
  hasRevision(key: FlowKey, revision: number): Promise<boolean>;
}

/** Both kinds of filed flows: the Blob adapter serves XML flows and FdR-3 revisions side by side. */
export type FiledFlows = FlowStore & Fdr3FlowStore;
