// Bank-to-customer statements, ISO 20022 camt.053 (any version 001.02 … 001.13: the elements read here did not move),
// read as a stream: each Ntry is reduced to the credits it carries as soon as it closes. Only what reconciliation
// needs is read — booked credits in euros, their booking date, the bank's reference and the remittance texts; debits,
// reversals, pending entries and other currencies are counted and skipped (docs/adr/0036-reconciliation-matching.md).
// Reading the XML is shared/xml/camt053-xml.ts.
import { Rejection } from "../rejection";

export type StatementRejectionReason = "not-a-statement" | "schema-violation";

export class StatementRejection extends Rejection<StatementRejectionReason> {
  override readonly name = "StatementRejection";
}

export interface StatementCredit {
  statementId: string;
  /** The bank's reference of the entry (AcctSvcrRef, else NtryRef, else the statement id and the entry's number). */
  entryRef: string;
  /** yyyy-MM-dd */
  bookingDate: string;
  amountCents: number;
  remittance: string[];
  flowId?: string | undefined;
}

export interface Statement {
  messageId: string;
  credits: StatementCredit[];
  skipped: { debits: number; notBooked: number; reversals: number; otherCurrency: number };
}
