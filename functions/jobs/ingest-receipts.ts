// Timer trigger of ingestReceipts: fired by the NCRONTAB schedule INGEST_RECEIPTS_SCHEDULE (app setting, every minute
// by default), or at once with POST /admin/functions/ingestReceipts. Logs and rethrows a failed run so the host
// records it; files that failed stay in the inbox for the next run.
import type { InvocationContext, Timer, TimerHandler } from "@azure/functions";
import { ingestReceipts, type ReceiptIngestionDeps } from "../../shared/application/receipt-ingestion";
import { correlatedLogger } from "../../shared/logging/logger";

export type IngestReceiptsHandlerDeps = Omit<ReceiptIngestionDeps, "log">;

export const makeIngestReceipts =
  (deps: IngestReceiptsHandlerDeps): TimerHandler =>
  async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const log = correlatedLogger(context, "run", context.invocationId);
    try {
      await ingestReceipts({ ...deps, log });
    } catch (e) {
      log.error(`ingestReceipts: run failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  };
