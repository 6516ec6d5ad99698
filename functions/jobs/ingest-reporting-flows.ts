// Timer trigger of ingestReportingFlows: fired by the NCRONTAB schedule INGEST_REPORTING_FLOWS_SCHEDULE (app setting,
// every 5 minutes by default), or at once with POST /admin/functions/ingestReportingFlows.
import type { TimerHandler } from "@azure/functions";
import { runIngestReportingFlows, type FlowIngestionDeps } from "../../shared/application/flow-ingestion";
import type { Inbox } from "../../shared/application/inbox";
import { timerJob } from "../../shared/logging/timer-job";

export type IngestReportingFlowsDeps = Omit<FlowIngestionDeps, "log"> & { inbox: Inbox };

export const makeIngestReportingFlows = (deps: IngestReportingFlowsDeps): TimerHandler =>
  timerJob("ingestReportingFlows", (log) => runIngestReportingFlows({ ...deps, log }));
