// A payment receipt as the node sends it (paSendRTV2 or the older paSendRT, openapi/soap/paForNode.xsd), once read:
// what GPD keeps of it and the rules it must satisfy beyond its schema. Reading the XML is shared/xml/receipt-xml.ts.
// On top of the XSD:
// - a KO receipt is refused: it records no payment, and ingesting it would mark an option paid;
// - the transfer amounts must add up to paymentAmount, and idTransfer must be distinct (an option's amount is the sum
//   of its transfers; idTransfer is 1..5 and names one transfer, docs/domain/debt-positions.md);
// - receiptId (xs:string, so possibly empty per XSD) must not be empty: it is the idempotency key of ingestion.

import { Rejection } from "../rejection";
import type { DebtorType, Instant } from "../debt-positions/model";

export type ReceiptRejectionReason =
  "not-a-receipt" | "schema-violation" | "outcome-ko" | "amount-mismatch" | "duplicate-transfer-id";

/** A well-formed XML document that is not an acceptable receipt. XML-level problems are thrown as XmlRejection. */
export class ReceiptRejection extends Rejection<ReceiptRejectionReason> {
  override readonly name = "ReceiptRejection";
}

export const isReceiptRejection = (e: unknown): e is ReceiptRejection => e instanceof ReceiptRejection;

export interface ReceiptTransfer {
  idTransfer: number;
  amountCents: number;
  fiscalCodePA: string;
  companyName?: string;
  /** Absent when the transfer is a digital stamp (MBDAttachment). */
  iban?: string;
  /** True when the transfer carries an MBDAttachment (digital stamp) instead of an IBAN. */
  mbdAttachment?: boolean;
  remittanceInformation: string;
  category: string;
}

export interface Receipt {
  /** idPA: the organization the receipt is addressed to. */
  organizationFiscalCode: string;
  idBrokerPA: string;
  idStation: string;
  receiptId: string;
  noticeNumber: string;
  /** receipt/fiscalCode: the organization that issued the notice (differs from idPA for a secondary beneficiary). */
  noticeFiscalCode: string;
  /** creditorReferenceId */
  iuv: string;
  debtorFiscalCode: string;
  debtorType: DebtorType;
  debtorFullName: string;
  paymentAmountCents: number;
  feeCents?: number;
  paymentMethod?: string;
  pspId: string;
  pspFiscalCode?: string;
  pspCompany: string;
  idChannel: string;
  /** Normalised to UTC; no offset in the XML means UTC. */
  paymentDateTime?: Instant;
  /** paymentDateTime exactly as written (whitespace collapsed), what the reference stores as paymentDate. */
  paymentDateTimeText?: string;
  /** xs:date as written. */
  applicationDate?: string;
  /** xs:date as written. */
  transferDate?: string;
  transfers: ReceiptTransfer[];
  description: string;
  companyName: string;
  officeName?: string;
  /** paSendRTV2Request/standin, when present. */
  standIn?: boolean;
}

/** The receipt's own consistency, checked once its elements are read: an OK outcome, distinct transfers, a sum. */
export function checkReceiptPayment(p: {
  receiptId: string;
  iuv: string;
  outcome: string;
  transfers: readonly ReceiptTransfer[];
  paymentAmountCents: number;
}): void {
  const { receiptId, iuv, outcome, transfers, paymentAmountCents } = p;
  if (outcome !== "OK") {
    throw new ReceiptRejection(
      "outcome-ko",
      `Receipt ${receiptId} for IUV ${iuv} has outcome ${outcome}: it records no payment`,
    );
  }
  const seen = new Set<number>();
  for (const t of transfers) {
    if (seen.has(t.idTransfer)) {
      throw new ReceiptRejection(
        "duplicate-transfer-id",
        `Receipt ${receiptId}: idTransfer ${t.idTransfer} appears twice`,
      );
    }
    seen.add(t.idTransfer);
  }
  const sum = transfers.reduce((acc, t) => acc + t.amountCents, 0);
  if (sum !== paymentAmountCents) {
    throw new ReceiptRejection(
      "amount-mismatch",
      `Receipt ${receiptId}: transfers add up to ${sum} cents but paymentAmount is ${paymentAmountCents} cents`,
    );
  }
}
