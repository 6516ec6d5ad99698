// Timer trigger of ingestStatements: fired by the NCRONTAB schedule INGEST_STATEMENTS_SCHEDULE (app setting, every 15
// minutes by default), or at once with POST /admin/functions/ingestStatements. Reads camt.053 files from
// statements-inbox, filed as <organization fiscal code>/<name>.xml.
import type { TimerHandler } from "@azure/functions";
import type { Inbox } from "../../shared/application/inbox";
import { runIngestStatements, type StatementDeps } from "../../shared/application/reconciliation";
import { timerJob } from "../../shared/logging/timer-job";

export type IngestStatementsDeps = Omit<StatementDeps, "log"> & { inbox: Inbox };

export const makeIngestStatements = (deps: IngestStatementsDeps): TimerHandler =>
  timerJob("ingestStatements", (log) => runIngestStatements({ ...deps, log }));
