// Property-based fuzz of the two XML parsers (fast-check, fixed seed, bounded count): whatever bytes arrive in an
// inbox, parsing either succeeds or refuses with one of our Rejections (XmlRejection, ReceiptRejection,
// FlowRejection) — never another error, which would leave the file in the inbox forever and fail every job run.
// Inputs: structure-aware mutations of valid documents (text replaced, elements dropped, duplicated or swapped,
// markup injected) and arbitrary text.
import fc from "fast-check";
import { parseReceipt } from "../../../shared/xml/receipt-xml";
import { parseReportingFlow } from "../../../shared/xml/flow-xml";
import { Rejection } from "../../../shared/domain/rejection";
import { aFlowXml, aReceiptXml } from "../../support/xml-builders";

const SEED = 20261130;
const RUNS = 400;

/** Text nodes and elements of a document, located by regular expressions (the documents are ours, one per line). */
const leafPattern = /<([\w:.-]+)(?:\s[^>]*)?>([^<]*)<\/\1>/g;

const leaves = (xml: string) =>
  [...xml.matchAll(leafPattern)].map((m) => ({ index: m.index, text: m[0], value: m[2] ?? "" }));

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "-1.00",
    "1e3",
    "99999999999999999999.99",
    "999999999.99",
    "0.00",
    "NaN",
    "2026-13-45T99:99:99",
    "9999-12-31T23:59:59+14:00",
    "&amp;&lt;",
    "&#0;",
    "&xxe;",
    "<![CDATA[x]]>",
    "\u202e\u0000",
    "x".repeat(5000),
  ),
);

type Mutation = (xml: string) => string;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), hostileText).map(([i, text]): Mutation => (xml) => {
    const all = leaves(xml);
    const leaf = all[i % Math.max(1, all.length)];
    if (leaf === undefined) return xml;
    const replaced = leaf.text.replace(`>${leaf.value}<`, `>${text}<`);
    return xml.slice(0, leaf.index) + replaced + xml.slice(leaf.index + leaf.text.length);
  }),
  fc.nat().map((i): Mutation => (xml) => {
    const all = leaves(xml);
    const leaf = all[i % Math.max(1, all.length)];
    return leaf === undefined ? xml : xml.slice(0, leaf.index) + xml.slice(leaf.index + leaf.text.length);
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 2, max: 50 })).map(([i, times]): Mutation => (xml) => {
    const all = leaves(xml);
    const leaf = all[i % Math.max(1, all.length)];
    return leaf === undefined
      ? xml
      : xml.slice(0, leaf.index) + leaf.text.repeat(times) + xml.slice(leaf.index + leaf.text.length);
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]): Mutation => (xml) => {
    const all = leaves(xml);
    const a = all[i % Math.max(1, all.length)];
    const b = all[j % Math.max(1, all.length)];
    if (a === undefined || b === undefined || a.index >= b.index) return xml;
    return (
      xml.slice(0, a.index) +
      b.text +
      xml.slice(a.index + a.text.length, b.index) +
      a.text +
      xml.slice(b.index + b.text.length)
    );
  }),
  fc
    .tuple(fc.nat(), fc.constantFrom("<x>", "</", "<!DOCTYPE r [<!ENTITY e 'x'>]>", "<?pi?>", "<a/>", "&e;", "\uFEFF"))
    .map(([i, markup]): Mutation => (xml) => {
      const at = i % Math.max(1, xml.length);
      return xml.slice(0, at) + markup + xml.slice(at);
    }),
  fc.nat().map(
    (i): Mutation =>
      (xml) =>
        xml.slice(0, i % Math.max(1, xml.length)),
  ),
);

const documentsFrom = (valid: readonly string[]) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...valid), fc.array(mutation, { minLength: 1, maxLength: 4 }))
        .map(([xml, ms]) => ms.reduce((x, m) => m(x), xml)),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  );

/** Parsing refuses only with our Rejections; anything else thrown is a bug. */
const refusesCleanly = (parse: () => unknown): boolean => {
  try {
    parse();
    return true;
  } catch (e) {
    if (e instanceof Rejection) return true;
    throw e;
  }
};

describe("XML parsers under property-based fuzzing", () => {
  test("parseReceipt: success or a Rejection, never another error", () => {
    const valid = [
      aReceiptXml(),
      aReceiptXml({ soapEnvelope: true }),
      aReceiptXml({
        transfers: [
          { idTransfer: 1, amountCents: 5000 },
          { idTransfer: 2, amountCents: 5000, mbdAttachment: "QUJD" },
        ],
        amountCents: 10_000,
      }),
    ];
    fc.assert(
      fc.property(documentsFrom(valid), (xml) => refusesCleanly(() => parseReceipt(xml))),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test("parseReportingFlow: success or a Rejection, never another error", () => {
    const valid = [
      aFlowXml(),
      aFlowXml({
        payments: [
          { iuv: "01000000000000001", amountCents: 100 },
          { iuv: "01000000000000002", amountCents: 250, outcome: "9" },
        ],
      }),
    ];
    fc.assert(
      fc.property(documentsFrom(valid), (xml) => refusesCleanly(() => parseReportingFlow(xml))),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
