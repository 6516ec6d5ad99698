// Many notices as one stream of bytes: a ZIP with one PDF per position (fflate, entries stored: a PDF is already
// compressed) or one merged PDF (one pdfkit document, pages written as they are drawn). Whoever reads `stream` (the
// Blob upload) sets the pace: add() waits while more than `highWaterMark` bytes are unread, so 10,000 notices take
// the memory of a few, not of 10,000. docs/adr/0047-notice-batches.md.
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { Zip, ZipPassThrough } from "fflate";
import type { Notice } from "../../domain/notices/notice";
import type { NoticeArchiveFormat } from "../../domain/notices/notice-job";
import { drawNotice, openNoticeDocument, renderNoticePdf } from "./notice-pdf";

export interface NoticeArchiveWriter {
  /** The archive's bytes, in order. */
  readonly stream: Readable;
  readonly contentType: string;
  add(notice: Notice): Promise<void>;
  /** Writes the archive's end (ZIP central directory, PDF cross-reference table) and ends `stream`. */
  finish(): Promise<void>;
  /** Ends `stream` with an error: the upload fails and nothing half-written is kept. */
  abort(error: Error): void;
}

export interface ArchiveOptions {
  format: NoticeArchiveFormat;
  now: Date;
  title: string;
  highWaterMark?: number;
}

const defaultHighWaterMark = 8 * 1024 * 1024;

export function openNoticeArchive(options: ArchiveOptions): NoticeArchiveWriter {
  return options.format === "ZIP" ? zipArchive(options) : mergedPdf(options);
}

/** Waits until the reader has taken the stream below the mark (it reads as the upload sends blocks). */
async function backpressure(stream: Readable, mark: number): Promise<void> {
  while (stream.readableLength > mark && !stream.destroyed) await sleep(5);
}

function zipArchive(options: ArchiveOptions): NoticeArchiveWriter {
  const mark = options.highWaterMark ?? defaultHighWaterMark;
  // Pushed by the ZIP writer as it produces bytes; read() has nothing to do: add() waits on readableLength instead.
  const stream = new Readable({ read: () => undefined });
  let failure: Error | undefined;
  const zip = new Zip((error, chunk, final) => {
    if (error !== null) {
      failure = error;
      stream.destroy(error);
      return;
    }
    stream.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (final) stream.push(null);
  });
  const names = new Set<string>();
  return {
    stream,
    contentType: "application/zip",
    async add(notice) {
      if (failure !== undefined) throw failure;
      const pdf = await renderNoticePdf(notice, options.now);
      const entry = new ZipPassThrough(uniqueName(entryName(notice.iupd), names));
      entry.mtime = options.now;
      zip.add(entry);
      entry.push(pdf, true);
      await backpressure(stream, mark);
    },
    finish() {
      zip.end();
      return failure === undefined ? Promise.resolve() : Promise.reject(failure);
    },
    abort(error) {
      zip.terminate();
      stream.destroy(error);
    },
  };
}

function mergedPdf(options: ArchiveOptions): NoticeArchiveWriter {
  const mark = options.highWaterMark ?? defaultHighWaterMark;
  const doc = openNoticeDocument({ title: options.title, author: "GPD", now: options.now });
  return {
    stream: doc,
    contentType: "application/pdf",
    async add(notice) {
      drawNotice(doc, notice);
      await backpressure(doc, mark);
    },
    finish() {
      doc.end();
      return Promise.resolve();
    },
    abort(error) {
      doc.destroy(error);
    },
  };
}

/** A file name any unzip accepts: the IUPD with anything but letters, digits, '-', '_' and '.' replaced. */
export const entryName = (iupd: string): string => `avviso-${iupd.replace(/[^\w.-]/g, "_")}.pdf`;

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = name.replace(/\.pdf$/, `-${n}.pdf`);
  taken.add(candidate);
  return candidate;
}
