// FdR-3 (pagoPA's reporting API for organizations, test/contract/official/fdr_organization.json) seen from the domain: what a
// published flow and its payments are, and how a payment becomes the same ReportedPayment a FlussoRiversamento entry
// becomes — one flow model, two sources (docs/adr/0035-fdr3-revisions.md).
import type { Instant } from "../debt-positions/model";
import { eurosToCents, InvalidAmountError, MAX_AMOUNT_CENTS } from "../money";
import { Rejection } from "../rejection";
import type { ReportedPayment, ReportingOutcome } from "./flow";

export const payStatuses = ["EXECUTED", "REVOKED", "STAND_IN", "STAND_IN_NO_RPT", "NO_RPT"] as const;
export type PayStatus = (typeof payStatuses)[number];

// fdr_organization.json, Payment.payStatus: "EXECUTED -> 0, REVOKED -> 3, STAND_IN -> 4, STAND_IN_NO_RPT -> 8,
// NO_RPT -> 9" — the codes of codiceEsitoSingoloPagamento, so both sources share one outcome vocabulary.
export const outcomeOfPayStatus: Readonly<Record<PayStatus, ReportingOutcome>> = {
  EXECUTED: "0",
  REVOKED: "3",
  STAND_IN: "4",
  STAND_IN_NO_RPT: "8",
  NO_RPT: "9",
};

/** One entry of GET …/organizations/{org}/fdrs: a published flow (its newest revision). */
export interface PublishedFlowRef {
  fdr: string;
  pspId: string;
  revision: number;
  published: Instant;
  flowDate?: Instant | undefined;
}

/** GET …/fdrs/{fdr}/revisions/{revision}/psps/{pspId}: one revision of a flow, without its payments. */
export interface Fdr3Flow {
  fdr: string;
  revision: number;
  status: string;
  published?: Instant | undefined;
  fdrDate: Instant;
  regulation: string;
  regulationDate: string;
  bicCodePouringBank?: string | undefined;
  pspId: string;
  pspName?: string | undefined;
  organizationId: string;
  organizationName?: string | undefined;
  totPayments: number;
  sumPaymentsCents: number;
}

/** One payment of a revision as FdR-3 gives it (amount already in cents). */
export interface Fdr3Payment {
  index: number;
  iuv: string;
  iur: string;
  idTransfer: number;
  payCents: number;
  payStatus: PayStatus;
  payDate: string;
}

export type Fdr3RejectionReason = "invalid-flow" | "invalid-payment" | "count-mismatch" | "amount-mismatch";

/** A published flow GPD cannot apply as it is (the PSP must publish a corrected revision). */
export class Fdr3Rejection extends Rejection<Fdr3RejectionReason> {
  override readonly name = "Fdr3Rejection";
}

/**
 * A JSON number of euros with at most two decimals → cents, exactly. JSON has already turned the text into a double;
 * its shortest decimal form (String) is the text the PSP wrote for any amount with ≤ 2 decimals, so it is converted
 * as text, never multiplied.
 */
export function fdr3AmountCents(value: number, what: string): number {
  const text = String(value);
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m)
    throw new Fdr3Rejection(
      "invalid-payment",
      `${what}: ${text.slice(0, 30)} is not an amount in euros with at most two decimals`,
    );
  const cents = eurosToCentsSafe(`${m[1] ?? "0"}.${(m[2] ?? "").padEnd(2, "0")}`, what);
  if (cents > MAX_AMOUNT_CENTS)
    throw new Fdr3Rejection("invalid-payment", `${what}: ${text} exceeds the largest amount accepted`);
  return cents;
}

function eurosToCentsSafe(euros: string, what: string): number {
  try {
    return eurosToCents(euros);
  } catch (e) {
    if (e instanceof InvalidAmountError) throw new Fdr3Rejection("invalid-payment", `${what}: ${e.message}`);
    throw e;
  }
}

/** The payment as the flow model's entry: idTransfer is indiceDatiSingoloPagamento, payStatus the outcome code. */
export const toReportedPayment = (p: Fdr3Payment): ReportedPayment => ({
  iuv: p.iuv,
  iur: p.iur,
  transferIndex: p.idTransfer,
  transferIndexGiven: true,
  amountCents: p.payCents,
  outcome: outcomeOfPayStatus[p.payStatus],
  outcomeDate: p.payDate.slice(0, 10),
});

/** Where a revision's payments are checked as they stream in: count, sum, index order and uniqueness. */
export class RevisionTally {
  count = 0;
  sumCents = 0;
  #lastIndex = 0;

  add(p: Fdr3Payment): void {
    // Indexes are unique in a flow (fdr_organization.json: "Unique index of the payment in the flow"); pages come in
    // index order, so a repeated or backwards index means a page was served twice or skipped.
    if (p.index <= this.#lastIndex) {
      throw new Fdr3Rejection(
        "invalid-payment",
        `payment index ${p.index} follows ${this.#lastIndex}: indexes must be unique and increasing`,
      );
    }
    this.#lastIndex = p.index;
    this.count += 1;
    this.sumCents += p.payCents;
  }

  check(flow: Fdr3Flow): void {
    if (this.count !== flow.totPayments) {
      throw new Fdr3Rejection(
        "count-mismatch",
        `flow ${flow.fdr} revision ${flow.revision}: totPayments is ${flow.totPayments} but ${this.count} payments were served`,
      );
    }
    if (this.sumCents !== flow.sumPaymentsCents) {
      throw new Fdr3Rejection(
        "amount-mismatch",
        `flow ${flow.fdr} revision ${flow.revision}: sumPayments is ${flow.sumPaymentsCents} cents but the payments add up to ${this.sumCents} cents`,
      );
    }
  }
}

/**
 * FdR-3 could not be read: unreachable, timed out, 5xx or 429 after the client's retries, or an answer that makes no
 * sense. The run leaves the organization where it was (nothing half-applied) and tries again next time.
 */
export class Fdr3Unavailable extends Error {
  override readonly name = "Fdr3Unavailable";

  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
