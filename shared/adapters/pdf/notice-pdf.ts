// Draws payment notices (shared/domain/notices/notice.ts) as A4 PDF pages, laid out like pagoPA's templates: the
// first page tells who asks for how much, by when and where to pay; then the tear-offs, one per payable option, each
// with its QR code and, for a postal account, the Bollettino Postale PA with its data matrix. Pure: a Notice in,
// PDF bytes out, no I/O but reading the fonts shipped in an npm package once. docs/adr/0046-notice-rendering.md.
import { readFileSync } from "node:fs";
import bwipjs from "bwip-js";
import PDFDocument from "pdfkit";
import { formatEuros, type Notice, type NoticeSlip } from "../../domain/notices/notice";

type Doc = PDFKit.PDFDocument;

// A4 in points; the templates keep a 40 pt margin.
const page = { width: 595.28, height: 841.89, margin: 40 } as const;
const contentWidth = page.width - 2 * page.margin;
const colors = { ink: "#17324D", muted: "#5C6F82", brand: "#0066CC", rule: "#B0BCC8", postal: "#1C2024" } as const;

const fontFiles = {
  regular: "400Regular/TitilliumWeb_400Regular.ttf",
  semibold: "600SemiBold/TitilliumWeb_600SemiBold.ttf",
  bold: "700Bold/TitilliumWeb_700Bold.ttf",
} as const;
type FontName = keyof typeof fontFiles;

let fonts: Record<FontName, Buffer> | undefined;

/** Titillium Web, pagoPA's typeface, embedded (subset) in every PDF so the notice prints the same everywhere. */
function loadFonts(): Record<FontName, Buffer> {
  fonts ??= Object.fromEntries(
    Object.entries(fontFiles).map(([name, file]) => [
      name,
      readFileSync(require.resolve(`@expo-google-fonts/titillium-web/${file}`)),
    ]),
  ) as Record<FontName, Buffer>;
  return fonts;
}

export interface NoticeDocumentInfo {
  title: string;
  author: string;
  now: Date;
}

/** A PDF document ready for notices: A4, fonts registered, no page yet. Pipe it, draw notices, then end() it. */
export function openNoticeDocument(info: NoticeDocumentInfo): Doc {
  // font "": no standard font is loaded; Titillium is registered below and used for every text.
  const doc = new PDFDocument({
    size: "A4",
    margin: page.margin,
    autoFirstPage: false,
    compress: true,
    font: "",
    lang: "it-IT",
    displayTitle: true,
    info: { Title: info.title, Author: info.author, Creator: "GPD", Producer: "GPD", CreationDate: info.now },
  });
  for (const [name, data] of Object.entries(loadFonts())) doc.registerFont(name, data);
  return doc;
}

/** One notice, as the PDF it downloads as. */
export async function renderNoticePdf(notice: Notice, now: Date): Promise<Buffer> {
  const doc = openNoticeDocument({
    title: `Avviso di pagamento ${notice.iupd}`,
    author: notice.organization.name,
    now,
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", resolve);
    doc.on("error", reject);
  });
  drawNotice(doc, notice);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** Adds the pages of one notice to `doc` (several notices may share one document: the merged batch format). */
export function drawNotice(doc: Doc, notice: Notice): void {
  doc.addPage();
  let y = drawFirstPage(doc, notice);
  const slips: NoticeSlip[] = [...notice.single, ...notice.installments];
  for (const slip of slips) {
    const height = slipHeight(slip);
    if (y + height > page.height - page.margin) {
      doc.addPage();
      y = drawFollowingPageHeader(doc, notice);
    }
    y = drawSlip(doc, notice, slip, y);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// First page: header, parties, amount and due date, channels.
// ---------------------------------------------------------------------------------------------------------------

function drawFirstPage(doc: Doc, notice: Notice): number {
  const x: number = page.margin;
  let y: number = page.margin;
  text(doc, "AVVISO DI PAGAMENTO", x, y, { font: "bold", size: 10, color: colors.brand });
  text(doc, "pagoPA", x, y - 4, { font: "bold", size: 18, color: colors.brand, width: contentWidth, align: "right" });
  y += 16;
  doc.font("bold").fontSize(17).fillColor(colors.ink);
  doc.text(notice.subject, x, y, { width: contentWidth - 90, height: 46, ellipsis: true });
  y = Math.max(y + 24, doc.y) + 10;
  rule(doc, y);
  y += 12;

  const half = (contentWidth - 20) / 2;
  const right = x + half + 20;
  text(doc, "ENTE CREDITORE", x, y, { font: "bold", size: 8, color: colors.muted });
  text(doc, "DESTINATARIO AVVISO", right, y, { font: "bold", size: 8, color: colors.muted });
  y += 12;
  doc.font("bold").fontSize(12).fillColor(colors.ink);
  doc.text(notice.organization.name, x, y, { width: half });
  const leftY = doc.y;
  doc.text(notice.debtor.fullName, right, y, { width: half });
  const rightY = doc.y;
  text(doc, `Codice fiscale ${notice.organization.fiscalCode}`, x, leftY + 2, { size: 9 });
  text(doc, `Codice fiscale ${notice.debtor.fiscalCode}`, right, rightY + 2, { size: 9 });
  let afterParties = Math.max(leftY, rightY) + 16;
  if (notice.debtor.address !== undefined) {
    doc.font("regular").fontSize(9).fillColor(colors.ink);
    doc.text(notice.debtor.address, right, rightY + 14, { width: half });
    afterParties = Math.max(afterParties, doc.y + 4);
  }
  y = afterParties + 10;

  y = drawAmountBlock(doc, notice, y);
  y = drawChannelsBlock(doc, y + 14);
  return y + 10;
}

function drawAmountBlock(doc: Doc, notice: Notice, top: number): number {
  const x = page.margin;
  let y = top;
  text(doc, "QUANTO E QUANDO PAGARE?", x, y, { font: "bold", size: 11, color: colors.brand });
  y += 18;
  for (const single of notice.single) {
    text(doc, `€ ${single.amountText}`, x, y, { font: "bold", size: 18 });
    text(doc, `entro il ${single.dueDateText}`, x + 150, y + 5, { font: "semibold", size: 11 });
    y += 24;
  }
  const plan = notice.installments;
  if (plan.length > 0) {
    const first = plan[0] as NoticeSlip;
    const last = plan[plan.length - 1] as NoticeSlip;
    const total = plan.reduce((sum, s) => sum + s.amountCents, 0);
    const lead = notice.single.length > 0 ? "Oppure in" : "In";
    const summary =
      `${lead} ${plan.length} rate per un totale di € ${formatEuros(total)}: ` +
      `la prima entro il ${first.dueDateText}, l'ultima entro il ${last.dueDateText}. ` +
      "Ogni rata ha il proprio codice avviso e il proprio importo (vedi le rate qui sotto).";
    doc.font("semibold").fontSize(10).fillColor(colors.ink);
    doc.text(summary, x, y, { width: contentWidth });
    y = doc.y + 6;
  }
  doc.font("regular").fontSize(8).fillColor(colors.muted);
  doc.text(
    "L'importo è quello dovuto alla data di emissione: l'Ente Creditore può aggiornarlo (per esempio per sgravi, " +
      "interessi o sanzioni) e al momento del pagamento ti sarà chiesto quello aggiornato.",
    x,
    y,
    { width: contentWidth },
  );
  return doc.y;
}

function drawChannelsBlock(doc: Doc, top: number): number {
  const x = page.margin;
  let y = top;
  text(doc, "DOVE PAGARE? LISTA DEI CANALI DI PAGAMENTO", x, y, { font: "bold", size: 11, color: colors.brand });
  y += 18;
  const half = (contentWidth - 20) / 2;
  const right = x + half + 20;
  text(doc, "PAGA CON LE APP O SUL SITO", x, y, { font: "bold", size: 9 });
  text(doc, "PAGA SUL TERRITORIO", right, y, { font: "bold", size: 9 });
  y += 13;
  doc.font("regular").fontSize(8.5).fillColor(colors.ink);
  doc.text(
    "dell'Ente Creditore, di Poste Italiane, della tua banca o degli altri canali aderenti a pagoPA, compresa " +
      "l'app IO. Puoi pagare con carta, conto corrente o CBILL.",
    x,
    y,
    { width: half },
  );
  const leftEnd = doc.y;
  doc.text(
    "in banca, agli sportelli ATM, negli uffici postali, dal tabaccaio, in ricevitoria e negli altri punti " +
      "abilitati. Puoi pagare in contanti, con carta o conto corrente.",
    right,
    y,
    { width: half },
  );
  y = Math.max(leftEnd, doc.y) + 6;
  text(doc, "Usa la parte dell'avviso dedicata al canale che preferisci.", x, y, { font: "semibold", size: 8.5 });
  return y + 12;
}

function drawFollowingPageHeader(doc: Doc, notice: Notice): number {
  const x = page.margin;
  const y = page.margin;
  text(doc, "AVVISO DI PAGAMENTO", x, y, { font: "bold", size: 9, color: colors.brand });
  doc.font("regular").fontSize(9).fillColor(colors.ink);
  doc.text(`${notice.organization.name} · ${notice.subject}`, x + 120, y, {
    width: contentWidth - 120,
    height: 12,
    ellipsis: true,
    lineBreak: false,
  });
  return y + 24;
}

// ---------------------------------------------------------------------------------------------------------------
// Tear-offs: the bank/other-channels slip with the QR code, and the Bollettino Postale PA with the data matrix.
// ---------------------------------------------------------------------------------------------------------------

const bankSlipHeight = 168;
const postalSlipHeight = 172;

const slipHeight = (slip: NoticeSlip): number => bankSlipHeight + (slip.postal === undefined ? 0 : postalSlipHeight);

function drawSlip(doc: Doc, notice: Notice, slip: NoticeSlip, top: number): number {
  let y = cutLine(doc, top);
  y = drawBankSlip(doc, notice, slip, y);
  if (slip.postal !== undefined) {
    y = cutLine(doc, y);
    y = drawPostalSlip(doc, notice, slip, slip.postal, y);
  }
  return y;
}

function cutLine(doc: Doc, y: number): number {
  doc.save();
  doc.lineWidth(0.6).strokeColor(colors.rule).dash(3, { space: 3 });
  doc
    .moveTo(page.margin - 20, y + 4)
    .lineTo(page.width - page.margin + 20, y + 4)
    .stroke();
  doc.undash().restore();
  return y + 12;
}

function slipHeading(doc: Doc, title: string, slip: NoticeSlip, y: number, color: string): void {
  const x = page.margin;
  text(doc, title, x, y, { font: "bold", size: 10, color });
  const which =
    slip.installment === undefined ? "RATA UNICA" : `RATA ${slip.installment.number} di ${slip.installment.of}`;
  text(doc, `${which}  entro il ${slip.dueDateText}`, x + 200, y, { font: "semibold", size: 9 });
  text(doc, `Euro ${slip.amountText}`, x, y - 3, {
    font: "bold",
    size: 15,
    width: contentWidth,
    align: "right",
  });
}

function drawBankSlip(doc: Doc, notice: Notice, slip: NoticeSlip, top: number): number {
  const x = page.margin;
  slipHeading(doc, "BANCHE E ALTRI CANALI", slip, top, colors.brand);
  const qrSize = 96;
  // Every payment app reads this code: NAV, organization and amount of this very option.
  drawBarcode(doc, "qrcode", slip.qrPayload, x, top + 22, qrSize, { eclevel: "M" });
  const fx = x + qrSize + 16;
  const fw = contentWidth - qrSize - 16;
  doc.font("regular").fontSize(8).fillColor(colors.muted);
  doc.text(
    "Qui accanto trovi il codice QR e il codice interbancario CBILL per pagare con il circuito bancario e con gli " +
      "altri canali di pagamento abilitati.",
    fx,
    top + 20,
    { width: fw },
  );
  let y = doc.y + 5;
  y = field(doc, "Destinatario", notice.debtor.fullName, fx, y, fw);
  y = field(doc, "Ente Creditore", notice.organization.name, fx, y, fw);
  y = field(doc, "Oggetto del pagamento", notice.subject, fx, y, fw);
  const third = fw / 3;
  field(doc, "Codice CBILL", notice.organization.cbill ?? "-", fx, y, third);
  field(doc, "Codice Avviso", slip.navGrouped, fx + third, y, third, "bold");
  field(doc, "Cod. Fiscale Ente Creditore", notice.organization.fiscalCode, fx + 2 * third, y, third);
  return top + bankSlipHeight - 12;
}

function drawPostalSlip(
  doc: Doc,
  notice: Notice,
  slip: NoticeSlip,
  postal: NonNullable<NoticeSlip["postal"]>,
  top: number,
): number {
  const x = page.margin;
  slipHeading(doc, "BOLLETTINO POSTALE PA", slip, top, colors.postal);
  text(doc, "BancoPosta", x, top + 14, { font: "semibold", size: 8, color: colors.muted });
  const size = 84;
  // Poste's counters read this data matrix (codfase=NBPA): the same NAV and amount, plus the postal account.
  drawBarcode(doc, "datamatrix", postal.dataMatrixPayload, x, top + 30, size, {});
  const fx = x + size + 28;
  const fw = contentWidth - size - 28;
  const half = fw / 2;
  let y = top + 26;
  field(doc, "sul C/C n.", postal.account, fx, y, half, "bold");
  y = field(doc, "Intestato a", notice.organization.name, fx + half, y, half);
  y = field(doc, "Destinatario", notice.debtor.fullName, fx, y, fw);
  y = field(doc, "Oggetto del pagamento", notice.subject, fx, y, fw);
  const quarter = fw / 4;
  field(doc, "Codice Avviso", slip.navGrouped, fx, y, quarter * 1.6, "bold");
  field(doc, "Tipo", "P1", fx + quarter * 1.6, y, quarter * 0.6);
  field(doc, "Tipo documento", "896", fx + quarter * 2.2, y, quarter * 0.8);
  field(doc, "Cod. Fiscale Ente Creditore", notice.organization.fiscalCode, fx + quarter * 3, y, quarter);
  return top + postalSlipHeight - 12;
}

/** A small grey label over its value; returns the y below it. */
function field(
  doc: Doc,
  label: string,
  value: string,
  x: number,
  y: number,
  width: number,
  weight: FontName = "semibold",
): number {
  text(doc, label, x, y, { size: 7, color: colors.muted, width });
  doc.font(weight).fontSize(9).fillColor(colors.ink);
  doc.text(value, x, y + 8, { width: width - 6, height: 24, ellipsis: true });
  return Math.max(doc.y, y + 20) + 3;
}

/**
 * bwip-js encodes the symbol (error correction, masking, module placement); this only paints its module matrix,
 * one filled rectangle per run of dark modules, as vectors so it stays sharp at any print resolution.
 */
function drawBarcode(
  doc: Doc,
  bcid: "qrcode" | "datamatrix",
  payload: string,
  x: number,
  y: number,
  size: number,
  options: Record<string, string | number | boolean>,
): void {
  const [symbol] = bwipjs.raw(bcid, payload, options as never);
  if (symbol === undefined || !("pixs" in symbol)) throw new Error(`bwip-js returned no ${bcid} matrix`);
  const { pixs, pixx, pixy } = symbol;
  const module = size / Math.max(pixx, pixy);
  doc.save().fillColor("#000000");
  for (let row = 0; row < pixy; row++) {
    let col = 0;
    while (col < pixx) {
      if (pixs[row * pixx + col] !== 1) {
        col++;
        continue;
      }
      const start = col;
      while (col < pixx && pixs[row * pixx + col] === 1) col++;
      // A hair of overlap so adjacent runs do not leave anti-aliasing seams when rasterised.
      doc.rect(x + start * module, y + row * module, (col - start) * module + 0.05, module + 0.05);
    }
  }
  doc.fill();
  doc.restore();
}

interface TextStyle {
  font?: FontName;
  size?: number;
  color?: string;
  width?: number;
  align?: "left" | "right" | "center";
}

function text(doc: Doc, value: string, x: number, y: number, style: TextStyle = {}): void {
  doc
    .font(style.font ?? "regular")
    .fontSize(style.size ?? 9)
    .fillColor(style.color ?? colors.ink);
  doc.text(value, x, y, { lineBreak: false, width: style.width, align: style.align ?? "left" });
}

function rule(doc: Doc, y: number): void {
  doc.save().lineWidth(0.8).strokeColor(colors.rule);
  doc
    .moveTo(page.margin, y)
    .lineTo(page.width - page.margin, y)
    .stroke();
  doc.restore();
}
