// Timer trigger of ingestReportingFlows: fired by the NCRONTAB schedule INGEST_REPORTING_FLOWS_SCHEDULE (app setting,
// every 5 minutes by default), or at once with POST /admin/functions/ingestReportingFlows.
import type { InvocationContext, Timer, TimerHandler } from "@azure/functions";
import { runIngestReportingFlows, type FlowIngestionDeps } from "../../shared/application/flow-ingestion";
import type { Inbox } from "../../shared/application/inbox";
import { correlatedLogger } from "../../shared/logging/logger";

export type IngestReportingFlowsDeps = Omit<FlowIngestionDeps, "log"> & { inbox: Inbox };

export const makeIngestReportingFlows =
  (deps: IngestReportingFlowsDeps): TimerHandler =>
  async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const log = correlatedLogger(context, "run", context.invocationId);
    try {
      await runIngestReportingFlows({ ...deps, log });
    } catch (e) {
      // Rethrown so the host records a failed run; files that failed stay in the inbox for the next one.
      log.error(`ingestReportingFlows: run failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  };
