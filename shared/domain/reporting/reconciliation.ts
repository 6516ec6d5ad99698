// Treasury reconciliation as pure rules (docs/adr/0036-reconciliation-matching.md): which flow a bank credit names,
// and what a flow's credits say about it.
import type { CreditRecord, FlowRecord } from "./ports";

export const reconciliationStatuses = [
  "RECONCILED",
  "AMOUNT_MISMATCH",
  "CREDIT_WITHOUT_FLOW",
  "FLOW_NOT_CREDITED",
  "AWAITING_CREDIT",
] as const;
export type ReconciliationStatus = (typeof reconciliationStatuses)[number];

// The remittance information pagoPA's providers write on the credit transfer of a flow's money:
// "/PUR/LGPE-RIVERSAMENTO/URI/<identificativoFlusso>"; identificativoFlusso is 1..35 of [A-Za-z0-9_-].
const structured = /\/PUR\/LGPE-RIVERSAMENTO\/URI\/([A-Za-z0-9_-]{1,35})/i;
// A bare flow id, as some banks pass it on: pagoPA's flow names are "<yyyy-MM-dd><PSP id>-<progressive>", so only a
// text of exactly that shape is taken for one (a free text like "RATA TARI 2026" never is).
const bare = /^(\d{4}-\d{2}-\d{2}[A-Za-z0-9_]{1,24}-[A-Za-z0-9_-]{1,20})$/;

/**
 * The flow id a credit's remittance texts name, if any (the structured form wins over a bare id). The texts are read
 * joined: banks cut unstructured remittance into 140-character lines, which can split an id across two of them.
 */
export function flowIdInRemittance(texts: readonly string[]): string | undefined {
  const m = structured.exec(texts.join(""));
  if (m?.[1] !== undefined) return m[1];
  for (const t of texts) {
    const m = bare.exec(t.trim());
    if (m?.[1] !== undefined && m[1].length <= 35) return m[1];
  }
  return undefined;
}

/** yyyy-MM-dd plus `n` business days (Monday to Friday; bank holidays are not known here). */
export function addBusinessDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const day = d.getUTCDay();
    if (day !== 0 && day !== 6) left -= 1;
  }
  return d.toISOString().slice(0, 10);
}

export interface ReconciliationRow {
  flowId: string;
  flowDate?: string | undefined;
  pspId?: string | undefined;
  source?: FlowRecord["source"] | undefined;
  expectedCents?: number | undefined;
  creditedCents: number;
  credits: { entryRef: string; bookingDate: string; amountCents: number }[];
  status: ReconciliationStatus;
  reconciledDate?: string | undefined;
}

/**
 * A flow and the credits naming it: their sum equal to the flow's total → RECONCILED (a flow paid in several credits
 * is matched by the sum); credits that add up to something else → AMOUNT_MISMATCH; no credit once `graceDays`
 * business days have passed since the flow date → FLOW_NOT_CREDITED, before that AWAITING_CREDIT.
 */
export function reconcileRow(
  flow: FlowRecord,
  credits: readonly CreditRecord[],
  today: string,
  graceDays: number,
): ReconciliationRow {
  const creditedCents = credits.reduce((sum, c) => sum + c.amountCents, 0);
  const status: ReconciliationStatus =
    credits.length === 0
      ? addBusinessDays(flow.flowDate, graceDays) < today
        ? "FLOW_NOT_CREDITED"
        : "AWAITING_CREDIT"
      : creditedCents === flow.totalAmountCents
        ? "RECONCILED"
        : "AMOUNT_MISMATCH";
  return {
    flowId: flow.flowId,
    flowDate: flow.flowDate,
    pspId: flow.pspId,
    source: flow.source,
    expectedCents: flow.totalAmountCents,
    creditedCents,
    credits: credits.map(creditView),
    status,
    reconciledDate: status === "RECONCILED" ? flow.reconciliation?.reconciledDate : undefined,
  };
}

/** Credits naming a flow GPD does not know. */
export function orphanRow(flowId: string, credits: readonly CreditRecord[]): ReconciliationRow {
  return {
    flowId,
    creditedCents: credits.reduce((sum, c) => sum + c.amountCents, 0),
    credits: credits.map(creditView),
    status: "CREDIT_WITHOUT_FLOW",
  };
}

const creditView = (c: CreditRecord) => ({
  entryRef: c.entryRef,
  bookingDate: c.bookingDate,
  amountCents: c.amountCents,
});

/** The reconciliation a flow gets when its credits add up: the latest booking date, every entry reference. */
export function reconciliationOf(
  flow: Pick<FlowRecord, "totalAmountCents">,
  credits: readonly CreditRecord[],
): { reconciledDate: string; reference: string } | undefined {
  if (credits.length === 0) return undefined;
  const sum = credits.reduce((s, c) => s + c.amountCents, 0);
  if (sum !== flow.totalAmountCents) return undefined;
  const sorted = [...credits].sort(
    (a, b) => a.bookingDate.localeCompare(b.bookingDate) || a.entryRef.localeCompare(b.entryRef),
  );
  const last = sorted.at(-1)?.bookingDate ?? "";
  return {
    reconciledDate: `${last}T00:00:00.000Z`,
    reference: sorted
      .map((c) => c.entryRef)
      .join("+")
      .slice(0, 256),
  };
}
