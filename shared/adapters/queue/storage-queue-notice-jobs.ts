// The queue that wakes the notice worker (functions/notices/render-notice-job.ts). Messages are base64 JSON: the
// Functions queue trigger decodes base64 by default, so a plain-text message would be refused as malformed.
import type { QueueClient } from "@azure/storage-queue";
import type { NoticeJobMessage, NoticeJobQueue } from "../../domain/notices/notice-job";

/**
 * The queue (shared/storage/storage-definition.json) and the connection the trigger reads: the app's own storage
 * account, as for the other queues (STORAGE_CONNECTION_STRING locally, its identity-based form in Azure).
 */
export const noticeJobQueue = { name: "notice-jobs", connection: "STORAGE_CONNECTION_STRING" } as const;

export class StorageQueueNoticeJobs implements NoticeJobQueue {
  readonly #queue: QueueClient;
  #ready: Promise<unknown> | undefined;

  constructor(queue: QueueClient) {
    this.#queue = queue;
  }

  async send(message: NoticeJobMessage): Promise<void> {
    try {
      // Created on first use too, so a queue deleted by hand does not lose the next job.
      this.#ready ??= this.#queue.createIfNotExists();
      await this.#ready;
      await this.#queue.sendMessage(Buffer.from(JSON.stringify(message), "utf8").toString("base64"));
    } catch (e) {
      this.#ready = undefined;
      throw new Error(`Failed to queue notice job ${message.jobId}`, { cause: e });
    }
  }
}

/** The message as the trigger hands it over: already parsed JSON, or the decoded text. */
export function parseNoticeJobMessage(raw: unknown): NoticeJobMessage | undefined {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { organizationFiscalCode, jobId } = value as Record<string, unknown>;
  if (typeof organizationFiscalCode !== "string" || typeof jobId !== "string") return undefined;
  return { organizationFiscalCode, jobId };
}
