import { FlowRejection, type FlowRejectionReason } from "../../../shared/domain/reporting/flow";
import { parseReportingFlow, readReportingFlow } from "../../../shared/xml/flow-xml";
import { XmlRejection } from "../../../shared/xml/safe-xml";
import { mutator, rejectionOf, xmlFixture, xmlReasonOf } from "../../support/xml-test-helpers";
import { aFlowXml } from "../../support/xml-builders";

const fixture = xmlFixture;
const flowRejectionOf = (xml: string | Buffer): FlowRejection =>
  rejectionOf(FlowRejection, () => parseReportingFlow(xml));
const base = aFlowXml();
const mutate = mutator(base);

describe("parseReportingFlow: valid flows", () => {
  test("outcomes 0/3/9, an entry without index (→ 1), exact cents, flowDate in UTC", () => {
    expect(parseReportingFlow(fixture("flow-valid.xml"))).toEqual({
      version: "1.0",
      flowId: "2026-03-12PSPTEST01-S000000777",
      flowDateTime: "2026-03-12T22:30:00.250Z",
      flowDateTimeText: "2026-03-12T23:30:00.250+01:00",
      flowDate: "2026-03-12",
      settlementId: "TRN-2026-0312-0001",
      settlementDate: "2026-03-12",
      senderPspIdType: "B",
      senderPspId: "PSPTEST01",
      senderPspName: "Banca di Prova S.p.A.",
      remittingBankBic: "PROVITR1XXX",
      receiverOrganizationFiscalCode: "77777777777",
      receiverName: "Comune di Prova",
      totalPayments: 4,
      totalAmountCents: 124466,
      payments: [
        {
          iuv: "02000000000004242",
          iur: "RCPT-2026-000042",
          transferIndex: 1,
          transferIndexGiven: true,
          amountCents: 100000,
          outcome: "0",
          outcomeDate: "2026-03-10",
        },
        {
          iuv: "02000000000004242",
          iur: "RCPT-2026-000042",
          transferIndex: 3,
          transferIndexGiven: true,
          amountCents: 1600,
          outcome: "3",
          outcomeDate: "2026-03-11",
        },
        {
          iuv: "01000000000000123",
          iur: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
          transferIndex: 1,
          transferIndexGiven: false,
          amountCents: 1010,
          outcome: "9",
          outcomeDate: "2026-03-10",
        },
        {
          iuv: "02000000000004242",
          iur: "RCPT-2026-000042",
          transferIndex: 2,
          transferIndexGiven: true,
          amountCents: 21856,
          outcome: "0",
          outcomeDate: "2026-03-10",
        },
      ],
    });
  });

  test("an installment plan reported over two flows", () => {
    const first = parseReportingFlow(fixture("flow-installments-1.xml"));
    const second = parseReportingFlow(fixture("flow-installments-2.xml"));
    expect(first.payments.map((p) => `${p.iuv}/${p.transferIndex}:${p.amountCents}`)).toEqual([
      "03000000000000011/1:8000",
      "03000000000000011/2:2000",
    ]);
    expect(second.payments.map((p) => `${p.iuv}/${p.transferIndex}:${p.amountCents}`)).toEqual([
      "03000000000000012/1:8000",
      "03000000000000012/2:2000",
      "03000000000000013/1:8000",
      "03000000000000013/2:2000",
    ]);
    expect([first.version, first.flowDate, first.totalAmountCents]).toEqual(["1.1", "2026-04-02", 10000]);
    expect([second.senderPspId, second.flowDate, second.totalPayments, second.totalAmountCents]).toEqual([
      "PSPTEST02",
      "2026-05-03",
      4,
      20000,
    ]);
  });

  test("the builder's flows are valid; offset-less dataOraFlusso is UTC; flowDate follows UTC across midnight", () => {
    const f = parseReportingFlow(
      aFlowXml({
        flowId: "F_1-x",
        flowDateTime: "2026-06-30T23:30:00",
        receiver: "12345678901",
        payments: [
          { iuv: "A1", transferIndex: 5, amountCents: 1, outcome: "0" },
          { iuv: "A2", amountCents: 99_999_999_998, outcome: "9" },
        ],
      }),
    );
    expect(f).toMatchObject({
      flowId: "F_1-x",
      flowDateTime: "2026-06-30T23:30:00.000Z",
      flowDate: "2026-06-30",
      totalAmountCents: 99_999_999_999,
    });
    expect(f.payments.map((p) => [p.transferIndex, p.transferIndexGiven])).toEqual([
      [5, true],
      [1, false],
    ]);
    expect(parseReportingFlow(aFlowXml({ flowDateTime: "2026-07-01T00:30:00+02:00" })).flowDate).toBe("2026-06-30");
  });

  test("outcome 4 (stand-in) is accepted: the contract XSD enumerates it", () => {
    expect(
      parseReportingFlow(aFlowXml({ payments: [{ iuv: "X", amountCents: 5, outcome: "4" }] })).payments[0]!.outcome,
    ).toBe("4");
  });

  test("numeroTotalePagamenti is an xs:decimal: 2.0 and 002 are the value 2", () => {
    const two = aFlowXml({
      payments: [
        { iuv: "A", amountCents: 1 },
        { iuv: "B", amountCents: 2 },
      ],
    });
    expect(
      parseReportingFlow(two.replace("<numeroTotalePagamenti>2<", "<numeroTotalePagamenti>2.0<")).totalPayments,
    ).toBe(2);
    expect(
      parseReportingFlow(two.replace("<numeroTotalePagamenti>2<", "<numeroTotalePagamenti>002<")).totalPayments,
    ).toBe(2);
  });
});

describe("parseReportingFlow: rejections", () => {
  test.each<[string, string, FlowRejectionReason, RegExp]>([
    [
      "count mismatch",
      aFlowXml({ totalPayments: 2 }),
      "count-mismatch",
      /numeroTotalePagamenti is 2 but the flow has 1/,
    ],
    [
      "amount mismatch",
      aFlowXml({ totalAmountCents: 10001 }),
      "amount-mismatch",
      /10001 cents but the entries add up to 10000/,
    ],
    [
      "wrong namespace",
      mutate("http://www.digitpa.gov.it/schemas/2011/Pagamenti/", "http://www.digitpa.gov.it/schemas/2011/Pagamenti"),
      "not-a-flow",
      /FlussoRiversamento/,
    ],
    ["no namespace", mutate(/ xmlns="[^"]*"/, ""), "not-a-flow", /no namespace/],
    ["wrong root", `<Flusso xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/"/>`, "not-a-flow", /Flusso/],
    ["a receipt instead of a flow", xmlFixture("receipt-bare.xml").toString("utf8"), "not-a-flow", /paSendRTV2Request/],
    [
      "unqualified children (elementFormDefault=qualified)",
      mutate(/<versioneOggetto>1.0<\/versioneOggetto>/, `<versioneOggetto xmlns="">1.0</versioneOggetto>`),
      "schema-violation",
      /namespace/,
    ],
    [
      "versioneOggetto 2.0",
      mutate("<versioneOggetto>1.0<", "<versioneOggetto>2.0<"),
      "schema-violation",
      /versioneOggetto/,
    ],
    [
      "identificativoFlusso with a space",
      aFlowXml({ flowId: "2026-03-12 PSP" }),
      "schema-violation",
      /identificativoFlusso/,
    ],
    [
      "identificativoFlusso of 36 characters",
      aFlowXml({ flowId: "x".repeat(36) }),
      "schema-violation",
      /identificativoFlusso/,
    ],
    ["dataOraFlusso as a date", aFlowXml({ flowDateTime: "2026-03-12" }), "schema-violation", /dataOraFlusso/],
    [
      "dataRegolamento invalid",
      mutate(/<dataRegolamento>[^<]*</, "<dataRegolamento>2026-13-01<"),
      "schema-violation",
      /dataRegolamento/,
    ],
    [
      "missing identificativoUnivocoRegolamento",
      mutate(/<identificativoUnivocoRegolamento>[^<]*<\/identificativoUnivocoRegolamento>/, ""),
      "schema-violation",
      /identificativoUnivocoRegolamento/,
    ],
    [
      "sender type X",
      mutate("<tipoIdentificativoUnivoco>B<", "<tipoIdentificativoUnivoco>X<"),
      "schema-violation",
      /tipoIdentificativoUnivoco/,
    ],
    [
      "receiver type A (only G)",
      mutate("<tipoIdentificativoUnivoco>G<", "<tipoIdentificativoUnivoco>A<"),
      "schema-violation",
      /identificativoUnivocoRicevente/,
    ],
    [
      "denominazioneMittente of 2 characters (stText70 starts at 3)",
      mutate("<denominazioneMittente>Banca di Prova<", "<denominazioneMittente>BP<"),
      "schema-violation",
      /denominazioneMittente/,
    ],
    [
      "BIC after istitutoRicevente (out of order)",
      mutate(
        "</istitutoRicevente>",
        "</istitutoRicevente><codiceBicBancaDiRiversamento>X</codiceBicBancaDiRiversamento>",
      ),
      "schema-violation",
      /codiceBicBancaDiRiversamento/,
    ],
    [
      "no datiSingoliPagamenti",
      mutate(/<datiSingoliPagamenti>[\s\S]*<\/datiSingoliPagamenti>/, ""),
      "schema-violation",
      /datiSingoliPagamenti/,
    ],
    ["numeroTotalePagamenti 0", aFlowXml({ totalPayments: 0 }), "schema-violation", /numeroTotalePagamenti/],
    [
      "numeroTotalePagamenti 1.5",
      mutate("<numeroTotalePagamenti>1<", "<numeroTotalePagamenti>1.5<"),
      "schema-violation",
      /numeroTotalePagamenti/,
    ],
    [
      "numeroTotalePagamenti of 16 digits",
      mutate("<numeroTotalePagamenti>1<", "<numeroTotalePagamenti>1000000000000000<"),
      "schema-violation",
      /digits/,
    ],
    [
      "importoTotalePagamenti with 3 decimals",
      mutate("<importoTotalePagamenti>100.00<", "<importoTotalePagamenti>100.000<"),
      "schema-violation",
      /importoTotalePagamenti/,
    ],
    [
      "singoloImportoPagato with 3 decimals",
      mutate("<singoloImportoPagato>100.00<", "<singoloImportoPagato>99.995<"),
      "schema-violation",
      /singoloImportoPagato/,
    ],
    [
      "singoloImportoPagato 0.00 (stImporto starts at 0.01)",
      aFlowXml({ payments: [{ iuv: "A", amountCents: 0 }] }),
      "schema-violation",
      /singoloImportoPagato/,
    ],
    [
      "singoloImportoPagato with a comma",
      mutate("<singoloImportoPagato>100.00<", "<singoloImportoPagato>100,00<"),
      "schema-violation",
      /singoloImportoPagato/,
    ],
    [
      "indice 0",
      aFlowXml({ payments: [{ iuv: "A", transferIndex: 0, amountCents: 1 }] }),
      "schema-violation",
      /indiceDatiSingoloPagamento/,
    ],
    [
      "indice 6",
      aFlowXml({ payments: [{ iuv: "A", transferIndex: 6, amountCents: 1 }] }),
      "schema-violation",
      /indiceDatiSingoloPagamento/,
    ],
    [
      "outcome 1",
      mutate("<codiceEsitoSingoloPagamento>0<", "<codiceEsitoSingoloPagamento>1<"),
      "schema-violation",
      /codiceEsitoSingoloPagamento/,
    ],
    [
      "outcome 8 (FdR3 only)",
      mutate("<codiceEsitoSingoloPagamento>0<", "<codiceEsitoSingoloPagamento>8<"),
      "schema-violation",
      /codiceEsitoSingoloPagamento/,
    ],
    [
      "outcome with a blank (xs:string)",
      mutate("<codiceEsitoSingoloPagamento>0<", "<codiceEsitoSingoloPagamento> 0<"),
      "schema-violation",
      /codiceEsitoSingoloPagamento/,
    ],
    [
      "IUV longer than 35",
      aFlowXml({ payments: [{ iuv: "1".repeat(36), amountCents: 1 }] }),
      "schema-violation",
      /identificativoUnivocoVersamento/,
    ],
    [
      "empty IUR",
      aFlowXml({ payments: [{ iuv: "A", iur: "", amountCents: 1 }] }),
      "schema-violation",
      /identificativoUnivocoRiscossione/,
    ],
    [
      "missing dataEsitoSingoloPagamento",
      mutate(/<dataEsitoSingoloPagamento>[^<]*<\/dataEsitoSingoloPagamento>/, ""),
      "schema-violation",
      /dataEsitoSingoloPagamento/,
    ],
    [
      "element with children where text is expected",
      mutate("<versioneOggetto>1.0</versioneOggetto>", "<versioneOggetto><x/></versioneOggetto>"),
      "schema-violation",
      /versioneOggetto/,
    ],
  ])("%s", (_label, xml, reason, message) => {
    const e = flowRejectionOf(xml);
    expect(e.reason).toBe(reason);
    expect(e.message).toMatch(message);
    expect(e.name).toBe("FlowRejection");
  });

  test("XML-level problems pass through as XmlRejection", () => {
    expect(xmlReasonOf(() => parseReportingFlow(fixture("xxe-file.xml")))).toBe("dtd-forbidden");
    expect(() => parseReportingFlow(fixture("billion-laughs.xml"))).toThrow(XmlRejection);
    expect(xmlReasonOf(() => parseReportingFlow(base, { maxBytes: 64 }))).toBe("too-large");
  });

  // Counts, not time (timings are the bench's, case fdr3-flows): both readers hand back every entry, and the
  // streamed one gives the event loop back at least once per 16 KiB slice of the document.
  test("a large flow (5 000 entries) is read whole, and the streamed reader yields between slices", async () => {
    const payments = Array.from({ length: 5_000 }, (_, i) => ({
      iuv: `IUV${i}`,
      transferIndex: (i % 5) + 1,
      amountCents: 1 + (i % 997),
    }));
    const xml = Buffer.from(aFlowXml({ payments }), "utf8");
    const tree = parseReportingFlow(xml);
    expect(tree.payments).toHaveLength(5_000);
    expect(tree.payments[4_999]).toMatchObject({ iuv: "IUV4999", transferIndex: 5, amountCents: 1 + (4_999 % 997) });

    let turns = 0;
    let reading = true;
    const turn = () => {
      turns += 1;
      if (reading) setImmediate(turn);
    };
    setImmediate(turn);
    const streamed = await readReportingFlow(xml).finally(() => {
      reading = false;
    });
    expect(streamed.payments).toEqual(tree.payments);
    expect(turns).toBeGreaterThanOrEqual(Math.floor(xml.length / (16 * 1024)) - 1);
  });
});
