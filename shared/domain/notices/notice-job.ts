// A batch of notices rendered in the background (docs/adr/0047-notice-batches.md): what was asked, how far it got,
// and where the archive is. The job document is the only state; the queue message only names it.
import type { Instant } from "../debt-positions/model";

export const noticeArchiveFormats = ["ZIP", "PDF"] as const;
export type NoticeArchiveFormat = (typeof noticeArchiveFormats)[number];

export const noticeJobStatuses = ["QUEUED", "RUNNING", "COMPLETED", "FAILED"] as const;
export type NoticeJobStatus = (typeof noticeJobStatuses)[number];

/** Which positions: named one by one, or every printable one matching a status and a due-date window. */
export type NoticeSelection =
  | { kind: "iupds"; iupds: string[] }
  | {
      kind: "filter";
      status?: "PUBLISHED" | "VALID" | undefined;
      /** Inclusive window over the options' due dates (a position matches when one of its options does). */
      dueDate?: { from: Instant; to: Instant } | undefined;
    };

export interface SkippedPosition {
  iupd: string;
  reason: string;
}

export interface NoticeJob {
  jobId: string;
  organizationFiscalCode: string;
  format: NoticeArchiveFormat;
  selection: NoticeSelection;
  /** The caller's segregation codes: the batch prints only positions the caller could read one by one. */
  segregationCodes?: readonly string[] | undefined;
  status: NoticeJobStatus;
  /** Positions selected, known once the worker has listed them. */
  total?: number | undefined;
  rendered: number;
  skipped: number;
  /** The first skipped positions and why (capped: a batch of thousands of refusals stays a small document). */
  skippedPositions: SkippedPosition[];
  createdAt: Instant;
  updatedAt: Instant;
  startedAt?: Instant | undefined;
  completedAt?: Instant | undefined;
  error?: string | undefined;
  archive?: { name: string; contentType: string; size: number } | undefined;
}

export const maxSkippedListed = 100;

/**
 * A RUNNING job whose progress was written less than this long ago has a live worker: a second delivery of its
 * message leaves it alone. Older, its worker died (the message came back after a crash): the job starts over.
 * Progress is written every 2 s while rendering, so this is many missed heartbeats.
 */
export const runningJobStaleAfterMs = 60_000;

export const newNoticeJob = (input: {
  jobId: string;
  organizationFiscalCode: string;
  format: NoticeArchiveFormat;
  selection: NoticeSelection;
  segregationCodes?: readonly string[] | undefined;
  now: Date;
}): NoticeJob => ({
  jobId: input.jobId,
  organizationFiscalCode: input.organizationFiscalCode,
  format: input.format,
  selection: input.selection,
  segregationCodes: input.segregationCodes,
  status: "QUEUED",
  rendered: 0,
  skipped: 0,
  skippedPositions: [],
  createdAt: input.now.toISOString(),
  updatedAt: input.now.toISOString(),
});

export const recordSkipped = (job: NoticeJob, iupd: string, reason: string): NoticeJob => ({
  ...job,
  skipped: job.skipped + 1,
  skippedPositions:
    job.skippedPositions.length < maxSkippedListed ? [...job.skippedPositions, { iupd, reason }] : job.skippedPositions,
});

/** What the queue carries: only the job's address; everything else is read from the job document. */
export interface NoticeJobMessage {
  organizationFiscalCode: string;
  jobId: string;
}

export interface NoticeJobStore {
  /** Creates the job document; fails if the id is taken. */
  create(job: NoticeJob): Promise<void>;
  get(organizationFiscalCode: string, jobId: string): Promise<NoticeJob | undefined>;
  /** The job with its version (ETag), for a conditional write. */
  read(organizationFiscalCode: string, jobId: string): Promise<{ job: NoticeJob; etag: string } | undefined>;
  save(job: NoticeJob): Promise<void>;
  /** Writes only if the job is still at `etag`: false when another worker changed it first. */
  replace(job: NoticeJob, etag: string): Promise<boolean>;
  /** Uploads the archive while `write` produces it; resolves with the stored size. */
  uploadArchive(
    job: NoticeJob,
    contentType: string,
    body: NodeJS.ReadableStream,
  ): Promise<{ name: string; size: number }>;
  /** A time-limited URL from which the archive downloads without a subscription key. */
  downloadUrl(archiveName: string, expiresOn: Date): Promise<string>;
}

export interface NoticeJobQueue {
  send(message: NoticeJobMessage): Promise<void>;
}
