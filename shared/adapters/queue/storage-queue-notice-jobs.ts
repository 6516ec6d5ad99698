// The queue that wakes the notice worker (functions/notices/render-notice-job.ts): its name and connection, and how a
// message is read back. Messages are sent by the one producer, shared/adapters/queue/storage-queue.ts.
import type { NoticeJobMessage } from "../../domain/notices/notice-job";

/**
 * The queue (shared/storage/storage-definition.json) and the connection the trigger reads: the app's own storage
 * account, as for the other queues (STORAGE_CONNECTION_STRING locally, its identity-based form in Azure).
 */
export const noticeJobQueue = { name: "notice-jobs", connection: "STORAGE_CONNECTION_STRING" } as const;

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
