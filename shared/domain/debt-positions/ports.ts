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

export type OrderBy = "INSERTED_DATE" | "COMPANY_NAME" | "IUPD" | "STATUS";

export interface ListQuery {
  organizationFiscalCode: string;
  page: number;
  limit: number;
  dueDate?: { from: Instant; to: Instant } | undefined;
  paymentDate?: { from: Instant; to: Instant } | undefined;
  /** Matched against the effective status at `now` (a PUBLISHED position whose validity began is VALID). */
  status?: DebtPositionStatus | undefined;
  segregationCodes?: readonly string[] | undefined;
  orderBy: OrderBy;
  ordering: "ASC" | "DESC";
  now: Date;
}

export interface ListPage {
  items: DebtPosition[];
  total: number;
}

export type JobKind = "validate" | "expire";

export interface CandidatePage {
  items: Versioned<DebtPosition>[];
  continuation: string | undefined;
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
  /** All or nothing: when one position cannot be written, those already written by this call are removed. */
  createMany(positions: readonly DebtPosition[]): Promise<void>;
  /** Conditional on the etag: CONCURRENT_MODIFICATION when the position changed since it was read. */
  replace(previous: Versioned<DebtPosition>, next: DebtPosition): Promise<string>;
  /** Conditional on the etag; removes the claims on its IUVs and NAVs too. */
  delete(previous: Versioned<DebtPosition>): Promise<void>;
  list(query: ListQuery): Promise<ListPage>;
  /** Positions a job may have to change at `now`, a page at a time (indexed query, continuation token). */
  findJobCandidates(kind: JobKind, now: Date, pageSize: number, continuation?: string): Promise<CandidatePage>;
}
