// Reading a payment receipt (paSendRTV2Request, or paSendRTReq from the older paSendRT; openapi/soap/paForNode.xsd
// and sac-common-types-1.0.xsd) from a blob of `receipts-inbox` or from the body of the paForNode SOAP service, bare
// or inside a SOAP 1.1 envelope. Every element of the request is checked against its XSD type, in XSD order,
// required/optional as the XSD says: the node's contract refuses any request that fails XSD validation
// (PAA_SINTASSI_XSD). The rules beyond the schema are the domain's (shared/domain/receipts/receipt.ts).
// Element namespaces: paForNode.xsd is elementFormDefault="unqualified", so the children of paSendRTV2Request are in no
// namespace; we also accept them in the paForNode namespace, the mistake a default-namespace writer makes.
// paymentDateTime without an offset is read as UTC (see DateTimeValue).

import type { DebtorType } from "../domain/debt-positions/model";
import { checkReceiptPayment, ReceiptRejection, type Receipt, type ReceiptTransfer } from "../domain/receipts/receipt";
import { parseXmlSafely, type XmlElement } from "./safe-xml";
import {
  amountCents,
  base64Value,
  booleanValue,
  dateTimeValue,
  dateValue,
  integerValue,
  matchSequence,
  MAX_AMOUNT_CENTS,
  stringValue,
  XsdViolation,
  type Content,
  type Particle,
} from "./xsd";

export const PA_FOR_NODE_NAMESPACE = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd";
export const SOAP_1_1_ENVELOPE_NAMESPACE = "http://schemas.xmlsoap.org/soap/envelope/";
/** A receipt is a few kilobytes; 1 MiB leaves room for MBDAttachment and metadata while bounding the work. */
export const DEFAULT_RECEIPT_MAX_BYTES = 1024 * 1024;

export function parseReceipt(xml: Buffer | string, opts: { maxBytes?: number } = {}): Receipt {
  const { root } = parseXmlSafely(xml, { maxBytes: opts.maxBytes ?? DEFAULT_RECEIPT_MAX_BYTES });
  return receiptFromRequest(unwrap(root));
}

/** The receipt of an already parsed paSendRTV2Request or paSendRTReq element (the SOAP service's Body child). */
export function receiptFromRequest(request: XmlElement): Receipt {
  const version = checkRoot(request);
  try {
    return readRequest(request, version);
  } catch (e) {
    if (e instanceof XsdViolation) throw new ReceiptRejection("schema-violation", e.message);
    throw e;
  }
}

const where = (el: XmlElement) => `<${el.name}>${el.namespace ? ` in namespace ${el.namespace}` : " in no namespace"}`;

function unwrap(root: XmlElement): XmlElement {
  if (root.name === "Envelope" && root.namespace === SOAP_1_1_ENVELOPE_NAMESPACE) {
    // SOAP 1.1 §4: an optional Header, then exactly one Body; we expect exactly one request in the Body.
    const [first, second, third] = root.children;
    const body = first?.name === "Header" ? second : first;
    const afterBody = first?.name === "Header" ? third : second;
    if (body?.name !== "Body" || body.namespace !== SOAP_1_1_ENVELOPE_NAMESPACE || afterBody !== undefined) {
      throw new ReceiptRejection("not-a-receipt", "SOAP envelope must hold an optional Header and one Body");
    }
    if (body.children.length !== 1 || body.children[0] === undefined) {
      throw new ReceiptRejection(
        "not-a-receipt",
        `SOAP Body must hold exactly one element (found ${body.children.length})`,
      );
    }
    return body.children[0];
  }
  return root;
}

/** paSendRTV2Request (version 2) or, since the SOAP service accepts paSendRT too, paSendRTReq (version 1). */
function checkRoot(el: XmlElement): 1 | 2 {
  if (el.namespace === PA_FOR_NODE_NAMESPACE && el.name === "paSendRTV2Request") return 2;
  if (el.namespace === PA_FOR_NODE_NAMESPACE && el.name === "paSendRTReq") return 1;
  throw new ReceiptRejection(
    "not-a-receipt",
    `Expected <paSendRTV2Request> or <paSendRTReq> in namespace ${PA_FOR_NODE_NAMESPACE}, found ${where(el)}`,
  );
}

const LOCAL = new Set<string | undefined>([undefined, PA_FOR_NODE_NAMESPACE]);

const text35 = { minLength: 1, maxLength: 35 } as const;
const text70 = { minLength: 1, maxLength: 70 } as const;
const text140 = { minLength: 1, maxLength: 140 } as const;
const fiscalCodePA = { pattern: /[0-9]{11}/, minLength: 11, maxLength: 11 } as const;
const amount = { minCents: 0, maxCents: MAX_AMOUNT_CENTS } as const; // common:stAmount
const amountNotZero = { minCents: 1, maxCents: MAX_AMOUNT_CENTS } as const; // tns:stAmountNotZero

// paSendRTV2Request
const requestModel: readonly Particle[] = [
  { name: "idPA" },
  { name: "idBrokerPA" },
  { name: "idStation" },
  { name: "receipt" },
  { name: "standin", min: 0 },
];

// ctReceiptV2
const receiptModel: readonly Particle[] = [
  { name: "receiptId" },
  { name: "noticeNumber" },
  { name: "fiscalCode" },
  { name: "outcome" },
  { name: "creditorReferenceId" },
  { name: "paymentAmount" },
  { name: "description" },
  { name: "companyName" },
  { name: "officeName", min: 0 },
  { name: "debtor" },
  { name: "transferList" },
  { name: "idPSP" },
  { name: "pspFiscalCode", min: 0 },
  { name: "pspPartitaIVA", min: 0 },
  { name: "PSPCompanyName" },
  { name: "idChannel" },
  { name: "channelDescription" },
  { name: "payer", min: 0 },
  { name: "paymentMethod", min: 0 },
  { name: "paymentNote", min: 0 },
  { name: "fee", min: 0 },
  { name: "primaryCiIncurredFee", min: 0 },
  { name: "idBundle", min: 0 },
  { name: "idCiBundle", min: 0 },
  { name: "paymentDateTime", min: 0 },
  { name: "applicationDate", min: 0 },
  { name: "transferDate", min: 0 },
  { name: "metadata", min: 0 },
];

// ctSubject
const subjectModel: readonly Particle[] = [
  { name: "uniqueIdentifier" },
  { name: "fullName" },
  { name: "streetName", min: 0 },
  { name: "civicNumber", min: 0 },
  { name: "postalCode", min: 0 },
  { name: "city", min: 0 },
  { name: "stateProvinceRegion", min: 0 },
  { name: "country", min: 0 },
  { name: "e-mail", min: 0 },
];

// ctReceipt (paSendRTReq): ctReceiptV2 without the V2 additions.
const v2Only = new Set(["paymentNote", "primaryCiIncurredFee", "idBundle", "idCiBundle"]);
const receiptModelV1: readonly Particle[] = receiptModel.filter(
  (p) => typeof p.name !== "string" || !v2Only.has(p.name),
);

// ctTransferPA (paSendRTReq): an IBAN always, no companyName, no metadata.
const transferModelV1: readonly Particle[] = [
  { name: "idTransfer" },
  { name: "transferAmount" },
  { name: "fiscalCodePA" },
  { name: "IBAN" },
  { name: "remittanceInformation" },
  { name: "transferCategory" },
];

// ctTransferPAReceiptV2
const transferModel: readonly Particle[] = [
  { name: "idTransfer" },
  { name: "transferAmount" },
  { name: "fiscalCodePA" },
  { name: "companyName", min: 0 },
  { name: ["IBAN", "MBDAttachment"] },
  { name: "remittanceInformation" },
  { name: "transferCategory" },
  { name: "metadata", min: 0 },
];

function readRequest(request: XmlElement, version: 1 | 2): Receipt {
  const base = version === 2 ? "paSendRTV2Request" : "paSendRTReq";
  const c = matchSequence(request, base, requestModel, LOCAL);
  const str = (content: Content, path: string, name: string, facets = {}) =>
    stringValue(content.one(name), `${path}/${name}`, facets);
  const optStr = (content: Content, path: string, name: string, facets = {}) => {
    const el = content.opt(name);
    return el === undefined ? undefined : stringValue(el, `${path}/${name}`, facets);
  };

  const idPA = str(c, base, "idPA", text35);
  const idBrokerPA = str(c, base, "idBrokerPA", text35);
  const idStation = str(c, base, "idStation", text35);
  const standinEl = c.opt("standin");
  const standIn = standinEl === undefined ? undefined : booleanValue(standinEl, `${base}/standin`);

  const rp = `${base}/receipt`;
  const r = matchSequence(c.one("receipt"), rp, version === 2 ? receiptModel : receiptModelV1, LOCAL);
  const receiptId = str(r, rp, "receiptId");
  if (!/[^ \t\n\r]/.test(receiptId)) throw new XsdViolation(`${rp}/receiptId`, "must not be empty");
  const noticeNumber = str(r, rp, "noticeNumber", { pattern: /[0-9]{18}/ });
  const noticeFiscalCode = str(r, rp, "fiscalCode", fiscalCodePA);
  const outcome = str(r, rp, "outcome", { enumeration: ["OK", "KO"] });
  const iuv = str(r, rp, "creditorReferenceId", text35);
  const paymentAmountCents = amountCents(r.one("paymentAmount"), `${rp}/paymentAmount`, amount);
  const description = str(r, rp, "description", text140);
  const companyName = str(r, rp, "companyName", text140);
  const officeName = optStr(r, rp, "officeName", text140);
  const debtor = readSubject(r.one("debtor"), `${rp}/debtor`);
  const transfers = readTransferList(r.one("transferList"), `${rp}/transferList`, version);
  const pspId = str(r, rp, "idPSP", text35);
  const pspFiscalCode = optStr(r, rp, "pspFiscalCode", text70);
  optStr(r, rp, "pspPartitaIVA", { minLength: 1, maxLength: 20 });
  const pspCompany = str(r, rp, "PSPCompanyName", text70);
  const idChannel = str(r, rp, "idChannel", text35);
  str(r, rp, "channelDescription", text35);
  const payer = r.opt("payer");
  if (payer !== undefined) readSubject(payer, `${rp}/payer`);
  const paymentMethod = optStr(r, rp, "paymentMethod", text35);
  optStr(r, rp, "paymentNote", { minLength: 1, maxLength: 210 });
  const feeEl = r.opt("fee");
  const feeCents = feeEl === undefined ? undefined : amountCents(feeEl, `${rp}/fee`, amount);
  const primaryFee = r.opt("primaryCiIncurredFee");
  if (primaryFee !== undefined) amountCents(primaryFee, `${rp}/primaryCiIncurredFee`, amount);
  optStr(r, rp, "idBundle", text70);
  optStr(r, rp, "idCiBundle", text70);
  const paymentDateTimeEl = r.opt("paymentDateTime");
  const paymentDateTime =
    paymentDateTimeEl === undefined ? undefined : dateTimeValue(paymentDateTimeEl, `${rp}/paymentDateTime`);
  const applicationDateEl = r.opt("applicationDate");
  const applicationDate =
    applicationDateEl === undefined ? undefined : dateValue(applicationDateEl, `${rp}/applicationDate`);
  const transferDateEl = r.opt("transferDate");
  const transferDate = transferDateEl === undefined ? undefined : dateValue(transferDateEl, `${rp}/transferDate`);
  const metadata = r.opt("metadata");
  if (metadata !== undefined) readMetadata(metadata, `${rp}/metadata`);

  checkReceiptPayment({ receiptId, iuv, outcome, transfers, paymentAmountCents });

  return {
    organizationFiscalCode: idPA,
    idBrokerPA,
    idStation,
    receiptId,
    noticeNumber,
    noticeFiscalCode,
    iuv,
    debtorFiscalCode: debtor.value,
    debtorType: debtor.type,
    debtorFullName: debtor.fullName,
    paymentAmountCents,
    ...(feeCents !== undefined && { feeCents }),
    ...(paymentMethod !== undefined && { paymentMethod }),
    pspId,
    ...(pspFiscalCode !== undefined && { pspFiscalCode }),
    pspCompany,
    idChannel,
    ...(paymentDateTime !== undefined && {
      paymentDateTime: paymentDateTime.instant,
      paymentDateTimeText: paymentDateTime.text,
    }),
    ...(applicationDate !== undefined && { applicationDate }),
    ...(transferDate !== undefined && { transferDate }),
    transfers,
    description,
    companyName,
    ...(officeName !== undefined && { officeName }),
    ...(standIn !== undefined && { standIn }),
  };
}

function readSubject(el: XmlElement, path: string): { type: DebtorType; value: string; fullName: string } {
  const s = matchSequence(el, path, subjectModel, LOCAL);
  const idPath = `${path}/uniqueIdentifier`;
  const id = matchSequence(
    s.one("uniqueIdentifier"),
    idPath,
    [{ name: "entityUniqueIdentifierType" }, { name: "entityUniqueIdentifierValue" }],
    LOCAL,
  );
  const type = stringValue(id.one("entityUniqueIdentifierType"), `${idPath}/entityUniqueIdentifierType`, {
    enumeration: ["F", "G"],
  }) as DebtorType;
  const value = stringValue(id.one("entityUniqueIdentifierValue"), `${idPath}/entityUniqueIdentifierValue`, {
    minLength: 2,
    maxLength: 16,
  });
  const fullName = stringValue(s.one("fullName"), `${path}/fullName`, text70);
  const optional: [string, object][] = [
    ["streetName", text70],
    ["civicNumber", { minLength: 1, maxLength: 16 }],
    ["postalCode", { minLength: 1, maxLength: 16 }],
    ["city", text35],
    ["stateProvinceRegion", text35],
    ["country", { pattern: /[A-Z]{2,2}/ }],
    ["e-mail", { pattern: /[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*/, maxLength: 256 }],
  ];
  for (const [name, facets] of optional) {
    const e = s.opt(name);
    if (e !== undefined) stringValue(e, `${path}/${name}`, facets);
  }
  return { type, value, fullName };
}

function readTransferList(el: XmlElement, path: string, version: 1 | 2): ReceiptTransfer[] {
  const list = matchSequence(el, path, [{ name: "transfer", min: 1, max: 5 }], LOCAL);
  return list.many("transfer").map((t, i) => readTransfer(t, `${path}/transfer[${i + 1}]`, version));
}

function readTransfer(el: XmlElement, path: string, version: 1 | 2): ReceiptTransfer {
  const t = matchSequence(el, path, version === 2 ? transferModel : transferModelV1, LOCAL);
  // stIdTransfer: xs:int restricted to the enumeration 1..5.
  const idTransfer = integerValue(t.one("idTransfer"), `${path}/idTransfer`, { min: 1, max: 5 });
  const amountCentsValue = amountCents(t.one("transferAmount"), `${path}/transferAmount`, amountNotZero);
  const fiscalCode = stringValue(t.one("fiscalCodePA"), `${path}/fiscalCodePA`, fiscalCodePA);
  const companyNameEl = t.opt("companyName");
  const companyName =
    companyNameEl === undefined ? undefined : stringValue(companyNameEl, `${path}/companyName`, text140);
  const ibanEl = t.opt("IBAN");
  const iban = ibanEl === undefined ? undefined : stringValue(ibanEl, `${path}/IBAN`, text35);
  const mbd = t.opt("MBDAttachment");
  if (mbd !== undefined) base64Value(mbd, `${path}/MBDAttachment`);
  const remittanceInformation = stringValue(t.one("remittanceInformation"), `${path}/remittanceInformation`, text140);
  const category = stringValue(t.one("transferCategory"), `${path}/transferCategory`, text140);
  const metadata = t.opt("metadata");
  if (metadata !== undefined) readMetadata(metadata, `${path}/metadata`);
  return {
    idTransfer,
    amountCents: amountCentsValue,
    fiscalCodePA: fiscalCode,
    ...(companyName !== undefined && { companyName }),
    ...(iban !== undefined && { iban }),
    ...(mbd !== undefined && { mbdAttachment: true }),
    remittanceInformation,
    category,
  };
}

// common:ctMetadata: 1..15 mapEntry{key, value}, both stText140.
function readMetadata(el: XmlElement, path: string): void {
  const m = matchSequence(el, path, [{ name: "mapEntry", min: 1, max: 15 }], LOCAL);
  m.many("mapEntry").forEach((entry, i) => {
    const p = `${path}/mapEntry[${i + 1}]`;
    const kv = matchSequence(entry, p, [{ name: "key" }, { name: "value" }], LOCAL);
    stringValue(kv.one("key"), `${p}/key`, text140);
    stringValue(kv.one("value"), `${p}/value`, text140);
  });
}
