// Timer trigger of ingestReceipts: fired by the NCRONTAB schedule INGEST_RECEIPTS_SCHEDULE (app setting, every minute
// by default), or at once with POST /admin/functions/ingestReceipts. Files that failed stay in the inbox for the
// next run.
import type { TimerHandler } from "@azure/functions";
import { ingestReceipts, type ReceiptIngestionDeps } from "../../shared/application/receipt-ingestion";
import { timerJob } from "../../shared/logging/timer-job";

export type IngestReceiptsHandlerDeps = Omit<ReceiptIngestionDeps, "log">;

export const makeIngestReceipts = (deps: IngestReceiptsHandlerDeps): TimerHandler =>
  timerJob("ingestReceipts", (log) => ingestReceipts({ ...deps, log }));
