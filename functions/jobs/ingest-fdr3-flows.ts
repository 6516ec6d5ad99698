// Timer trigger of ingestFdr3Flows: fired by the NCRONTAB schedule INGEST_FDR3_SCHEDULE (app setting, every 15
// minutes by default), or at once with POST /admin/functions/ingestFdr3Flows. Without FDR3_BASE_URL it only says so.
import type { TimerHandler } from "@azure/functions";
import { runIngestFdr3Flows, type Fdr3IngestionDeps } from "../../shared/application/fdr3-ingestion";
import { timerJob } from "../../shared/logging/timer-job";

export type IngestFdr3FlowsDeps = Omit<Fdr3IngestionDeps, "log" | "api"> & {
  api: Fdr3IngestionDeps["api"] | undefined;
};

export const makeIngestFdr3Flows = (deps: IngestFdr3FlowsDeps): TimerHandler =>
  timerJob("ingestFdr3Flows", async (log) => {
    const { api } = deps;
    if (api === undefined) {
      log.warn("ingestFdr3Flows: FDR3_BASE_URL is not set, nothing to read");
      return;
    }
    await runIngestFdr3Flows({ ...deps, api, log });
  });
