// Timer trigger: fired by the NCRONTAB schedule RECOVER_BULK_CREATES_SCHEDULE (app setting), or at once with
// POST /admin/functions/recoverBulkCreates. Finishes bulk creates that committed but were not cleaned up, and removes
// those that never committed (a crash or an outage mid-bulk) once they are older than BULK_STALE_AFTER_SECONDS
// (docs/adr/0015-crash-safe-bulk-create.md).
import type { TimerHandler } from "@azure/functions";
import type { DebtPositionService } from "../../shared/application/debt-position-service";
import { timerJob } from "../../shared/logging/timer-job";

export interface RecoverBulkCreatesDeps {
  service: DebtPositionService;
  clock: () => Date;
  staleAfterSeconds: number;
}

export const makeRecoverBulkCreates = (deps: RecoverBulkCreatesDeps): TimerHandler =>
  timerJob("recoverBulkCreates", async (log) => {
    const result = await deps.service.recoverBulks(deps.clock(), deps.staleAfterSeconds * 1000);
    log.info(`recoverBulkCreates: ${result.finished} bulk(s) finished, ${result.removed} removed`, { ...result });
    return result;
  });
