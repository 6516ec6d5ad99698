// Timer schedules as the Azure Functions host reads them: `%SETTING%` is an app-setting reference, otherwise the
// value is NCRONTAB (six fields, seconds first, UTC) or a TimeSpan ("hh:mm:ss", a fixed interval).
import { Cron } from "croner";

export interface ScheduledJob {
  nextRun(): Date | undefined;
  stop(): void;
}

const settingReference = /^%([^%]+)%$/;
const timeSpanPattern = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/;

/** Resolves `%NAME%` from the settings; throws when the setting is missing, as the host refuses the function. */
export function resolveSchedule(raw: string, settings: NodeJS.ProcessEnv): string {
  const reference = settingReference.exec(raw.trim());
  if (!reference?.[1]) return raw.trim();
  const value = settings[reference[1]]?.trim();
  if (!value) throw new Error(`The schedule "${raw}" refers to app setting ${reference[1]}, which is not set`);
  return value;
}

function timeSpanMillis(schedule: string): number | undefined {
  const match = timeSpanPattern.exec(schedule);
  if (!match) return undefined;
  const [, days = "0", hours = "0", minutes = "0", seconds = "0"] = match;
  return (((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
}

/** Validates a resolved schedule without starting anything; throws with croner's reason when it is not valid. */
export function validateSchedule(schedule: string): void {
  if (timeSpanMillis(schedule) !== undefined) return;
  // NCRONTAB ANDs day-of-month and day-of-week (croner ORs them unless domAndDow is set).
  new Cron(schedule, { mode: "6-part", domAndDow: true, timezone: "UTC", paused: true }).stop();
}

/** Calls `onTick` at every occurrence of the schedule until stopped. */
export function scheduleJob(schedule: string, onTick: () => void): ScheduledJob {
  const interval = timeSpanMillis(schedule);
  if (interval !== undefined) {
    if (interval <= 0) throw new Error(`The TimeSpan schedule "${schedule}" must be positive`);
    let next = Date.now() + interval;
    const handle = setInterval(() => {
      next = Date.now() + interval;
      onTick();
    }, interval);
    return {
      nextRun: () => new Date(next),
      stop: () => {
        clearInterval(handle);
      },
    };
  }
  const job = new Cron(schedule, { mode: "6-part", domAndDow: true, timezone: "UTC" }, () => {
    onTick();
  });
  return {
    nextRun: () => job.nextRun() ?? undefined,
    stop: () => {
      job.stop();
    },
  };
}
