// Reading paForNode request envelopes and writing answers, and how refused receipts map to faults: pure, no I/O.
// (Every answer of the end-to-end tests is also validated by libxml2 against paForNode.xsd.)
import { faultOfRefusal, parkingNameOf } from "../../../shared/application/pa-for-node";
import { nodeFault } from "../../../shared/domain/node/faults";
import type { Receipt } from "../../../shared/domain/receipts/receipt";
import {
  operationOfAction,
  readNodeRequest,
  writeNodeResponse,
  writeSoapFault,
} from "../../../shared/soap/pa-for-node-xml";
import { aReceiptXml } from "../../support/xml-builders";

const NS = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd";
const envelope = (body: string) =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="${NS}"><soapenv:Header/><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
const verify = (noticeNumber = "301000000000000001", element = "paVerifyPaymentNoticeReq") =>
  `<pafn:${element}><idPA>77777777777</idPA><idBrokerPA>15376371009</idBrokerPA><idStation>15376371009_01</idStation><qrCode><fiscalCode>77777777777</fiscalCode><noticeNumber>${noticeNumber}</noticeNumber></qrCode></pafn:${element}>`;
const read = (xml: string, action: string | null = null) => readNodeRequest(Buffer.from(xml), action, 1024 * 1024);

describe("operationOfAction", () => {
  test.each([
    ["paVerifyPaymentNotice", "paVerifyPaymentNotice"],
    ['"paGetPaymentV2"', "paGetPaymentV2"],
    ["http://pagopa-api.pagopa.gov.it/paForNode/paSendRTV2", "paSendRTV2"],
    ['""', undefined],
    ["paDemandPaymentNotice", undefined],
    [null, undefined],
  ])("%j → %s", (action, operation) => {
    expect(operationOfAction(action)).toBe(operation);
  });
});

describe("readNodeRequest", () => {
  test("by SOAPAction or, without it, by the Body's element", () => {
    for (const action of ["paVerifyPaymentNotice", null]) {
      const r = read(envelope(verify()), action);
      expect(r).toEqual({
        kind: "request",
        request: {
          operation: "paVerifyPaymentNotice",
          ids: { idPA: "77777777777", idBrokerPA: "15376371009", idStation: "15376371009_01" },
          qrCode: { fiscalCode: "77777777777", noticeNumber: "301000000000000001" },
        },
      });
    }
  });

  test("getPayment reads the optional transferType; the other optional elements are checked", () => {
    const body = verify("301000000000000001", "paGetPaymentV2Request").replace(
      "</qrCode>",
      "</qrCode><amount>10.00</amount><transferType>POSTAL</transferType><dueDate>2026-12-31</dueDate>",
    );
    expect(read(envelope(body))).toMatchObject({ kind: "request", request: { transferType: "POSTAL" } });
    const badAmount = body.replace("<amount>10.00</amount>", "<amount>10</amount>");
    expect(read(envelope(badAmount))).toMatchObject({ kind: "refused", fault: { faultCode: "PAA_SINTASSI_XSD" } });
  });

  test.each([
    ["a 17-digit notice number", envelope(verify("30100000000000001")), null],
    ["a missing idBrokerPA", envelope(verify().replace(/<idBrokerPA>.*?<\/idBrokerPA>/, "")), null],
    ["a SOAPAction naming another operation", envelope(verify()), "paGetPayment"],
    ["the request element in no namespace", envelope(verify().replace(/pafn:/g, "")), "paVerifyPaymentNotice"],
    ["an unexpected element", envelope(verify().replace("</qrCode>", "</qrCode><extra/>")), null],
  ])("%s → its operation's response with PAA_SINTASSI_XSD, id = idPA", (_label, xml, action) => {
    const r = read(xml, action);
    expect(r).toMatchObject({ kind: "refused", fault: { faultCode: "PAA_SINTASSI_XSD", id: "77777777777" } });
  });

  test("a receipt that the XSD accepts but GPD cannot (KO outcome, transfers not adding up) is PAA_SEMANTICA", () => {
    const ko = aReceiptXml({ idPA: "77777777777", outcome: "KO", soapEnvelope: true });
    expect(read(ko)).toMatchObject({ kind: "refused", operation: "paSendRTV2", fault: { faultCode: "PAA_SEMANTICA" } });
    const sum = aReceiptXml({
      idPA: "77777777777",
      amountCents: 5,
      transfers: [{ amountCents: 4 }],
      soapEnvelope: true,
    });
    expect(read(sum)).toMatchObject({ kind: "refused", fault: { faultCode: "PAA_SEMANTICA" } });
  });

  test("paSendRTV2 and paSendRT give the receipt and the caller's ids", () => {
    const r = read(aReceiptXml({ idPA: "77777777777", iuv: "01000000000000009", soapEnvelope: true }));
    expect(r).toMatchObject({
      kind: "request",
      request: { operation: "paSendRTV2", ids: { idPA: "77777777777" }, receipt: { iuv: "01000000000000009" } },
    });
  });

  test.each([
    ["not XML", "{}", /^malformed/],
    ["empty", "", /./],
    ["a DTD", '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', /^dtd-forbidden/],
    [
      "not an envelope",
      verify().replace("<pafn:paVerifyPaymentNoticeReq>", `<pafn:paVerifyPaymentNoticeReq xmlns:pafn="${NS}">`),
      /SOAP 1.1 <Envelope>/,
    ],
    ["SOAP 1.2", verify().replace(/.*/, '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"/>'), /SOAP 1.1/],
    ["two requests in the Body", envelope(verify() + verify()), /exactly one element/],
    ["an unknown operation", envelope("<pafn:paDemandPaymentNoticeRequest/>"), /unknown operation/],
  ])("%s → not SOAP (400)", (_label, xml, detail) => {
    const r = read(xml);
    expect(r.kind).toBe("not-soap");
    if (r.kind === "not-soap") expect(r.detail).toMatch(detail);
  });

  test("the size limit holds before parsing", () => {
    const r = readNodeRequest(Buffer.from(envelope(verify())), null, 100);
    expect(r).toMatchObject({ kind: "not-soap", detail: expect.stringMatching(/^too-large/) as unknown });
  });
});

describe("writeNodeResponse", () => {
  test("the response element in the paForNode namespace, children unqualified, texts escaped", () => {
    const xml = writeNodeResponse("paVerifyPaymentNotice", {
      kind: "fault",
      fault: nodeFault("PAA_PAGAMENTO_SCONOSCIUTO", "77777777777", "a <b> & c"),
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
        `<pafn:paVerifyPaymentNoticeRes xmlns:pafn="${NS}"><outcome>KO</outcome><fault><faultCode>PAA_PAGAMENTO_SCONOSCIUTO</faultCode>` +
        "<faultString>pagamento sconosciuto</faultString><id>77777777777</id>" +
        "<description>L'id del pagamento ricevuto non esiste: a &lt;b&gt; &amp; c</description></fault>" +
        "</pafn:paVerifyPaymentNoticeRes></soapenv:Body></soapenv:Envelope>",
    );
    expect(writeNodeResponse("paSendRT", { kind: "received" })).toContain(
      `<pafn:paSendRTRes xmlns:pafn="${NS}"><outcome>OK</outcome></pafn:paSendRTRes>`,
    );
  });

  test("a SOAP Fault for what is not a request", () => {
    expect(writeSoapFault("Client", "x < y")).toContain(
      "<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>x &lt; y</faultstring></soapenv:Fault>",
    );
  });
});

describe("refused receipts → faults", () => {
  test.each([
    ["unknown-position: none", "PAA_PAGAMENTO_SCONOSCIUTO"],
    ["unknown-payment-option: none", "PAA_PAGAMENTO_SCONOSCIUTO"],
    ["PAYMENT_OPTION_ALREADY_PAID: paid by R-1", "PAA_RECEIPT_DUPLICATA"],
    ["receipt-conflict: another receipt is stored", "PAA_RECEIPT_DUPLICATA"],
    ["amount-mismatch: 1 vs 2", "PAA_SEMANTICA"],
    ["PAYMENT_OPTION_NOT_FOUND: another plan progressed", "PAA_SEMANTICA"],
    ["a-rule-added-later: whatever", "PAA_SEMANTICA"],
    ["no kind at all", "PAA_SEMANTICA"],
  ])("%s → %s", (reason, code) => {
    expect(faultOfRefusal("77777777777", reason)).toMatchObject({ faultCode: code, id: "77777777777" });
  });

  test("the parked file is named by receipt id, hashed when the id is long", () => {
    const receipt = (receiptId: string) => ({ organizationFiscalCode: "77777777777", receiptId }) as Receipt;
    expect(parkingNameOf(receipt("R/1 2"))).toBe("node/77777777777/R%2F1%202.xml");
    expect(parkingNameOf(receipt("x".repeat(300)))).toMatch(/^node\/77777777777\/[0-9a-f]{64}\.xml$/);
  });
});
