// Timer triggers for the status jobs: fired by the NCRONTAB schedules VALIDATE_DEBT_POSITIONS_SCHEDULE and
// EXPIRE_DEBT_POSITIONS_SCHEDULE (app settings), or at once with POST /admin/functions/{name}.
import type { TimerHandler } from "@azure/functions";
import { runStatusJob, type StatusJobDeps } from "../../shared/application/status-jobs";
import { timerJob } from "../../shared/logging/timer-job";

export type StatusJobHandlerDeps = Omit<StatusJobDeps, "log">;

export const makeValidateDebtPositions = (deps: StatusJobHandlerDeps): TimerHandler =>
  timerJob("validateDebtPositions", (log) => runStatusJob("validate", { ...deps, log }));

export const makeExpireDebtPositions = (deps: StatusJobHandlerDeps): TimerHandler =>
  timerJob("expireDebtPositions", (log) => runStatusJob("expire", { ...deps, log }));
