// readReportingFlow (streamed, shared/xml/streaming-xml.ts) must accept and refuse exactly what parseReportingFlow
// (the tree parser) does, for the same reasons: same flows out of valid documents, same rejection reason for every
// schema, well-formedness and hostile-input case.
import { FlowRejection } from "../../../shared/domain/reporting/flow";
import { parseReportingFlow, readReportingFlow } from "../../../shared/xml/flow-xml";
import { XmlRejection } from "../../../shared/xml/safe-xml";
import { aFlowXml } from "../../support/xml-builders";
import { mutator, xmlFixture } from "../../support/xml-test-helpers";

const base = aFlowXml({
  payments: [
    { iuv: "01000000000000001", transferIndex: 1, amountCents: 10_000 },
    { iuv: "01000000000000002", amountCents: 2_550, outcome: "3" },
    { iuv: "01000000000000003", transferIndex: 2, amountCents: 1, outcome: "9" },
  ],
});
const mutate = mutator(base);

type Outcome = { ok: true; value: unknown } | { ok: false; kind: string; reason: string };

const classify = (e: unknown): Outcome => {
  if (e instanceof FlowRejection) return { ok: false, kind: "flow", reason: e.reason };
  if (e instanceof XmlRejection) return { ok: false, kind: "xml", reason: e.reason };
  throw e;
};

function tree(xml: Buffer, maxBytes?: number): Outcome {
  try {
    return { ok: true, value: parseReportingFlow(xml, { maxBytes }) };
  } catch (e) {
    return classify(e);
  }
}

async function streamed(xml: Buffer, maxBytes?: number): Promise<Outcome> {
  try {
    return { ok: true, value: await readReportingFlow(xml, { maxBytes }) };
  } catch (e) {
    return classify(e);
  }
}

const cases: [string, string | Buffer][] = [
  ["the valid fixture", xmlFixture("flow-valid.xml")],
  ["installments 1", xmlFixture("flow-installments-1.xml")],
  ["installments 2", xmlFixture("flow-installments-2.xml")],
  ["three entries, one revoked", base],
  [
    "CDATA and character references",
    mutate(
      "<identificativoUnivocoRegolamento>TRN-0000000001<",
      "<identificativoUnivocoRegolamento><![CDATA[TRN-]]>&#48;000000001<",
    ),
  ],
  ["a comment between entries", mutate("</datiSingoliPagamenti>", "</datiSingoliPagamenti><!-- note -->")],
  ["count mismatch", aFlowXml({ totalPayments: 2 })],
  ["amount mismatch", aFlowXml({ totalAmountCents: 10_001 })],
  ["wrong namespace", mutate("http://www.digitpa.gov.it/schemas/2011/Pagamenti/", "urn:other")],
  ["no namespace", mutate(/ xmlns="[^"]*"/, "")],
  ["wrong root", `<Flusso xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/"/>`],
  ["a receipt", xmlFixture("receipt-bare.xml")],
  ["versioneOggetto 2.0", mutate("<versioneOggetto>1.0<", "<versioneOggetto>2.0<")],
  ["outcome 8 (not in the XSD)", mutate("<codiceEsitoSingoloPagamento>9<", "<codiceEsitoSingoloPagamento>8<")],
  ["index 6", mutate("<indiceDatiSingoloPagamento>2<", "<indiceDatiSingoloPagamento>6<")],
  ["amount with three decimals", mutate("<singoloImportoPagato>0.01<", "<singoloImportoPagato>0.010<")],
  ["missing IUR", mutate(/<identificativoUnivocoRiscossione>[^<]*<\/identificativoUnivocoRiscossione>/, "")],
  ["extra element in an entry", mutate("</dataEsitoSingoloPagamento>", "</dataEsitoSingoloPagamento><extra/>")],
  ["text inside an entry", mutate("<datiSingoliPagamenti>", "<datiSingoliPagamenti>text")],
  ["entries before the totals", mutate(/<numeroTotalePagamenti>/, "<datiSingoliPagamenti/><numeroTotalePagamenti>")],
  ["no entries", aFlowXml({ payments: [] })],
  ["billion laughs", xmlFixture("billion-laughs.xml")],
  ["external entity", xmlFixture("xxe-file.xml")],
  ["parameter entity", xmlFixture("xxe-parameter-entity.xml")],
  ["a processing instruction", mutate("<FlussoRiversamento", "<?evil x?><FlussoRiversamento")],
  ["an undeclared entity", mutate("TRN-0000000001", "&nbsp;")],
  ["an illegal character reference", mutate("TRN-0000000001", "&#1;")],
  ["unclosed root", base.replace("</FlussoRiversamento>", "")],
  ["two roots", `${base}<FlussoRiversamento/>`],
  ["text after the root", `${base}trailing`],
  ["mismatched end tag", mutate("</versioneOggetto>", "</versione>")],
  ["unbound prefix", mutate("<versioneOggetto>", "<p:versioneOggetto>")],
  ["ISO-8859-1 declared", mutate('encoding="UTF-8"', 'encoding="ISO-8859-1"')],
  ["UTF-16 byte order mark", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(base, "utf16le")])],
  [
    "invalid UTF-8",
    Buffer.concat([Buffer.from(base.slice(0, 200)), Buffer.from([0xc3, 0x28]), Buffer.from(base.slice(200))]),
  ],
  ["nested 70 deep", mutate("<versioneOggetto>1.0</versioneOggetto>", `${"<a>".repeat(70)}${"</a>".repeat(70)}`)],
];

describe("readReportingFlow ≡ parseReportingFlow", () => {
  test.each(cases)("%s", async (_label, doc) => {
    const bytes = typeof doc === "string" ? Buffer.from(doc, "utf8") : doc;
    const expected = tree(bytes);
    expect(await streamed(bytes)).toEqual(expected);
  });

  it("refuses a document over the size limit before reading it", async () => {
    const bytes = Buffer.from(base, "utf8");
    expect(await streamed(bytes, 64)).toEqual({ ok: false, kind: "xml", reason: "too-large" });
  });

  it("reads a flow of 20 000 entries in slices, giving the event loop back between them", async () => {
    const payments = Array.from({ length: 20_000 }, (_, i) => ({
      iuv: `IUV${i}`,
      transferIndex: (i % 5) + 1,
      amountCents: 1 + (i % 997),
    }));
    const bytes = Buffer.from(aFlowXml({ payments }), "utf8");
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    const flow = await readReportingFlow(bytes);
    clearInterval(timer);
    expect(flow.payments).toHaveLength(20_000);
    expect(flow.payments[19_999]).toMatchObject({ iuv: "IUV19999", transferIndex: 5 });
    // Several timer callbacks ran while the document was read: it was not one blocking call.
    expect(ticks).toBeGreaterThan(3);
  });
});
