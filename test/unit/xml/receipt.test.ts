import { ReceiptRejection, type ReceiptRejectionReason } from "../../../shared/domain/receipts/receipt";
import { parseReceipt } from "../../../shared/xml/receipt-xml";
import { XmlRejection } from "../../../shared/xml/safe-xml";
import { mutator, rejectionOf, xmlFixture, xmlReasonOf } from "../../support/xml-test-helpers";
import { aReceiptXml } from "../../support/xml-builders";

const fixture = xmlFixture;
const receiptRejectionOf = (xml: string | Buffer): ReceiptRejection =>
  rejectionOf(ReceiptRejection, () => parseReceipt(xml));
const base = aReceiptXml();
const mutate = mutator(base);

describe("parseReceipt: valid receipts", () => {
  test("bare paSendRTV2Request: every field, exact cents, offset-less dateTime read as UTC", () => {
    expect(parseReceipt(fixture("receipt-bare.xml"))).toEqual({
      organizationFiscalCode: "77777777777",
      idBrokerPA: "77777777777",
      idStation: "77777777777_01",
      receiptId: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
      noticeNumber: "301000000000000123",
      noticeFiscalCode: "77777777777",
      iuv: "01000000000000123",
      debtorFiscalCode: "RSSMRA80A01H501U",
      debtorType: "F",
      debtorFullName: "Mario Rossi",
      paymentAmountCents: 1010,
      feeCents: 50,
      paymentMethod: "creditCard",
      pspId: "PSPTEST01",
      pspFiscalCode: "00000000001",
      pspCompany: "Banca di Prova S.p.A.",
      idChannel: "00000000001_01",
      paymentDateTime: "2026-03-10T09:15:30.000Z",
      paymentDateTimeText: "2026-03-10T09:15:30",
      applicationDate: "2026-03-10",
      transferDate: "2026-03-11",
      transfers: [
        {
          idTransfer: 1,
          amountCents: 1010,
          fiscalCodePA: "77777777777",
          iban: "IT60X0542811101000000123456",
          remittanceInformation: "/RFB/01000000000000123/10.10/TXT/TARI 2026",
          category: "9/0101108TS/",
        },
      ],
      description: "TARI 2026 - rata unica",
      companyName: "Comune di Prova & Frazioni",
      standIn: false,
    });
  });

  test("the same receipt inside a SOAP 1.1 envelope (other prefixes) parses identically", () => {
    expect(parseReceipt(fixture("receipt-soap.xml"))).toEqual(parseReceipt(fixture("receipt-bare.xml")));
  });

  test("multi-transfer receipt: second beneficiary, stamp, offset dateTime normalised to UTC, µs truncated", () => {
    const r = parseReceipt(fixture("receipt-multi-transfer.xml"));
    expect(r.paymentAmountCents).toBe(123456);
    expect(r.transfers.map((t) => [t.idTransfer, t.amountCents, t.fiscalCodePA, t.iban, t.mbdAttachment])).toEqual([
      [1, 100000, "77777777777", "IT60X0542811101000000123456", undefined],
      [2, 21856, "88888888888", "IT02L1234512345123456789012", undefined],
      [3, 1600, "77777777777", undefined, true],
    ]);
    expect(r.paymentDateTime).toBe("2026-03-10T09:15:30.123Z");
    expect(r.paymentDateTimeText).toBe("2026-03-10T10:15:30.123456+01:00");
    expect(r.debtorType).toBe("G");
    expect(r.officeName).toBe("Ufficio Tecnico");
    expect(r.pspFiscalCode).toBeUndefined();
    expect(r.standIn).toBeUndefined();
    expect(r.applicationDate).toBeUndefined();
  });

  test("optional elements may be absent; the builder's receipts are valid, bare or enveloped", () => {
    const r = parseReceipt(aReceiptXml({ paymentDateTime: "", feeCents: undefined }));
    expect(r.paymentDateTime).toBeUndefined();
    expect(r.feeCents).toBeUndefined();
    const soap = parseReceipt(
      aReceiptXml({
        soapEnvelope: true,
        idPA: "12345678901",
        iuv: "11000000000000099",
        receiptId: "r-99",
        debtorFiscalCode: "01234567890",
        paymentDateTime: "2026-01-31T23:59:59-02:00",
        transfers: [{ amountCents: 1 }, { amountCents: 99_999_999_998, fiscalCodePA: "99999999999" }],
        standin: true,
      }),
    );
    expect(soap).toMatchObject({
      organizationFiscalCode: "12345678901",
      iuv: "11000000000000099",
      noticeNumber: "311000000000000099",
      receiptId: "r-99",
      debtorFiscalCode: "01234567890",
      paymentAmountCents: 99_999_999_999,
      paymentDateTime: "2026-02-01T01:59:59.000Z",
      standIn: true,
    });
  });

  test("XSD lexical freedoms: idTransfer with blanks and a leading zero, amounts with surrounding blanks, boolean 1", () => {
    const xml = mutate("<idTransfer>1</idTransfer>", "<idTransfer> 01 </idTransfer>").replace(
      "<paymentAmount>100.00</paymentAmount>",
      "<paymentAmount>\n 100.00\n</paymentAmount>",
    );
    expect(
      parseReceipt(aReceiptXml({ standin: true }).replace("<standin>true</standin>", "<standin>1</standin>")).standIn,
    ).toBe(true);
    expect(parseReceipt(xml).transfers[0]!.idTransfer).toBe(1);
  });
});

describe("parseReceipt: rejections", () => {
  test.each<[string, string, ReceiptRejectionReason, RegExp]>([
    ["KO outcome", aReceiptXml({ outcome: "KO" }), "outcome-ko", /outcome KO/],
    [
      "transfers not adding up to paymentAmount",
      aReceiptXml({ amountCents: 10000, transfers: [{ amountCents: 6000 }, { amountCents: 3999 }] }),
      "amount-mismatch",
      /9999 cents but paymentAmount is 10000/,
    ],
    [
      "duplicate idTransfer",
      aReceiptXml({
        transfers: [
          { idTransfer: 1, amountCents: 100 },
          { idTransfer: 1, amountCents: 100 },
        ],
      }),
      "duplicate-transfer-id",
      /idTransfer 1/,
    ],
    [
      "wrong root",
      `<paVerifyPaymentNoticeReq xmlns="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"/>`,
      "not-a-receipt",
      /paSendRTV2Request/,
    ],
    [
      "right root name, other namespace",
      mutate(/ xmlns:pafn="[^"]*"/, ' xmlns:pafn="urn:other"'),
      "not-a-receipt",
      /urn:other/,
    ],
    [
      "a flow instead of a receipt",
      xmlFixture("flow-valid.xml").toString("utf8"),
      "not-a-receipt",
      /FlussoRiversamento/,
    ],
    [
      "SOAP 1.2 envelope",
      aReceiptXml({ soapEnvelope: true }).replace(
        "http://schemas.xmlsoap.org/soap/envelope/",
        "http://www.w3.org/2003/05/soap-envelope",
      ),
      "not-a-receipt",
      /Envelope/,
    ],
    [
      "SOAP Body with two elements",
      aReceiptXml({ soapEnvelope: true }).replace("</soapenv:Body>", "<extra/></soapenv:Body>"),
      "not-a-receipt",
      /exactly one/,
    ],
    [
      "SOAP envelope without Body",
      `<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header/></e:Envelope>`,
      "not-a-receipt",
      /Body/,
    ],
    [
      "amount with 3 decimals",
      mutate("<paymentAmount>100.00</paymentAmount>", "<paymentAmount>100.000</paymentAmount>"),
      "schema-violation",
      /paymentAmount/,
    ],
    [
      "transfer amount with 3 decimals",
      mutate("<transferAmount>100.00</transferAmount>", "<transferAmount>99.999</transferAmount>"),
      "schema-violation",
      /transferAmount/,
    ],
    [
      "amount without decimals",
      mutate("<paymentAmount>100.00</paymentAmount>", "<paymentAmount>100</paymentAmount>"),
      "schema-violation",
      /paymentAmount/,
    ],
    [
      "negative fee",
      aReceiptXml({ feeCents: 1 }).replace("<fee>0.01</fee>", "<fee>-0.01</fee>"),
      "schema-violation",
      /fee/,
    ],
    [
      "amount over 999999999.99",
      aReceiptXml({ transfers: [{ amountCents: 100_000_000_000 }] }),
      "schema-violation",
      /outside/,
    ],
    [
      "zero transfer amount (stAmountNotZero)",
      aReceiptXml({ transfers: [{ amountCents: 0 }] }),
      "schema-violation",
      /transferAmount/,
    ],
    [
      "noticeNumber of 17 digits",
      mutate(/<noticeNumber>\d+</, "<noticeNumber>30100000000000012<"),
      "schema-violation",
      /noticeNumber/,
    ],
    [
      "fiscalCode with letters",
      mutate("<fiscalCode>77777777777</fiscalCode>", "<fiscalCode>7777777777A</fiscalCode>"),
      "schema-violation",
      /fiscalCode/,
    ],
    [
      "fiscalCodePA padded with blanks (xs:string keeps them)",
      mutate("<fiscalCodePA>77777777777</fiscalCodePA>", "<fiscalCodePA> 77777777777</fiscalCodePA>"),
      "schema-violation",
      /fiscalCodePA/,
    ],
    ["idPA longer than 35", aReceiptXml({ idPA: "1".repeat(36) }), "schema-violation", /idPA/],
    ["missing idBrokerPA", mutate(/<idBrokerPA>[^<]*<\/idBrokerPA>/, ""), "schema-violation", /missing <idBrokerPA>/],
    ["missing idChannel", mutate(/<idChannel>[^<]*<\/idChannel>/, ""), "schema-violation", /idChannel/],
    [
      "missing creditorReferenceId",
      mutate(/<creditorReferenceId>[^<]*<\/creditorReferenceId>/, ""),
      "schema-violation",
      /creditorReferenceId/,
    ],
    [
      "elements out of order",
      mutate(/(<idPA>[^<]*<\/idPA>)(\s*)(<idBrokerPA>[^<]*<\/idBrokerPA>)/, "$3$2$1"),
      "schema-violation",
      /idPA|idBrokerPA/,
    ],
    ["unknown element", mutate("<description>", "<surprise>x</surprise><description>"), "schema-violation", /surprise/],
    [
      "child in a foreign namespace",
      mutate("<description>", `<description xmlns="urn:other">`).replace("</description>", "</description>"),
      "schema-violation",
      /namespace/,
    ],
    [
      "debtor type X",
      mutate("<entityUniqueIdentifierType>F<", "<entityUniqueIdentifierType>X<"),
      "schema-violation",
      /entityUniqueIdentifierType/,
    ],
    [
      "debtor value of 1 character",
      aReceiptXml({ debtorFiscalCode: "R" }),
      "schema-violation",
      /entityUniqueIdentifierValue/,
    ],
    [
      "six transfers",
      aReceiptXml({ transfers: [1, 2, 3, 4, 5, 6].map((i) => ({ idTransfer: (i % 5) + 1, amountCents: 100 })) }),
      "schema-violation",
      /transfer/,
    ],
    [
      "no transfer",
      mutate(/<transferList>[\s\S]*<\/transferList>/, "<transferList></transferList>"),
      "schema-violation",
      /missing <transfer>/,
    ],
    [
      "idTransfer 6",
      aReceiptXml({ transfers: [{ idTransfer: 6, amountCents: 10000 }] }),
      "schema-violation",
      /idTransfer/,
    ],
    [
      "transfer with neither IBAN nor MBDAttachment",
      mutate(/<IBAN>[^<]*<\/IBAN>/, ""),
      "schema-violation",
      /IBAN.*MBDAttachment/,
    ],
    [
      "transfer with both IBAN and MBDAttachment",
      mutate(/(<IBAN>[^<]*<\/IBAN>)/, "$1<MBDAttachment>QUJD</MBDAttachment>"),
      "schema-violation",
      /MBDAttachment/,
    ],
    [
      "invalid base64 stamp",
      aReceiptXml({ transfers: [{ amountCents: 10000, mbdAttachment: "not base64!" }] }),
      "schema-violation",
      /base64/,
    ],
    [
      "paymentDateTime not a date-time",
      aReceiptXml({ paymentDateTime: "10/03/2026 09:15" }),
      "schema-violation",
      /paymentDateTime/,
    ],
    [
      "paymentDateTime on 30 February",
      aReceiptXml({ paymentDateTime: "2026-02-30T10:00:00Z" }),
      "schema-violation",
      /valid date/,
    ],
    [
      "paymentDateTime at 24:00",
      aReceiptXml({ paymentDateTime: "2026-02-10T24:00:00Z" }),
      "schema-violation",
      /valid time/,
    ],
    [
      "paymentDateTime with offset +15:00",
      aReceiptXml({ paymentDateTime: "2026-02-10T10:00:00+15:00" }),
      "schema-violation",
      /offset/,
    ],
    ["empty receiptId", aReceiptXml({ receiptId: "" }), "schema-violation", /receiptId/],
    ["outcome lower case", mutate("<outcome>OK</outcome>", "<outcome>ok</outcome>"), "schema-violation", /outcome/],
    ["text mixed into receipt", mutate("<receipt>", "<receipt>hello"), "schema-violation", /text/],
    [
      "standin not a boolean",
      aReceiptXml({ standin: true }).replace("<standin>true</standin>", "<standin>yes</standin>"),
      "schema-violation",
      /standin/,
    ],
  ])("%s", (_label, xml, reason, message) => {
    const e = receiptRejectionOf(xml);
    expect(e.reason).toBe(reason);
    expect(e.message).toMatch(message);
    expect(e.name).toBe("ReceiptRejection");
  });

  test("XML-level problems pass through as XmlRejection", () => {
    expect(() => parseReceipt(fixture("billion-laughs.xml"))).toThrow(XmlRejection);
    expect(xmlReasonOf(() => parseReceipt(base, { maxBytes: 100 }))).toBe("too-large");
    expect(xmlReasonOf(() => parseReceipt(base.replace("</receipt>", "")))).toBe("malformed");
  });
});

describe("parseReceipt: paSendRTReq (version 1, sent by the node through paSendRT)", () => {
  const v1 = (xml: string) => xml.replace(/paSendRTV2Request/g, "paSendRTReq");

  test("is read like paSendRTV2Request", () => {
    const receipt = parseReceipt(v1(aReceiptXml({ iuv: "01000000000000042", soapEnvelope: true })));
    expect(receipt).toMatchObject({ iuv: "01000000000000042", transfers: [{ idTransfer: 1, amountCents: 10000 }] });
  });

  test.each([
    [
      "MBDAttachment instead of an IBAN",
      aReceiptXml({ transfers: [{ amountCents: 10000, mbdAttachment: "UEsDBA==" }] }),
    ],
    [
      "paymentNote (V2 only)",
      aReceiptXml().replace(
        "<paymentMethod>creditCard</paymentMethod>",
        "<paymentMethod>creditCard</paymentMethod><paymentNote>n</paymentNote>",
      ),
    ],
  ])("refuses %s", (_label, xml) => {
    expect(() => parseReceipt(v1(xml))).toThrow(expect.objectContaining({ reason: "schema-violation" }) as Error);
  });
});
