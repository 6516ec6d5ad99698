// Queue trigger of renderNoticeJob: fired by a message on the notice-jobs queue (sent by POST …/notices). Renders the
// job's notices into its archive. Storage failures are rethrown so the queue delivers the message again; on the last
// delivery the job is marked FAILED first.
import type { InvocationContext, StorageQueueHandler } from "@azure/functions";
import type { NoticeService } from "../../shared/application/notice-service";
import { parseNoticeJobMessage } from "../../shared/adapters/queue/storage-queue-notice-jobs";
import { correlatedLogger } from "../../shared/logging/logger";

export interface RenderNoticeJobDeps {
  notices: NoticeService;
  /** host.json extensions.queues.maxDequeueCount (5 by default). */
  maxDequeueCount: number;
}

export const makeRenderNoticeJob =
  (deps: RenderNoticeJobDeps): StorageQueueHandler =>
  async (message: unknown, context: InvocationContext): Promise<void> => {
    const parsed = parseNoticeJobMessage(message);
    const log = correlatedLogger(context, "noticeJob", parsed?.jobId ?? "malformed");
    if (parsed === undefined) {
      // Delivering it again would not make it readable: logged and dropped.
      log.error("a notice-jobs message without organizationFiscalCode and jobId was dropped");
      return;
    }
    const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
    const job = await deps.notices.run(
      parsed.organizationFiscalCode,
      parsed.jobId,
      dequeueCount >= deps.maxDequeueCount,
    );
    if (job === undefined) log.warn("no such notice job");
    else log.info(`notice job ${job.status}`, { total: job.total, rendered: job.rendered, skipped: job.skipped });
  };
