// What the debt-position use cases need from storage. The Cosmos adapter implements it; the contract is the same
// on the emulator and on Azure (docs/adr/0006-debt-position-storage.md).
import type { DebtPosition, DebtPositionStatus, Instant } from "./model";

/** A stored position with the version token that makes the next write conditional (Cosmos ETag). */
export interface Versioned<T> {
  value: T;
  etag: string;
  /** Write-order token of this version (the event outbox orders a position's events by it); absent on old data. */
  revision?: number | undefined;
}

export const listOrderBys = ["INSERTED_DATE", "COMPANY_NAME", "IUPD", "STATUS"] as const;
export type OrderBy = (typeof listOrderBys)[number];
export const listOrderings = ["ASC", "DESC"] as const;
export type ListOrdering = (typeof listOrderings)[number];

export interface InstantRange {
  from: Instant;
  to: Instant;
}

/** What a caller asks of the organization's list: the page, the windows, the status and the order. */
export interface ListCriteria {
  page: number;
  limit: number;
  dueDate?: InstantRange | undefined;
  paymentDate?: InstantRange | undefined;
  /** Matched against the effective status at `now` (a PUBLISHED position whose validity began is VALID). */
  status?: DebtPositionStatus | undefined;
  orderBy: OrderBy;
  ordering: ListOrdering;
}

/** The criteria as the store runs them: for one organization, within the caller's segregation codes, at `now`. */
export interface ListQuery extends ListCriteria {
  organizationFiscalCode: string;
  segregationCodes?: readonly string[] | undefined;
  now: Date;
}

/** A stored document that no longer parses as a position: reported by id and skipped, never fatal to a page. */
export interface UnreadableDocument {
  id: string;
  reason: string;
}

export interface ListPage {
  items: DebtPosition[];
  total: number;
  /** Documents of the page that could not be read (already counted in `total`); the caller logs them. */
  unreadable?: UnreadableDocument[];
}

export type JobKind = "validate" | "expire";

export interface CandidatePage {
  items: Versioned<DebtPosition>[];
  continuation: string | undefined;
  /** Candidates that could not be read: the job reports them and goes on with the others. */
  unreadable?: UnreadableDocument[];
}

export interface BulkRecovery {
  /** Committed bulks whose positions were still marked pending (a crash between commit and clean-up). */
  finished: number;
  /** Uncommitted bulks (a crash or an outage before the commit) whose pending documents were removed. */
  removed: number;
}

export interface DebtPositionRepository {
  /** One point read. */
  get(organizationFiscalCode: string, iupd: string): Promise<Versioned<DebtPosition> | undefined>;
  /** Finds the position holding an IUV or a NAV of the organization (index document + point read). */
  findByPaymentReference(
    organizationFiscalCode: string,
    ref: { iuv: string } | { nav: string },
  ): Promise<Versioned<DebtPosition> | undefined>;
  /** Atomic: the position and the claim on its IUPD, IUVs and NAVs. DEBT_POSITION_UNIQUE_VIOLATION when taken. */
  create(position: DebtPosition): Promise<string>;
  /**
   * All or nothing, also when the process dies half-way (docs/adr/0015-crash-safe-bulk-create.md): the positions are
   * written pending under `bulkId` and become visible together when the bulk commits. Calling it again with the
   * same `bulkId` (a retried request) finishes what an earlier attempt left. DEBT_POSITION_UNIQUE_VIOLATION when one
   * of them is taken by another request (then nothing of the bulk stays).
   */
  createMany(positions: readonly DebtPosition[], bulk: { bulkId: string; now: Date }): Promise<void>;
  /** Commits what committed bulks left pending and removes uncommitted bulks started before `staleBefore`. */
  recoverBulks(staleBefore: Date): Promise<BulkRecovery>;
  /** All or nothing, like createMany: when one replace fails, those already written by this call are restored. */
  replaceMany(changes: readonly { previous: Versioned<DebtPosition>; next: DebtPosition }[]): Promise<void>;
  /** All or nothing, like createMany: when one delete fails, those already deleted by this call are re-created. */
  deleteMany(previous: readonly Versioned<DebtPosition>[]): Promise<void>;
  /**
   * Positions on which an IBAN change could still replace `iban` (normalised), a page at a time: one indexed query
   * on the position documents' changeableIbans (docs/adr/0025), never a scan of the organization's positions.
   */
  findByChangeableIban(
    organizationFiscalCode: string,
    iban: string,
    pageSize: number,
    continuation?: string,
  ): Promise<CandidatePage>;
  /** Conditional on the etag: CONCURRENT_MODIFICATION when the position changed since it was read. */
  replace(previous: Versioned<DebtPosition>, next: DebtPosition): Promise<string>;
  /** Conditional on the etag; removes the claims on its IUVs and NAVs too. */
  delete(previous: Versioned<DebtPosition>): Promise<void>;
  list(query: ListQuery): Promise<ListPage>;
  /** Positions a job may have to change at `now`, a page at a time (indexed query, continuation token). */
  findJobCandidates(kind: JobKind, now: Date, pageSize: number, continuation?: string): Promise<CandidatePage>;
}
