// Timer triggers for the status jobs: fired by the NCRONTAB schedules VALIDATE_DEBT_POSITIONS_SCHEDULE and
// EXPIRE_DEBT_POSITIONS_SCHEDULE (app settings), or at once with POST /admin/functions/{name}.
import type { InvocationContext, Timer, TimerHandler } from "@azure/functions";
import { runStatusJob, type StatusJobDeps } from "../../shared/application/status-jobs";
import type { JobKind } from "../../shared/domain/debt-positions/ports";
import { correlatedLogger } from "../../shared/logging/logger";

export type StatusJobHandlerDeps = Omit<StatusJobDeps, "log">;

const makeStatusJob =
  (kind: JobKind) =>
  (deps: StatusJobHandlerDeps): TimerHandler =>
  async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const log = correlatedLogger(context, "run", context.invocationId);
    try {
      await runStatusJob(kind, { ...deps, log });
    } catch (e) {
      log.error(`${kind}: run failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  };

export const makeValidateDebtPositions = makeStatusJob("validate");
export const makeExpireDebtPositions = makeStatusJob("expire");
