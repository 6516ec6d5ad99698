// Reading a reporting flow (FlussoRiversamento 1.0.4) from a blob of `flows-inbox`. Every element of
// ctFlussoRiversamento is checked against its XSD type, in XSD order; the schema is elementFormDefault="qualified", so
// every element must be in the Pagamenti namespace. The totals rule on top of the XSD is the domain's
// (checkedFlow in shared/domain/reporting/flow.ts).

import type { ReportingFlow, ReportedPayment, ReportingOutcome, FlowHeader } from "../domain/reporting/flow";
import { checkedFlow, FlowRejection } from "../domain/reporting/flow";
import { parseXmlSafely, type XmlElement } from "./safe-xml";
import { parseXmlStreaming } from "./streaming-xml";
import {
  amountCents,
  dateTimeValue,
  dateValue,
  integerValue,
  matchSequence,
  MAX_AMOUNT_CENTS,
  stringValue,
  XsdViolation,
  type Particle,
} from "./xsd";

export const PAGAMENTI_NAMESPACE = "http://www.digitpa.gov.it/schemas/2011/Pagamenti/";
/**
 * About 430 bytes per entry: 32 MiB is some 75 000 payments, far above a day's flow of one PSP to one EC. Flows are
 * read as a stream (readReportingFlow), so the limit bounds the file, not a tree built from it.
 */
export const DEFAULT_FLOW_MAX_BYTES = 32 * 1024 * 1024;
/** The codes FlussoRiversamento 1.0.4 enumerates for codiceEsitoSingoloPagamento. */
const xsdOutcomes = ["0", "3", "4", "9"] as const;

export function parseReportingFlow(xml: Buffer | string, opts: { maxBytes?: number } = {}): ReportingFlow {
  const { root } = parseXmlSafely(xml, { maxBytes: opts.maxBytes ?? DEFAULT_FLOW_MAX_BYTES });
  if (root.name !== "FlussoRiversamento" || root.namespace !== PAGAMENTI_NAMESPACE) {
    const ns = root.namespace ? `in namespace ${root.namespace}` : "in no namespace";
    throw new FlowRejection(
      "not-a-flow",
      `Expected <FlussoRiversamento> in namespace ${PAGAMENTI_NAMESPACE}, found <${root.name}> ${ns}`,
    );
  }
  try {
    return checkedFlow(
      readHeader(root),
      matchSequence(root, "FlussoRiversamento", flowModel, QUALIFIED)
        .many("datiSingoliPagamenti")
        .map((el, i) => readPayment(el, `FlussoRiversamento/datiSingoliPagamenti[${i + 1}]`)),
    );
  } catch (e) {
    if (e instanceof XsdViolation) throw new FlowRejection("schema-violation", e.message);
    throw e;
  }
}

/**
 * The same checks and result as parseReportingFlow, read as a stream: each datiSingoliPagamenti is checked and
 * reduced to a ReportedPayment as soon as it closes, so a flow of 50 000 entries never exists as an element tree, and
 * the event loop is given back between slices of the document (shared/xml/streaming-xml.ts).
 */
export async function readReportingFlow(xml: Buffer, opts: { maxBytes?: number } = {}): Promise<ReportingFlow> {
  const payments: ReportedPayment[] = [];
  try {
    const { root } = await parseXmlStreaming(xml, {
      maxBytes: opts.maxBytes ?? DEFAULT_FLOW_MAX_BYTES,
      streamed: new Set(["datiSingoliPagamenti"]),
      onChild: (el, i) => {
        if (el.namespace !== PAGAMENTI_NAMESPACE) return; // left to the content-model check of the root
        payments.push(readPayment(el, `FlussoRiversamento/datiSingoliPagamenti[${i + 1}]`));
      },
    });
    checkRoot(root);
    return checkedFlow(readHeader(root), payments);
  } catch (e) {
    if (e instanceof XsdViolation) throw new FlowRejection("schema-violation", e.message);
    throw e;
  }
}

function checkRoot(root: XmlElement): void {
  if (root.name !== "FlussoRiversamento" || root.namespace !== PAGAMENTI_NAMESPACE) {
    const ns = root.namespace ? `in namespace ${root.namespace}` : "in no namespace";
    throw new FlowRejection(
      "not-a-flow",
      `Expected <FlussoRiversamento> in namespace ${PAGAMENTI_NAMESPACE}, found <${root.name}> ${ns}`,
    );
  }
}

const QUALIFIED = new Set<string | undefined>([PAGAMENTI_NAMESPACE]);
const text35 = { minLength: 1, maxLength: 35 } as const;

// ctFlussoRiversamento
const flowModel: readonly Particle[] = [
  { name: "versioneOggetto" },
  { name: "identificativoFlusso" },
  { name: "dataOraFlusso" },
  { name: "identificativoUnivocoRegolamento" },
  { name: "dataRegolamento" },
  { name: "istitutoMittente" },
  { name: "codiceBicBancaDiRiversamento", min: 0 },
  { name: "istitutoRicevente" },
  { name: "numeroTotalePagamenti" },
  { name: "importoTotalePagamenti" },
  { name: "datiSingoliPagamenti", min: 1, max: Number.POSITIVE_INFINITY },
];

// ctDatiSingoliPagamenti
const paymentModel: readonly Particle[] = [
  { name: "identificativoUnivocoVersamento" },
  { name: "identificativoUnivocoRiscossione" },
  { name: "indiceDatiSingoloPagamento", min: 0 },
  { name: "singoloImportoPagato" },
  { name: "codiceEsitoSingoloPagamento" },
  { name: "dataEsitoSingoloPagamento" },
];

// ctIdentificativoUnivoco / ctIdentificativoUnivocoPersonaG
const identifierModel: readonly Particle[] = [
  { name: "tipoIdentificativoUnivoco" },
  { name: "codiceIdentificativoUnivoco" },
];

function readHeader(root: XmlElement): FlowHeader {
  const p = "FlussoRiversamento";
  const f = matchSequence(root, p, flowModel, QUALIFIED);
  const version = stringValue(f.one("versioneOggetto"), `${p}/versioneOggetto`, {
    minLength: 1,
    maxLength: 16,
    enumeration: ["1.0", "1.1"],
  }) as "1.0" | "1.1";
  const flowId = stringValue(f.one("identificativoFlusso"), `${p}/identificativoFlusso`, {
    pattern: /[a-zA-Z0-9\-_]{1,35}/,
    minLength: 1,
    maxLength: 35,
  });
  const flowDateTime = dateTimeValue(f.one("dataOraFlusso"), `${p}/dataOraFlusso`);
  const settlementId = stringValue(
    f.one("identificativoUnivocoRegolamento"),
    `${p}/identificativoUnivocoRegolamento`,
    text35,
  );
  const settlementDate = dateValue(f.one("dataRegolamento"), `${p}/dataRegolamento`);

  const sp = `${p}/istitutoMittente`;
  const sender = matchSequence(
    f.one("istitutoMittente"),
    sp,
    [{ name: "identificativoUnivocoMittente" }, { name: "denominazioneMittente", min: 0 }],
    QUALIFIED,
  );
  const senderIdPath = `${sp}/identificativoUnivocoMittente`;
  const senderId = matchSequence(sender.one("identificativoUnivocoMittente"), senderIdPath, identifierModel, QUALIFIED);
  const senderPspIdType = stringValue(
    senderId.one("tipoIdentificativoUnivoco"),
    `${senderIdPath}/tipoIdentificativoUnivoco`,
    {
      enumeration: ["G", "A", "B"],
    },
  ) as "G" | "A" | "B";
  const senderPspId = stringValue(
    senderId.one("codiceIdentificativoUnivoco"),
    `${senderIdPath}/codiceIdentificativoUnivoco`,
    text35,
  );
  const senderNameEl = sender.opt("denominazioneMittente");
  const senderPspName =
    senderNameEl === undefined
      ? undefined
      : stringValue(senderNameEl, `${sp}/denominazioneMittente`, { minLength: 3, maxLength: 70 });

  const bicEl = f.opt("codiceBicBancaDiRiversamento");
  const remittingBankBic =
    bicEl === undefined ? undefined : stringValue(bicEl, `${p}/codiceBicBancaDiRiversamento`, text35);

  const rp = `${p}/istitutoRicevente`;
  const receiver = matchSequence(
    f.one("istitutoRicevente"),
    rp,
    [{ name: "identificativoUnivocoRicevente" }, { name: "denominazioneRicevente", min: 0 }],
    QUALIFIED,
  );
  const receiverIdPath = `${rp}/identificativoUnivocoRicevente`;
  const receiverId = matchSequence(
    receiver.one("identificativoUnivocoRicevente"),
    receiverIdPath,
    identifierModel,
    QUALIFIED,
  );
  stringValue(receiverId.one("tipoIdentificativoUnivoco"), `${receiverIdPath}/tipoIdentificativoUnivoco`, {
    enumeration: ["G"],
  });
  const receiverOrganizationFiscalCode = stringValue(
    receiverId.one("codiceIdentificativoUnivoco"),
    `${receiverIdPath}/codiceIdentificativoUnivoco`,
    text35,
  );
  const receiverNameEl = receiver.opt("denominazioneRicevente");
  const receiverName =
    receiverNameEl === undefined
      ? undefined
      : stringValue(receiverNameEl, `${rp}/denominazioneRicevente`, { minLength: 1, maxLength: 140 });

  // stNumeroTotalePagamenti: xs:decimal, minInclusive 1, fractionDigits 0, totalDigits 15 (always a safe integer).
  const totalPayments = integerValue(f.one("numeroTotalePagamenti"), `${p}/numeroTotalePagamenti`, {
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    allowDecimalPoint: true,
    totalDigits: 15,
  });
  // stImportoTotalePagamenti has no minimum; stImporto (each entry) starts at 0.01.
  const totalAmountCents = amountCents(f.one("importoTotalePagamenti"), `${p}/importoTotalePagamenti`, {
    minCents: 0,
    maxCents: MAX_AMOUNT_CENTS,
  });

  return {
    version,
    flowId,
    flowDateTime: flowDateTime.instant,
    flowDateTimeText: flowDateTime.text,
    flowDate: flowDateTime.instant.slice(0, 10),
    settlementId,
    settlementDate,
    senderPspIdType,
    senderPspId,
    ...(senderPspName !== undefined && { senderPspName }),
    ...(remittingBankBic !== undefined && { remittingBankBic }),
    receiverOrganizationFiscalCode,
    ...(receiverName !== undefined && { receiverName }),
    totalPayments,
    totalAmountCents,
  };
}

function readPayment(el: XmlElement, path: string): ReportedPayment {
  const d = matchSequence(el, path, paymentModel, QUALIFIED);
  const iuv = stringValue(d.one("identificativoUnivocoVersamento"), `${path}/identificativoUnivocoVersamento`, text35);
  const iur = stringValue(
    d.one("identificativoUnivocoRiscossione"),
    `${path}/identificativoUnivocoRiscossione`,
    text35,
  );
  const indexEl = d.opt("indiceDatiSingoloPagamento");
  // stIndice: xs:integer 1..5.
  const transferIndex =
    indexEl === undefined ? 1 : integerValue(indexEl, `${path}/indiceDatiSingoloPagamento`, { min: 1, max: 5 });
  const amount = amountCents(d.one("singoloImportoPagato"), `${path}/singoloImportoPagato`, {
    minCents: 1,
    maxCents: MAX_AMOUNT_CENTS,
  });
  const outcome = stringValue(d.one("codiceEsitoSingoloPagamento"), `${path}/codiceEsitoSingoloPagamento`, {
    pattern: /[0-9]{1,1}/,
    enumeration: xsdOutcomes,
  }) as ReportingOutcome;
  const outcomeDate = dateValue(d.one("dataEsitoSingoloPagamento"), `${path}/dataEsitoSingoloPagamento`);
  return {
    iuv,
    iur,
    transferIndex,
    transferIndexGiven: indexEl !== undefined,
    amountCents: amount,
    outcome,
    outcomeDate,
  };
}
