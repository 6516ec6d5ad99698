// Timer triggers: each registration scheduled with its resolved schedule, Azure's singleton rule (an occurrence that
// arrives while the previous run is still going is skipped), runOnStartup, and the Timer object the handler receives.
import type { RegisteredFunction, RpcTypedData } from "./functions-core";
import type { Invocations } from "./invocations";
import type { Emit } from "./log";
import { scheduleJob, type ScheduledJob } from "./timer-schedule";

export interface TimerFunction {
  readonly registration: RegisteredFunction;
  readonly schedule: string;
  readonly runOnStartup: boolean;
}

interface TimerState extends TimerFunction {
  job?: ScheduledJob;
  running: boolean;
  lastRun?: Date;
}

export interface Timers {
  /** What a manual run (POST /admin/functions/{name}) of this timer receives. */
  timerData(registration: RegisteredFunction): RpcTypedData;
  stop(): void;
}

function timerData(state: TimerState | undefined): RpcTypedData {
  const now = new Date();
  return {
    json: JSON.stringify({
      Schedule: { AdjustForDST: true },
      ScheduleStatus: state
        ? {
            Last: (state.lastRun ?? now).toISOString(),
            Next: (state.job?.nextRun() ?? now).toISOString(),
            LastUpdated: now.toISOString(),
          }
        : null,
      IsPastDue: false,
    }),
  };
}

export function startTimers(functions: readonly TimerFunction[], invocations: Invocations, emit: Emit): Timers {
  const states: TimerState[] = functions.map((f) => ({ ...f, running: false }));
  let stopped = false;

  const fire = (state: TimerState, reason: string) => {
    if (stopped) return;
    const functionName = state.registration.metadata.name;
    if (state.running) {
      emit({
        level: "warning",
        category: "host",
        functionName,
        message: `Skipping '${functionName}' (${reason}): the previous run is still going`,
      });
      return;
    }
    state.running = true;
    // Quiet: a tick that does nothing logs nothing; the function's own lines and failures still show.
    const { done } = invocations.runInBackground(state.registration, timerData(state), { reason, quiet: true });
    void done.finally(() => {
      state.running = false;
      state.lastRun = new Date();
    });
  };

  for (const state of states) {
    state.job = scheduleJob(state.schedule, () => {
      fire(state, "Timer fired");
    });
  }
  for (const state of states) if (state.runOnStartup) fire(state, "RunOnStartup");

  return {
    timerData: (registration) => timerData(states.find((s) => s.registration === registration)),
    stop: () => {
      stopped = true;
      for (const state of states) state.job?.stop();
    },
  };
}
