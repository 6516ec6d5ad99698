// Massive upload: one file of positions (create, update) or IUPDs (delete) is split into chunks, each chunk applied
// on its own with the same rules as the single operations, and the outcome of every item gathered into one report.
// This module is the pure part: the file's shape, the chunks, and how status and report follow from the chunks'
// outcomes (docs/adr/0050-massive-upload.md).
import { DomainError } from "../errors";

export const uploadOperations = ["CREATE", "UPDATE", "DELETE"] as const;
export type UploadOperation = (typeof uploadOperations)[number];

export const operationStatuses = [
  "IN_PROGRESS",
  "COMPLETED",
  "COMPLETED_WITH_WARNINGS",
  "COMPLETED_UNSUCCESSFULLY",
] as const;
export type OperationStatus = (typeof operationStatuses)[number];

/** Limits of the upload contract: the unzipped document, and how many items a file may hold. */
export const uploadLimits = {
  maxUnzippedBytes: 104_857_600,
  maxItems: 100_000,
  /** Positions per chunk: one queue message, one all-or-nothing bulk write when every item is valid. */
  chunkSize: 50,
  /**
   * An upload not finished this long after it started, whose parts no worker took, is finished by the sweep
   * (finishStalledUploads): far beyond any backlog of chunk messages, well within their 7-day time to live.
   */
  staleAfterMs: 24 * 3_600_000,
} as const;

/** An accepted upload, as recorded when it is submitted. */
export interface UploadFile {
  organizationFiscalCode: string;
  brokerCode: string;
  fileId: string;
  operation: UploadOperation;
  toPublish: boolean;
  /** The uploader's segregation codes: its chunks apply with the same restriction as its own calls. */
  segregationCodes?: readonly string[] | undefined;
  submittedItem: number;
  chunkCount: number;
  startTime: string;
}

/** What happened to one item: the HTTP status the single operation would have answered, and its title. */
export interface ItemOutcome {
  /** The position's IUPD (the reference calls them request ids). */
  requestId: string;
  statusCode: number;
  statusMessage: string;
}

/** A processed chunk: its counts (what the status needs) and, when read for the report, every item's outcome. */
export interface ChunkOutcome {
  chunk: number;
  processed: number;
  succeeded: number;
  outcomes?: readonly ItemOutcome[];
}

export const chunkOutcome = (chunk: number, outcomes: readonly ItemOutcome[]): Required<ChunkOutcome> => ({
  chunk,
  processed: outcomes.length,
  succeeded: outcomes.filter((o) => isSuccess(o.statusCode)).length,
  outcomes,
});

export interface UploadStatus {
  fileId: string;
  processedItem: number;
  submittedItem: number;
  startTime: string;
  operationStatus: OperationStatus;
}

export interface UploadReport {
  fileId: string;
  processedItem: number;
  submittedItem: number;
  startTime: string;
  endTime: string;
  operationStatus: OperationStatus;
  /** One group per (status, message), each with the IUPDs that ended that way, in file order. */
  responses: { statusCode: number; statusMessage: string; requestIDs: string[] }[];
}

export const isSuccess = (statusCode: number): boolean => statusCode >= 200 && statusCode < 300;

export function isComplete(file: UploadFile, chunks: readonly ChunkOutcome[]): boolean {
  return chunks.length >= file.chunkCount;
}

export function operationStatusOf(file: UploadFile, chunks: readonly ChunkOutcome[]): OperationStatus {
  if (!isComplete(file, chunks)) return "IN_PROGRESS";
  const processed = chunks.reduce((n, c) => n + c.processed, 0);
  const succeeded = chunks.reduce((n, c) => n + c.succeeded, 0);
  if (succeeded === processed) return "COMPLETED";
  return succeeded === 0 ? "COMPLETED_UNSUCCESSFULLY" : "COMPLETED_WITH_WARNINGS";
}

export function statusOf(file: UploadFile, chunks: readonly ChunkOutcome[]): UploadStatus {
  return {
    fileId: file.fileId,
    processedItem: chunks.reduce((n, c) => n + c.processed, 0),
    submittedItem: file.submittedItem,
    startTime: file.startTime,
    operationStatus: operationStatusOf(file, chunks),
  };
}

export function reportOf(file: UploadFile, chunks: readonly ChunkOutcome[], endTime: string): UploadReport {
  const groups = new Map<string, UploadReport["responses"][number]>();
  for (const chunk of [...chunks].sort((a, b) => a.chunk - b.chunk)) {
    for (const o of chunk.outcomes ?? []) {
      const key = `${o.statusCode} ${o.statusMessage}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = { statusCode: o.statusCode, statusMessage: o.statusMessage, requestIDs: [] };
        groups.set(key, group);
      }
      group.requestIDs.push(o.requestId);
    }
  }
  return {
    ...statusOf(file, chunks),
    endTime,
    responses: [...groups.values()].sort((a, b) => a.statusCode - b.statusCode),
  };
}

export function chunksOf<T>(items: readonly T[], size: number = uploadLimits.chunkSize): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

const invalidFile = (detail: string) => new DomainError("UPLOAD_INVALID_FILE", detail);

/**
 * The document's outer shape, checked at upload so a file that can never be processed is refused at once: create and
 * update carry `paymentPositions` (each element is validated when its chunk runs, and fails alone), delete carries
 * `paymentPositionIUPDs` (distinct strings).
 */
export function itemsOf(operation: UploadOperation, document: unknown): unknown[] {
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    throw invalidFile("The JSON document must be an object");
  }
  const field = operation === "DELETE" ? "paymentPositionIUPDs" : "paymentPositions";
  const items = (document as Record<string, unknown>)[field];
  if (!Array.isArray(items) || items.length === 0) {
    throw invalidFile(`The JSON document must hold a non-empty array "${field}"`);
  }
  if (items.length > uploadLimits.maxItems) {
    throw invalidFile(`The file holds ${items.length} items: at most ${uploadLimits.maxItems} are accepted`);
  }
  if (operation === "DELETE") {
    const seen = new Set<string>();
    items.forEach((iupd, i) => {
      if (typeof iupd !== "string" || iupd.trim() === "") {
        throw invalidFile(`paymentPositionIUPDs[${i}] must be a non-empty string`);
      }
      if (seen.has(iupd)) throw invalidFile(`paymentPositionIUPDs[${i}] repeats the IUPD ${iupd}`);
      seen.add(iupd);
    });
  } else {
    items.forEach((p, i) => {
      if (typeof p !== "object" || p === null || Array.isArray(p)) {
        throw invalidFile(`paymentPositions[${i}] must be an object`);
      }
    });
    const iupds = items.map((p) => (p as { iupd?: unknown }).iupd);
    const seen = new Set<unknown>();
    iupds.forEach((iupd, i) => {
      if (typeof iupd === "string" && seen.has(iupd)) {
        throw invalidFile(`paymentPositions[${i}] repeats the IUPD ${iupd}`);
      }
      seen.add(iupd);
    });
  }
  return items;
}

/** The IUPD an item names, for the report (the item may be invalid: then its index stands in). */
export function requestIdOf(operation: UploadOperation, item: unknown, index: number): string {
  if (operation === "DELETE") return typeof item === "string" ? item : `#${index}`;
  const iupd = (item as { iupd?: unknown } | null)?.iupd;
  return typeof iupd === "string" && iupd.length > 0 ? iupd : `#${index}`;
}
