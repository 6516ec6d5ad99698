// Timer trigger dispatchEvents, fired by the NCRONTAB schedule EVENTS_DISPATCH_SCHEDULE (app setting) or at once
// with POST /admin/functions/dispatchEvents: moves outbox events into the feed and wakes webhooks.
import type { TimerHandler } from "@azure/functions";
import { dispatchEvents, type DispatchDeps } from "../../shared/application/event-dispatch";
import { timerJob } from "../../shared/logging/timer-job";

export const makeDispatchEvents = (deps: Omit<DispatchDeps, "log">): TimerHandler =>
  timerJob("dispatchEvents", (log) => dispatchEvents({ ...deps, log }));
