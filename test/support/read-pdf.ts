// Runs test/support/pdf-reader.mjs (pdfjs-dist + @napi-rs/canvas + jsQR + zxing-wasm) on PDF bytes: what a
// phone would see on each page. A child process, because pdfjs-dist is an ES module jest cannot load.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

export interface ReadPage {
  text: string;
  /** Decoded by jsQR. */
  qrCodes: string[];
  /** Decoded by ZXing-C++ (zxing-wasm). */
  dataMatrices: string[];
  /** The QR codes as ZXing-C++ reads them: a second, independent decoder. */
  zxingQrCodes: string[];
}

const reader = path.join(__dirname, "pdf-reader.mjs");

export async function readPdf(pdf: Uint8Array, options: { png?: string } = {}): Promise<ReadPage[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gpd-pdf-"));
  try {
    const file = path.join(dir, "notice.pdf");
    await writeFile(file, pdf);
    const args = [reader, file, ...(options.png === undefined ? [] : ["--png", options.png])];
    const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 });
    return (JSON.parse(stdout) as { pages: ReadPage[] }).pages;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The text of a page with runs of whitespace collapsed, for `toContain` checks. */
export const flat = (text: string): string => text.replace(/\s+/g, " ");

export const readPng = (file: string): Promise<Buffer> => readFile(file);
