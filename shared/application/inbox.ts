// Inbox processing shared by the ingestion jobs (docs/domain/jobs.md): every file is handled on its own; a file that cannot be
// accepted moves to the `*-rejected` container under its original name with the reason in its metadata, and the
// rest of the inbox goes on. A file leaves the inbox only after its handler has made everything it implies durable,
// and handlers are idempotent, so a run that dies mid-file is finished by the next run (nothing lost or doubled).
import type { Logger } from "../logging/logger";

export interface InboxFile {
  name: string;
  size: number;
}

/** The port over an inbox container and its rejected twin. */
export interface Inbox {
  list(): AsyncIterable<InboxFile>;
  /** The file's bytes; undefined if it disappeared meanwhile (another run took it). */
  read(name: string): Promise<Buffer | undefined>;
  /** Copies the file to the rejected container with the reason in its metadata, then removes it from the inbox. */
  reject(name: string, reason: string, bytes: Buffer): Promise<void>;
  remove(name: string): Promise<void>;
}

export type FileOutcome = { accepted: true; note?: string } | { accepted: false; reason: string };

export interface InboxSummary {
  examined: number;
  accepted: number;
  rejected: number;
  failed: number;
  durationMs: number;
}

export interface InboxOptions {
  maxFileBytes: number;
  log: Logger;
  /** Progress line every this many files. */
  progressEvery?: number;
  /** Files handled at the same time (default 1). Handlers must tolerate lost races: they re-decide on fresh data. */
  concurrency?: number;
}

/**
 * Runs `handle` over every file. `handle` returns a rejection for a file that can never be accepted (bad XML,
 * unknown position…) and throws for a transient failure: such a file stays in the inbox for the next run, and the
 * run ends with an error so the host records the failure and retries.
 */
export async function processInbox(
  inbox: Inbox,
  handle: (name: string, bytes: Buffer) => Promise<FileOutcome>,
  options: InboxOptions,
): Promise<InboxSummary> {
  const started = Date.now();
  const summary: InboxSummary = { examined: 0, accepted: 0, rejected: 0, failed: 0, durationMs: 0 };
  const every = options.progressEvery ?? 50;
  let firstFailure: unknown;
  const handleOne = async (file: InboxFile): Promise<void> => {
    summary.examined += 1;
    try {
      if (file.size > options.maxFileBytes) {
        await inbox.reject(
          file.name,
          `too-large: ${file.size} bytes, the limit is ${options.maxFileBytes}`,
          Buffer.alloc(0),
        );
        summary.rejected += 1;
        options.log.warn(`rejected ${file.name}: too large (${file.size} bytes)`);
        return;
      }
      const bytes = await inbox.read(file.name);
      if (bytes === undefined) return;
      const outcome = await handle(file.name, bytes);
      if (outcome.accepted) {
        await inbox.remove(file.name);
        summary.accepted += 1;
      } else {
        await inbox.reject(file.name, outcome.reason, bytes);
        summary.rejected += 1;
        options.log.warn(`rejected ${file.name}: ${outcome.reason}`);
      }
    } catch (e) {
      summary.failed += 1;
      firstFailure ??= e;
      options.log.error(`failed on ${file.name}, left in the inbox for the next run`, {
        error: e instanceof Error ? e.message : String(e),
      });
    } finally {
      if (summary.examined % every === 0)
        options.log.info("progress", { ...summary, durationMs: Date.now() - started });
    }
  };
  // Workers share one listing: an async generator hands out each file once, whoever asks first.
  const files = inbox.list()[Symbol.asyncIterator]();
  const worker = async (): Promise<void> => {
    for (let next = await files.next(); next.done !== true; next = await files.next()) await handleOne(next.value);
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
  summary.durationMs = Date.now() - started;
  options.log.info("run finished", { ...summary });
  if (firstFailure !== undefined) {
    throw new Error(`${summary.failed} file(s) failed and stay in the inbox`, { cause: firstFailure });
  }
  return summary;
}
