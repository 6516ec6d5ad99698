// Reads PDFs the way a person with a phone would, with code that shares nothing with the renderer: pdfjs-dist draws
// each page on a @napi-rs/canvas bitmap; jsQR decodes the QR codes (the bitmap is searched for square, dense regions
// — barcode candidates found without knowing the layout — and each is handed to jsQR); ZXing-C++ (zxing-wasm, the
// engine of many phone scanners) reads the whole page for data matrices and, as a second opinion, QR codes; pdfjs
// also extracts the text. @zxing/library was tried for data matrices first and dropped: its decoder refuses valid
// symbols whose content bwip-js encodes in X12/C40 (long runs of spaces, as the Poste payload has), which ZXing-C++
// reads (docs/adr/0046-notice-rendering.md). Runs as a child process because pdfjs-dist is an ES module that jest's
// CommonJS runtime cannot load.
//
//   node test/support/pdf-reader.mjs <file.pdf> [--png <page-1.png>] → JSON on stdout:
//   { pages: [{ text, qrCodes: [payload], dataMatrices: [payload], zxingQrCodes: [payload] }] }
import { readFileSync, writeFileSync } from "node:fs";
import { createCanvas } from "@napi-rs/canvas";
import * as pdfjs from "pdfjs-dist/legacy/build/pdf.mjs";
import { createRequire } from "node:module";
import jsQR from "jsqr";
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";

// The WebAssembly binary from the installed package (zxing-wasm would otherwise fetch it from a CDN).
const wasm = readFileSync(createRequire(import.meta.url).resolve("zxing-wasm/reader/zxing_reader.wasm"));
prepareZXingModule({
  overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
  fireImmediately: true,
});

const scale = 3;

async function main() {
  const [file, ...rest] = process.argv.slice(2);
  const pngIndex = rest.indexOf("--png");
  const pngPath = pngIndex >= 0 ? rest[pngIndex + 1] : undefined;
  const data = new Uint8Array(readFileSync(file));
  const pdf = await pdfjs.getDocument({ data, verbosity: 0, isEvalSupported: false }).promise;
  const pages = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    const text = content.items.map((i) => ("str" in i ? i.str + (i.hasEOL ? "\n" : " ") : "")).join("");
    const viewport = page.getViewport({ scale });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvasContext: context, canvas, viewport }).promise;
    if (n === 1 && pngPath !== undefined) {
      // A smaller copy for people: 2× is plenty to read on screen.
      const small = createCanvas(Math.ceil(canvas.width / 2), Math.ceil(canvas.height / 2));
      small.getContext("2d").drawImage(canvas, 0, 0, small.width, small.height);
      writeFileSync(pngPath, small.toBuffer("image/png"));
    }
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const qrCodes = decodeQrCodes(image);
    const zxing = await readBarcodes(
      { data: image.data, width: image.width, height: image.height, colorSpace: "srgb" },
      { formats: ["QRCode", "DataMatrix"], maxNumberOfSymbols: 32, tryHarder: true },
    );
    const valid = zxing.filter((r) => r.isValid);
    const dataMatrices = valid.filter((r) => r.format === "DataMatrix").map((r) => r.text);
    const zxingQrCodes = valid.filter((r) => r.format === "QRCode").map((r) => r.text);
    pages.push({ text, qrCodes, dataMatrices, zxingQrCodes });
    page.cleanup();
  }
  await pdf.destroy();
  process.stdout.write(JSON.stringify({ pages }));
}

/** Every QR code on the page: candidates by density, then jsQR on each crop. */
function decodeQrCodes(image) {
  const qrCodes = [];
  for (const box of candidateBoxes(image)) {
    const crop = cropWithQuietZone(image, box);
    const qr = jsQR(crop.data, crop.width, crop.height, { inversionAttempts: "dontInvert" });
    if (qr !== null) qrCodes.push(qr.data);
  }
  return qrCodes;
}

/**
 * Square clusters of dark cells. The page is divided into cells of `cell` pixels; a cell is dark when a quarter of
 * its pixels are; 8-connected dark cells form clusters; barcodes are the clusters that are big and about square
 * (text lines are wide and short).
 */
function candidateBoxes(image) {
  const cell = 8;
  const cols = Math.floor(image.width / cell);
  const rows = Math.floor(image.height / cell);
  const dark = new Uint8Array(cols * rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let count = 0;
      for (let y = r * cell; y < (r + 1) * cell; y++) {
        for (let x = c * cell; x < (c + 1) * cell; x++) {
          const i = (y * image.width + x) * 4;
          if (image.data[i] + image.data[i + 1] + image.data[i + 2] < 3 * 100) count++;
        }
      }
      dark[r * cols + c] = count >= (cell * cell) / 4 ? 1 : 0;
    }
  }
  const seen = new Uint8Array(cols * rows);
  const boxes = [];
  for (let start = 0; start < dark.length; start++) {
    if (dark[start] !== 1 || seen[start] === 1) continue;
    let minC = cols;
    let maxC = 0;
    let minR = rows;
    let maxR = 0;
    let size = 0;
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const at = stack.pop();
      const r = Math.floor(at / cols);
      const c = at % cols;
      size++;
      minC = Math.min(minC, c);
      maxC = Math.max(maxC, c);
      minR = Math.min(minR, r);
      maxR = Math.max(maxR, r);
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr;
          const cc = c + dc;
          if (rr < 0 || cc < 0 || rr >= rows || cc >= cols) continue;
          const next = rr * cols + cc;
          if (dark[next] === 1 && seen[next] === 0) {
            seen[next] = 1;
            stack.push(next);
          }
        }
      }
    }
    const w = maxC - minC + 1;
    const h = maxR - minR + 1;
    const ratio = w / h;
    if (w * cell >= 40 * scale && h * cell >= 40 * scale && ratio > 0.75 && ratio < 1.33 && size > 0.3 * w * h) {
      boxes.push({ x: minC * cell, y: minR * cell, width: w * cell, height: h * cell });
    }
  }
  return boxes;
}

function cropWithQuietZone(image, box) {
  const pad = Math.round(box.width * 0.15);
  const width = box.width + 2 * pad;
  const height = box.height + 2 * pad;
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < box.height; y++) {
    const sy = box.y + y;
    if (sy >= image.height) break;
    const from = (sy * image.width + box.x) * 4;
    const length = Math.min(box.width, image.width - box.x) * 4;
    data.set(image.data.subarray(from, from + length), ((y + pad) * width + pad) * 4);
  }
  return { data, width, height };
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exitCode = 1;
});
