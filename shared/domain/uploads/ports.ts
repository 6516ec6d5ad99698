// What the upload use case needs from storage and messaging: the upload's records (Cosmos), the chunks and the
// report (Blob), and the queue that feeds the chunk worker.
import type { ChunkOutcome, UploadFile, UploadReport } from "./upload";

export interface UploadFilePage {
  files: UploadFile[];
  continuation: string | undefined;
}

export interface UploadRepository {
  createFile(file: UploadFile): Promise<void>;
  findFile(organizationFiscalCode: string, fileId: string): Promise<UploadFile | undefined>;
  /** Uploads started in [from, to), newest first, a page at a time. */
  listFiles(
    organizationFiscalCode: string,
    window: { from: string; to: string },
    size: number,
    continuation: string | undefined,
  ): Promise<UploadFilePage>;
  /**
   * Records the state a chunk started from, create-only, and answers the state recorded first: a chunk run again
   * after a crash sees what its first run saw (for a delete, which IUPDs existed). `by: "sweeper"` claims a chunk
   * that no worker started (an upload whose messages were never queued): whoever records first wins, and a worker
   * that meets the sweeper's claim (`swept`) applies nothing.
   */
  startChunk(
    organizationFiscalCode: string,
    fileId: string,
    chunk: number,
    existing: readonly string[],
    by?: "worker" | "sweeper",
  ): Promise<{ firstRun: boolean; existing: string[]; swept: boolean }>;
  /** Uploads of every organization started before `startedBefore` and not marked finished, at most `limit`. */
  unfinishedFiles(startedBefore: string, limit: number): Promise<UploadFile[]>;
  /** Marks an upload finished (its report written): unfinishedFiles no longer lists it. */
  markFinished(organizationFiscalCode: string, fileId: string): Promise<void>;
  /** Whether the chunk's outcome is recorded (the chunk is done). */
  isChunkRecorded(organizationFiscalCode: string, fileId: string, chunk: number): Promise<boolean>;
  /** Create-only: false when the chunk was recorded already (a redelivered message). */
  recordChunk(organizationFiscalCode: string, fileId: string, outcome: Required<ChunkOutcome>): Promise<boolean>;
  /** The chunks recorded so far; with their items' outcomes only when asked (the report). */
  chunks(organizationFiscalCode: string, fileId: string, withOutcomes: boolean): Promise<ChunkOutcome[]>;
}

export interface UploadStore {
  putChunk(organizationFiscalCode: string, fileId: string, chunk: number, items: readonly unknown[]): Promise<void>;
  getChunk(organizationFiscalCode: string, fileId: string, chunk: number): Promise<unknown[] | undefined>;
  /** Create-only: the first complete report wins, a second writer finds it there. */
  putReport(organizationFiscalCode: string, fileId: string, report: UploadReport): Promise<void>;
  getReport(organizationFiscalCode: string, fileId: string): Promise<UploadReport | undefined>;
}

export interface UploadChunkMessage {
  organizationFiscalCode: string;
  fileId: string;
  chunk: number;
}

export interface UploadQueue {
  send(message: UploadChunkMessage): Promise<void>;
}
