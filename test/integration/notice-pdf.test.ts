// The rendered notice read back as a phone would (test/support/pdf-reader.mjs: pdfjs-dist renders each page, jsQR
// and ZXing-C++ decode what they find on the bitmap, pdfjs extracts the text). The expected payloads are written out
// here by hand, not taken from the code under test. Integration, not unit: the reader runs as child processes.
import { renderNoticePdf } from "../../shared/adapters/pdf/notice-pdf";
import { buildNotice } from "../../shared/domain/notices/notice";
import { flat, readPdf, type ReadPage } from "../support/read-pdf";
import {
  anOrganization,
  aPayablePosition,
  aPlanPosition,
  aPostalPosition,
  noticeNow,
} from "../support/notice-fixtures";

jest.setTimeout(120_000);

async function renderAndRead(notice: ReturnType<typeof buildNotice>): Promise<{ pdf: Buffer; pages: ReadPage[] }> {
  const pdf = await renderNoticePdf(notice, noticeNow);
  return { pdf, pages: await readPdf(pdf) };
}

/** The three notices are rendered and read at once (three reader processes), the first time a block asks. */
let reading: Promise<{ pdf: Buffer; pages: ReadPage[] }[]> | undefined;
const readAll = () =>
  (reading ??= Promise.all([
    renderAndRead(buildNotice(aPayablePosition(), anOrganization({ cbill: undefined }), noticeNow)),
    renderAndRead(buildNotice(aPostalPosition(), anOrganization(), noticeNow)),
    renderAndRead(buildNotice(aPlanPosition(), anOrganization(), noticeNow)),
  ]));

describe("a single-payment notice on a bank IBAN", () => {
  let pages: ReadPage[];
  let pdf: Buffer;

  beforeAll(async () => {
    const [single] = await readAll();
    if (single === undefined) throw new Error("not read");
    ({ pdf, pages } = single);
  });

  it("is a one-page PDF", () => {
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pages).toHaveLength(1);
  });

  it("carries exactly one QR code, decoding to pagoPA's payload", () => {
    expect(pages[0]?.qrCodes).toEqual(["PAGOPA|002|301000000000012345|77777777777|12345"]);
    expect(pages[0]?.zxingQrCodes).toEqual(pages[0]?.qrCodes);
    expect(pages[0]?.dataMatrices).toEqual([]);
  });

  it("says who, what, how much and by when", () => {
    const text = flat(pages[0]?.text ?? "");
    expect(text).toContain("3010 0000 0000 0123 45");
    expect(text.replace(/\s/g, "")).toContain("301000000000012345");
    expect(text).toContain("123,45");
    expect(text).toContain("31/12/2026");
    expect(text).toContain("Comune di Test");
    expect(text).toContain("77777777777");
    expect(text).toContain("Mario Rossi");
    expect(text).toContain("RSSMRA80A01H501U");
    expect(text).toContain("Tassa sui rifiuti 2026 - saldo");
    expect(text).toContain("DOVE PAGARE");
  });
});

describe("a notice with a postal account", () => {
  let pages: ReadPage[];

  beforeAll(async () => {
    pages = (await readAll())[1]?.pages ?? [];
  });

  it("carries the QR code and the Poste data matrix, both for the same NAV and amount", () => {
    expect(pages[0]?.qrCodes).toEqual(["PAGOPA|002|301000000000054321|77777777777|9876"]);
    expect(pages[0]?.dataMatrices).toEqual([
      "codfase=NBPA;" +
        "18301000000000054321" +
        "12001234567890" +
        "100000009876" +
        "3896" +
        "1P1" +
        "77777777777" +
        "RSSMRA80A01H501U" +
        "Mario Rossi".padEnd(40) +
        "Servizio mensa scolastica".padEnd(110) +
        " ".repeat(12) +
        "A",
    ]);
  });

  it("prints the postal account, the CBILL code and the bollettino", () => {
    const text = flat(pages[0]?.text ?? "");
    expect(text).toContain("BOLLETTINO POSTALE PA");
    expect(text).toContain("001234567890");
    expect(text).toContain("AB123");
    expect(text).toContain("98,76");
  });
});

describe("an installment plan", () => {
  let pages: ReadPage[];

  beforeAll(async () => {
    pages = (await readAll())[2]?.pages ?? [];
  });

  it("has one QR code per payable option, each with its own amount", () => {
    expect(pages.flatMap((p) => p.zxingQrCodes).sort()).toEqual(pages.flatMap((p) => p.qrCodes).sort());
    expect(pages.flatMap((p) => p.qrCodes).sort()).toEqual([
      "PAGOPA|002|301000000000000100|77777777777|30000",
      "PAGOPA|002|301000000000000101|77777777777|10000",
      "PAGOPA|002|301000000000000102|77777777777|10050",
      "PAGOPA|002|301000000000000103|77777777777|9950",
    ]);
  });

  it("numbers the installments and prints their due dates and amounts", () => {
    const text = flat(pages.map((p) => p.text).join(" "));
    for (const expected of [
      "RATA 1 di 3 entro il 31/07/2026 Euro 100,00",
      "RATA 2 di 3 entro il 30/09/2026 Euro 100,50",
      "RATA 3 di 3 entro il 30/11/2026 Euro 99,50",
      "3010 0000 0000 0001 03",
      "Oppure in 3 rate",
    ]) {
      expect(text).toContain(expected);
    }
  });
});
