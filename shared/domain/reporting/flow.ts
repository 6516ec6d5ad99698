// A reporting flow (FlussoRiversamento 1.0.4, docs/domain/reporting.md#outcomes) read from a blob of `flows-inbox` (docs/domain/jobs.md). Every
// element of ctFlussoRiversamento is checked against its XSD type, in XSD order; the schema is
// elementFormDefault="qualified", so every element must be in the Pagamenti namespace. On top of the XSD, the totals
// must agree with the entries: numeroTotalePagamenti = number of datiSingoliPagamenti and importoTotalePagamenti =
// Σ singoloImportoPagato. A flow whose totals disagree is refused whole: we cannot tell which entries are wrong, and
// marking some transfers reported from a flow the PSP got wrong would be harder to undo than re-requesting the flow.
// Outcome codes: the contract's XSD enumerates 0, 3, 4 (stand-in, executed) and 9; docs/domain/reporting.md#outcomes lists only 0/3/9
// but the contract comes first (docs/domain/README.md#precedence), so 4 is accepted.

import { Rejection } from "../rejection";
import type { Instant } from "../debt-positions/model";

export type FlowRejectionReason = "not-a-flow" | "schema-violation" | "count-mismatch" | "amount-mismatch";

/** A well-formed XML document that is not an acceptable reporting flow. XML-level problems are thrown as XmlRejection. */
export class FlowRejection extends Rejection<FlowRejectionReason> {
  override readonly name = "FlowRejection";
}

export const isFlowRejection = (e: unknown): e is FlowRejection => e instanceof FlowRejection;

/**
 * 0 executed, 3 revoked, 4 executed in stand-in, 9 executed without RPT (docs/domain/reporting.md#outcomes); 8 (stand-in without RPT) is
 * FdR-3's STAND_IN_NO_RPT (fdr_organization.json maps it to 8), which the XML schema does not carry.
 */
export const reportingOutcomes = ["0", "3", "4", "8", "9"] as const;
export type ReportingOutcome = (typeof reportingOutcomes)[number];

export interface ReportedPayment {
  /** identificativoUnivocoVersamento */
  iuv: string;
  /** identificativoUnivocoRiscossione */
  iur: string;
  /** indiceDatiSingoloPagamento, 1 when absent (docs/domain/reporting.md#applying: a missing ID_TRANSFER defaults to 1). */
  transferIndex: number;
  /** False when the flow did not carry indiceDatiSingoloPagamento and transferIndex is the default. */
  transferIndexGiven: boolean;
  amountCents: number;
  outcome: ReportingOutcome;
  /** dataEsitoSingoloPagamento, xs:date as written. */
  outcomeDate: string;
}

export interface ReportingFlow {
  version: "1.0" | "1.1";
  flowId: string;
  /** dataOraFlusso normalised to UTC; no offset in the XML means UTC. */
  flowDateTime: Instant;
  /** dataOraFlusso as written (whitespace collapsed). */
  flowDateTimeText: string;
  /** yyyy-MM-dd of flowDateTime in UTC. */
  flowDate: string;
  /** identificativoUnivocoRegolamento */
  settlementId: string;
  /** dataRegolamento, xs:date as written. */
  settlementDate: string;
  senderPspIdType: "G" | "A" | "B";
  senderPspId: string;
  senderPspName?: string;
  remittingBankBic?: string;
  receiverOrganizationFiscalCode: string;
  receiverName?: string;
  totalPayments: number;
  totalAmountCents: number;
  payments: ReportedPayment[];
}

export type FlowHeader = Omit<ReportingFlow, "payments">;

/** The flow's totals must agree with its entries; a flow whose totals disagree is refused whole. */
export function checkedFlow(header: FlowHeader, payments: ReportedPayment[]): ReportingFlow {
  const { flowId, totalPayments, totalAmountCents } = header;
  if (payments.length !== totalPayments) {
    throw new FlowRejection(
      "count-mismatch",
      `Flow ${flowId}: numeroTotalePagamenti is ${totalPayments} but the flow has ${payments.length} datiSingoliPagamenti`,
    );
  }
  const sum = payments.reduce((acc, x) => acc + x.amountCents, 0);
  if (sum !== totalAmountCents) {
    throw new FlowRejection(
      "amount-mismatch",
      `Flow ${flowId}: importoTotalePagamenti is ${totalAmountCents} cents but the entries add up to ${sum} cents`,
    );
  }

  return { ...header, payments };
}
