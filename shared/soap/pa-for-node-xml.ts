// The XML side of the paForNode SOAP service (openapi/soap/paForNode.wsdl, SOAP 1.1, document/literal): reading a
// request envelope into a typed request, and writing answers exactly as paForNode.xsd lays them out (the response
// element in the paForNode namespace, its children unqualified, in schema order).
//
// Reading refuses hostile XML with the same safe parser and limits as the receipt inbox (shared/xml/safe-xml.ts). What
// is not a SOAP 1.1 envelope with one Body element is a protocol error (400 + SOAP Fault); a well-formed envelope whose
// request breaks the XSD gets its operation's response with outcome KO and PAA_SINTASSI_XSD, as the node expects.
import { nodeFault, type NodeFault } from "../domain/node/faults";
import type { NodeCallerIds } from "../domain/node/payable-option";
import type {
  MapEntry,
  PaymentView,
  SubjectView,
  TransferType,
  TransferView,
  VerifyView,
} from "../domain/node/payment-views";
import { isReceiptRejection, type Receipt } from "../domain/receipts/receipt";
import { PA_FOR_NODE_NAMESPACE, receiptFromRequest, SOAP_1_1_ENVELOPE_NAMESPACE } from "../xml/receipt-xml";
import { isXmlRejection, parseXmlSafely, type XmlElement } from "../xml/safe-xml";
import {
  amountCents,
  dateValue,
  matchSequence,
  MAX_AMOUNT_CENTS,
  stringValue,
  XsdViolation,
  type Content,
} from "../xml/xsd";

export const paForNodeOperations = [
  "paVerifyPaymentNotice",
  "paGetPayment",
  "paGetPaymentV2",
  "paSendRT",
  "paSendRTV2",
] as const;
export type PaForNodeOperation = (typeof paForNodeOperations)[number];

const requestElement: Record<PaForNodeOperation, string> = {
  paVerifyPaymentNotice: "paVerifyPaymentNoticeReq",
  paGetPayment: "paGetPaymentReq",
  paGetPaymentV2: "paGetPaymentV2Request",
  paSendRT: "paSendRTReq",
  paSendRTV2: "paSendRTV2Request",
};

const responseElement: Record<PaForNodeOperation, string> = {
  paVerifyPaymentNotice: "paVerifyPaymentNoticeRes",
  paGetPayment: "paGetPaymentRes",
  paGetPaymentV2: "paGetPaymentV2Response",
  paSendRT: "paSendRTRes",
  paSendRTV2: "paSendRTV2Response",
};

export interface QrCode {
  readonly fiscalCode: string;
  readonly noticeNumber: string;
}

export type NodeRequest =
  | { readonly operation: "paVerifyPaymentNotice"; readonly ids: NodeCallerIds; readonly qrCode: QrCode }
  | {
      readonly operation: "paGetPayment" | "paGetPaymentV2";
      readonly ids: NodeCallerIds;
      readonly qrCode: QrCode;
      readonly transferType?: TransferType | undefined;
    }
  | { readonly operation: "paSendRT" | "paSendRTV2"; readonly ids: NodeCallerIds; readonly receipt: Receipt };

export type ReadResult =
  | { readonly kind: "request"; readonly request: NodeRequest }
  /** Answered with the operation's response, outcome KO. */
  | { readonly kind: "refused"; readonly operation: PaForNodeOperation; readonly fault: NodeFault }
  /** Not a SOAP 1.1 request we can answer at all: 400 with a SOAP Fault. */
  | { readonly kind: "not-soap"; readonly detail: string };

/** What the service answers for a request; encoded by `writeNodeResponse`. */
export type NodeResult =
  | { readonly kind: "fault"; readonly fault: NodeFault }
  | { readonly kind: "verified"; readonly view: VerifyView }
  | { readonly kind: "payment"; readonly view: PaymentView }
  | { readonly kind: "received" };

const LOCAL = new Set<string | undefined>([undefined, PA_FOR_NODE_NAMESPACE]);

/** The SOAPAction header names the operation, quoted or not, possibly as the last segment of a URI. */
export function operationOfAction(action: string | null | undefined): PaForNodeOperation | undefined {
  if (action === null || action === undefined) return undefined;
  const bare = action.trim().replace(/^"|"$/g, "");
  const last = bare.split(/[/#]/).pop() ?? "";
  return (paForNodeOperations as readonly string[]).includes(last) ? (last as PaForNodeOperation) : undefined;
}

const operationOfElement = (el: XmlElement): PaForNodeOperation | undefined =>
  el.namespace === PA_FOR_NODE_NAMESPACE ? paForNodeOperations.find((op) => requestElement[op] === el.name) : undefined;

export function readNodeRequest(body: Buffer, soapAction: string | null, maxBytes: number): ReadResult {
  let root: XmlElement;
  try {
    root = parseXmlSafely(body, { maxBytes }).root;
  } catch (e) {
    if (isXmlRejection(e)) return { kind: "not-soap", detail: `${e.reason}: ${e.message}` };
    throw e;
  }
  const request = bodyElement(root);
  if (typeof request === "string") return { kind: "not-soap", detail: request };
  const operation = operationOfAction(soapAction) ?? operationOfElement(request);
  if (operation === undefined) {
    return {
      kind: "not-soap",
      detail: `unknown operation: SOAPAction ${JSON.stringify(soapAction ?? "")}, body element <${request.name}>; this service offers ${paForNodeOperations.join(", ")}`,
    };
  }
  const idPA = firstText(request, "idPA");
  const xsdFault = (detail: string): ReadResult => ({
    kind: "refused",
    operation,
    fault: nodeFault("PAA_SINTASSI_XSD", idPA, detail),
  });
  if (request.name !== requestElement[operation] || request.namespace !== PA_FOR_NODE_NAMESPACE) {
    return xsdFault(
      `${operation} expects <${requestElement[operation]}> in namespace ${PA_FOR_NODE_NAMESPACE}, found <${request.name}>`,
    );
  }
  try {
    return { kind: "request", request: readOperation(operation, request) };
  } catch (e) {
    if (e instanceof XsdViolation) return xsdFault(e.message);
    if (isReceiptRejection(e)) {
      return e.reason === "schema-violation"
        ? xsdFault(e.message)
        : { kind: "refused", operation, fault: nodeFault("PAA_SEMANTICA", idPA, `${e.reason}: ${e.message}`) };
    }
    throw e;
  }
}

/** SOAP 1.1 §4: an optional Header, then exactly one Body; we answer one request per Body. */
function bodyElement(root: XmlElement): XmlElement | string {
  if (root.name !== "Envelope" || root.namespace !== SOAP_1_1_ENVELOPE_NAMESPACE) {
    return `expected a SOAP 1.1 <Envelope> in namespace ${SOAP_1_1_ENVELOPE_NAMESPACE}, found <${root.name}>`;
  }
  const [first, second, third] = root.children;
  const body = first?.name === "Header" && first.namespace === SOAP_1_1_ENVELOPE_NAMESPACE ? second : first;
  const afterBody = body === second ? third : second;
  if (body?.name !== "Body" || body.namespace !== SOAP_1_1_ENVELOPE_NAMESPACE || afterBody !== undefined) {
    return "the SOAP envelope must hold an optional Header and one Body";
  }
  const [request, extra] = body.children;
  if (request === undefined || extra !== undefined) {
    return `the SOAP Body must hold exactly one element (found ${body.children.length})`;
  }
  return request;
}

/** The text of the first child with this name, for the fault's id when the request is otherwise unreadable. */
function firstText(el: XmlElement, name: string): string {
  const child = el.children.find((c) => c.name === name);
  return child !== undefined && child.children.length === 0 ? child.text.trim().slice(0, 35) : "";
}

const text35 = { minLength: 1, maxLength: 35 } as const;
const fiscalCodePA = { pattern: /[0-9]{11}/, minLength: 11, maxLength: 11 } as const;

const idsOf = (c: Content, base: string): NodeCallerIds => ({
  idPA: stringValue(c.one("idPA"), `${base}/idPA`, text35),
  idBrokerPA: stringValue(c.one("idBrokerPA"), `${base}/idBrokerPA`, text35),
  idStation: stringValue(c.one("idStation"), `${base}/idStation`, text35),
});

function qrCodeOf(el: XmlElement, path: string): QrCode {
  const q = matchSequence(el, path, [{ name: "fiscalCode" }, { name: "noticeNumber" }], LOCAL);
  return {
    fiscalCode: stringValue(q.one("fiscalCode"), `${path}/fiscalCode`, fiscalCodePA),
    noticeNumber: stringValue(q.one("noticeNumber"), `${path}/noticeNumber`, { pattern: /[0-9]{18}/ }),
  };
}

function readOperation(operation: PaForNodeOperation, el: XmlElement): NodeRequest {
  const base = requestElement[operation];
  switch (operation) {
    case "paVerifyPaymentNotice": {
      const c = matchSequence(
        el,
        base,
        [{ name: "idPA" }, { name: "idBrokerPA" }, { name: "idStation" }, { name: "qrCode" }],
        LOCAL,
      );
      return { operation, ids: idsOf(c, base), qrCode: qrCodeOf(c.one("qrCode"), `${base}/qrCode`) };
    }
    case "paGetPayment":
    case "paGetPaymentV2": {
      // paGetPaymentReq and paGetPaymentV2Request have the same content.
      const c = matchSequence(
        el,
        base,
        [
          { name: "idPA" },
          { name: "idBrokerPA" },
          { name: "idStation" },
          { name: "qrCode" },
          { name: "amount", min: 0 },
          { name: "paymentNote", min: 0 },
          { name: "transferType", min: 0 },
          { name: "dueDate", min: 0 },
        ],
        LOCAL,
      );
      const amount = c.opt("amount");
      if (amount !== undefined) amountCents(amount, `${base}/amount`, { minCents: 0, maxCents: MAX_AMOUNT_CENTS });
      const note = c.opt("paymentNote");
      if (note !== undefined) stringValue(note, `${base}/paymentNote`, { minLength: 1, maxLength: 210 });
      const type = c.opt("transferType");
      const transferType =
        type === undefined
          ? undefined
          : (stringValue(type, `${base}/transferType`, { enumeration: ["POSTAL", "PAGOPA"] }) as TransferType);
      const due = c.opt("dueDate");
      if (due !== undefined) dateValue(due, `${base}/dueDate`);
      return { operation, ids: idsOf(c, base), qrCode: qrCodeOf(c.one("qrCode"), `${base}/qrCode`), transferType };
    }
    case "paSendRT":
    case "paSendRTV2": {
      const receipt = receiptFromRequest(el);
      return {
        operation,
        ids: { idPA: receipt.organizationFiscalCode, idBrokerPA: receipt.idBrokerPA, idStation: receipt.idStation },
        receipt,
      };
    }
  }
}

// ---- writing --------------------------------------------------------------------------------------------------

const escapeText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const leaf = (name: string, value: string | number | boolean | undefined): string =>
  value === undefined ? "" : `<${name}>${escapeText(String(value))}</${name}>`;

const node = (name: string, ...children: string[]): string => `<${name}>${children.join("")}</${name}>`;

const envelope = (content: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP_1_1_ENVELOPE_NAMESPACE}"><soapenv:Body>${content}</soapenv:Body></soapenv:Envelope>`;

function faultXml(fault: NodeFault): string {
  return node(
    "fault",
    leaf("faultCode", fault.faultCode),
    leaf("faultString", fault.faultString),
    leaf("id", fault.id),
    leaf("description", fault.description),
  );
}

const metadataXml = (entries: readonly MapEntry[]): string =>
  entries.length === 0
    ? ""
    : node("metadata", ...entries.map((e) => node("mapEntry", leaf("key", e.key), leaf("value", e.value))));

function subjectXml(name: string, s: SubjectView): string {
  return node(
    name,
    node("uniqueIdentifier", leaf("entityUniqueIdentifierType", s.type), leaf("entityUniqueIdentifierValue", s.value)),
    leaf("fullName", s.fullName),
    leaf("streetName", s.streetName),
    leaf("civicNumber", s.civicNumber),
    leaf("postalCode", s.postalCode),
    leaf("city", s.city),
    leaf("stateProvinceRegion", s.stateProvinceRegion),
    leaf("country", s.country),
    leaf("e-mail", s.email),
  );
}

function transferXml(t: TransferView, version: 1 | 2): string {
  const account =
    t.stamp !== undefined
      ? node(
          "richiestaMarcaDaBollo",
          leaf("hashDocumento", t.stamp.hashDocumento),
          leaf("tipoBollo", t.stamp.tipoBollo),
          leaf("provinciaResidenza", t.stamp.provinciaResidenza),
        )
      : leaf("IBAN", t.iban);
  return node(
    "transfer",
    leaf("idTransfer", t.idTransfer),
    leaf("transferAmount", t.transferAmount),
    leaf("fiscalCodePA", t.fiscalCodePA),
    version === 2 ? leaf("companyName", t.companyName) : "",
    account,
    leaf("remittanceInformation", t.remittanceInformation),
    leaf("transferCategory", t.transferCategory),
    version === 2 ? metadataXml(t.metadata) : "",
  );
}

function paymentXml(v: PaymentView, version: 1 | 2): string {
  return node(
    "data",
    leaf("creditorReferenceId", v.creditorReferenceId),
    leaf("paymentAmount", v.paymentAmount),
    leaf("dueDate", v.dueDate),
    leaf("retentionDate", v.retentionDate),
    leaf("lastPayment", v.lastPayment),
    leaf("description", v.description),
    leaf("companyName", v.companyName),
    leaf("officeName", v.officeName),
    subjectXml("debtor", v.debtor),
    node("transferList", ...v.transfers.map((t) => transferXml(t, version))),
    metadataXml(v.metadata),
  );
}

function verifyXml(v: VerifyView): string {
  return [
    node(
      "paymentList",
      node(
        "paymentOptionDescription",
        leaf("amount", v.amount),
        leaf("options", "EQ"),
        leaf("dueDate", v.dueDate),
        leaf("detailDescription", v.detailDescription),
        leaf("allCCP", v.allCCP),
      ),
    ),
    leaf("paymentDescription", v.paymentDescription),
    leaf("fiscalCodePA", v.fiscalCodePA),
    leaf("companyName", v.companyName),
    leaf("officeName", v.officeName),
  ].join("");
}

/** The operation's response envelope: outcome, then a fault or the operation's content. */
export function writeNodeResponse(operation: PaForNodeOperation, result: NodeResult): string {
  const name = responseElement[operation];
  let content: string;
  switch (result.kind) {
    case "fault":
      content = leaf("outcome", "KO") + faultXml(result.fault);
      break;
    case "verified":
      content = leaf("outcome", "OK") + verifyXml(result.view);
      break;
    case "payment":
      content = leaf("outcome", "OK") + paymentXml(result.view, operation === "paGetPaymentV2" ? 2 : 1);
      break;
    case "received":
      content = leaf("outcome", "OK");
      break;
  }
  return envelope(`<pafn:${name} xmlns:pafn="${PA_FOR_NODE_NAMESPACE}">${content}</pafn:${name}>`);
}

/** SOAP 1.1 Fault for what is not a request of this service at all. */
export function writeSoapFault(code: "Client" | "Server", message: string): string {
  return envelope(
    node("soapenv:Fault", leaf("faultcode", `soapenv:${code}`), leaf("faultstring", message.slice(0, 1000))),
  );
}
