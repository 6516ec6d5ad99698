// What every timer function shares: a logger correlated with the run (the invocation id), and a failed run logged
// and rethrown so the host records it and its retry applies.
import type { InvocationContext, Timer, TimerHandler } from "@azure/functions";
import { correlatedLogger, type Logger } from "./logger";

export function timerJob(name: string, run: (log: Logger) => Promise<unknown>): TimerHandler {
  return async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const log = correlatedLogger(context, "run", context.invocationId);
    try {
      await run(log);
    } catch (e) {
      log.error(`${name}: run failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  };
}
