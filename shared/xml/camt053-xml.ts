// Reading a camt.053 statement as a stream (what is read and why: shared/domain/reporting/camt053.ts). The XML goes
// through the same refusals as every document from outside (shared/xml/streaming-xml.ts).
import { StatementRejection, type Statement, type StatementCredit } from "../domain/reporting/camt053";
import { flowIdInRemittance } from "../domain/reporting/reconciliation";
import type { XmlElement } from "./safe-xml";
import { parseXmlStreaming } from "./streaming-xml";

export const CAMT053_NAMESPACE_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.";
/** A month of a busy treasury account is far below this; anything larger is refused before parsing. */
export const DEFAULT_STATEMENT_MAX_BYTES = 20 * 1024 * 1024;
/** Largest single credit accepted (ten billion euros, in cents): far below 2^53, far above any flow. */
const MAX_CREDIT_CENTS = 1_000_000_000_000;

const child = (el: XmlElement | undefined, name: string): XmlElement | undefined =>
  el?.children.find((c) => c.name === name);
const children = (el: XmlElement | undefined, name: string): XmlElement[] =>
  el?.children.filter((c) => c.name === name) ?? [];
const textOf = (el: XmlElement | undefined): string | undefined => {
  const t = el?.text.trim();
  return t === undefined || t === "" ? undefined : t;
};
const path = (el: XmlElement | undefined, ...names: string[]): XmlElement | undefined =>
  names.reduce<XmlElement | undefined>((at, n) => child(at, n), el);

/** ActiveOrHistoricCurrencyAndAmount: up to 18 digits, 5 of them decimals; only whole cents are money here. */
function amountCents(text: string | undefined, where: string): number {
  const m = /^(\d{1,15})(?:\.(\d{1,5}))?$/.exec(text ?? "");
  if (!m) throw new StatementRejection("schema-violation", `${where}: "${(text ?? "").slice(0, 30)}" is not an amount`);
  const decimals = (m[2] ?? "").padEnd(5, "0");
  if (!decimals.endsWith("000")) {
    throw new StatementRejection("schema-violation", `${where}: ${text ?? ""} is not a whole number of cents`);
  }
  const cents = Number(m[1]) * 100 + Number(decimals.slice(0, 2));
  if (!Number.isSafeInteger(cents) || cents > MAX_CREDIT_CENTS) {
    throw new StatementRejection("schema-violation", `${where}: ${text ?? ""} is larger than any credit accepted`);
  }
  return cents;
}

function isoDate(el: XmlElement | undefined, where: string): string {
  const text = textOf(child(el, "Dt")) ?? textOf(child(el, "DtTm"))?.slice(0, 10);
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    throw new StatementRejection("schema-violation", `${where}: a booking date (Dt or DtTm) is required`);
  }
  return text;
}

function remittanceTexts(el: XmlElement | undefined): string[] {
  const rmt = child(el, "RmtInf");
  return children(rmt, "Ustrd")
    .map((u) => u.text.trim())
    .filter((t) => t !== "")
    .concat(children(rmt, "Strd").flatMap((s) => children(child(s, "CdtrRefInf"), "Ref").map((r) => r.text.trim())));
}

export async function readCamt053(xml: Buffer, opts: { maxBytes?: number } = {}): Promise<Statement> {
  const credits: StatementCredit[] = [];
  const skipped = { debits: 0, notBooked: 0, reversals: 0, otherCurrency: 0 };
  let namespace: string | undefined;
  const { root } = await parseXmlStreaming(xml, {
    maxBytes: opts.maxBytes ?? DEFAULT_STATEMENT_MAX_BYTES,
    maxDepth: 32,
    streamed: new Set(["Ntry"]),
    streamDepth: 4,
    onChild: (entry, index, ancestors) => {
      const [doc, body, stmt] = ancestors;
      if (
        doc?.name !== "Document" ||
        doc.namespace?.startsWith(CAMT053_NAMESPACE_PREFIX) !== true ||
        body?.name !== "BkToCstmrStmt" ||
        stmt?.name !== "Stmt" ||
        entry.namespace !== doc.namespace
      ) {
        return; // not a camt.053 entry: the root check below refuses the document
      }
      namespace = doc.namespace;
      const statementId = textOf(child(stmt, "Id"));
      if (statementId === undefined)
        throw new StatementRejection("schema-violation", `Stmt: Id is required before the entries`);
      credits.push(...creditsOf(entry, statementId, index + 1, skipped));
    },
  });
  if (root.name !== "Document" || root.namespace?.startsWith(CAMT053_NAMESPACE_PREFIX) !== true) {
    throw new StatementRejection(
      "not-a-statement",
      `Expected <Document> in a camt.053 namespace (${CAMT053_NAMESPACE_PREFIX}…), found <${root.name}> in ${root.namespace ?? "no namespace"}`,
    );
  }
  if (namespace === undefined && child(root, "BkToCstmrStmt") === undefined) {
    throw new StatementRejection("not-a-statement", "Expected <BkToCstmrStmt> (a bank-to-customer statement)");
  }
  const messageId = textOf(path(root, "BkToCstmrStmt", "GrpHdr", "MsgId"));
  if (messageId === undefined)
    throw new StatementRejection("schema-violation", "BkToCstmrStmt/GrpHdr/MsgId is required");
  return { messageId, credits, skipped };
}

function creditsOf(
  entry: XmlElement,
  statementId: string,
  number: number,
  skipped: Statement["skipped"],
): StatementCredit[] {
  const where = `Stmt ${statementId} Ntry[${number}]`;
  const amt = child(entry, "Amt");
  const direction = textOf(child(entry, "CdtDbtInd"));
  if (direction !== "CRDT" && direction !== "DBIT") {
    throw new StatementRejection("schema-violation", `${where}: CdtDbtInd must be CRDT or DBIT`);
  }
  if (direction === "DBIT") {
    skipped.debits += 1;
    return [];
  }
  if (textOf(child(entry, "RvslInd")) === "true") {
    skipped.reversals += 1;
    return [];
  }
  // Sts is a code in 001.02 (<Sts>BOOK</Sts>) and a structure from 001.08 (<Sts><Cd>BOOK</Cd></Sts>).
  const sts = child(entry, "Sts");
  const status = textOf(child(sts, "Cd")) ?? textOf(sts);
  if (status !== "BOOK") {
    skipped.notBooked += 1;
    return [];
  }
  if (amt?.attributes.Ccy !== "EUR") {
    skipped.otherCurrency += 1;
    return [];
  }
  const entryAmount = amountCents(textOf(amt), `${where}/Amt`);
  const bookingDate = isoDate(child(entry, "BookgDt"), `${where}/BookgDt`);
  const entryRef = textOf(child(entry, "AcctSvcrRef")) ?? textOf(child(entry, "NtryRef")) ?? `${statementId}#${number}`;
  const transactions = children(child(entry, "NtryDtls"), "TxDtls");
  const entryTexts = [textOf(child(entry, "AddtlNtryInf"))].filter((t): t is string => t !== undefined);

  // A batch entry whose transactions carry their own amounts is several credits (a split payment, or several flows
  // credited together); otherwise the entry is one credit with every remittance text it carries.
  const own = transactions.map((tx) =>
    textOf(child(child(tx, "AmtDtls"), "TxAmt") ? path(tx, "AmtDtls", "TxAmt", "Amt") : child(tx, "Amt")),
  );
  if (transactions.length > 1 && own.every((t) => t !== undefined)) {
    return transactions.map((tx, i) => {
      const remittance = [...remittanceTexts(tx), ...entryTexts];
      return {
        statementId,
        entryRef: `${entryRef}/${i + 1}`,
        bookingDate,
        amountCents: amountCents(own[i], `${where}/NtryDtls/TxDtls[${i + 1}]/Amt`),
        remittance,
        flowId: flowIdInRemittance(remittance),
      };
    });
  }
  const remittance = [...transactions.flatMap(remittanceTexts), ...entryTexts];
  return [
    {
      statementId,
      entryRef,
      bookingDate,
      amountCents: entryAmount,
      remittance,
      flowId: flowIdInRemittance(remittance),
    },
  ];
}
