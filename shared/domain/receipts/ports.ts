// What the receipt use cases need from storage (docs/adr/0008-receipts.md): the receipt XML itself, addressable by
// organization and IUV (Blob), and one index entry per receipt for the list (Cosmos, partition = organization).
import type { Instant } from "../debt-positions/model";

/** The index entry of one accepted receipt: what the list filters on and answers with. */
export interface ReceiptEntry {
  organizationFiscalCode: string;
  iuv: string;
  debtorFiscalCode: string;
  /** UTC, as `toIso` writes it, so string order is time order (the from/to filter compares strings). */
  paymentDateTime: Instant;
  receiptId: string;
  /** The amount paid, in cents; absent on entries indexed before it was recorded. */
  amount?: number | undefined;
  noticeNumber: string;
  /** The first two characters of the IUV (docs/domain/debt-positions.md#nav): the list shows only the caller's codes. */
  segregationCode: string;
  /** Name of the receipt XML in the receipt store. */
  documentName: string;
}

export interface ReceiptListQuery {
  organizationFiscalCode: string;
  page: number;
  limit: number;
  /** Exact debtor fiscal code. */
  debtor?: string | undefined;
  /** IUV prefix. */
  service?: string | undefined;
  /** Payment instants from `from` included to `until` excluded; either bound may be open. */
  paymentFrom?: Instant | undefined;
  paymentUntil?: Instant | undefined;
  segregationCodes?: readonly string[] | undefined;
}

export interface ReceiptListPage {
  items: ReceiptEntry[];
  morePages: boolean;
}

/** Result of an idempotent write keyed by (organization, IUV): the same receipt again is not a change. */
export type ReceiptWrite =
  { outcome: "written" | "already-there" } | { outcome: "conflict"; storedReceiptId: string | undefined };

export interface ReceiptRepository {
  /** Creates the entry; an entry with the same receiptId already there is success, another one a conflict. */
  add(entry: ReceiptEntry): Promise<ReceiptWrite>;
  /** One page in IUV order (one query). */
  list(query: ReceiptListQuery): Promise<ReceiptListPage>;
}

export interface ReceiptStore {
  /** Where the receipt of (organization, IUV) lives. */
  nameOf(organizationFiscalCode: string, iuv: string): string;
  /** Writes the XML only if nothing is stored under its name (the same receiptId already stored is success). */
  put(organizationFiscalCode: string, iuv: string, receiptId: string, xml: Buffer): Promise<ReceiptWrite>;
  /** One read; undefined when there is none. */
  get(organizationFiscalCode: string, iuv: string): Promise<Buffer | undefined>;
}
