// Hands the running stack from the global setup to the global teardown. Both run in jest's parent process, but
// through jest's transformer, so a module-level variable is not guaranteed to be shared: globalThis is.

export class RunningStack {
  readonly closers: (() => Promise<void>)[] = [];

  /** Stops everything, newest first (the host before the stores it talks to), and reports every failure. */
  async stop(): Promise<void> {
    const failures: unknown[] = [];
    for (const close of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, "the local stack did not stop cleanly");
  }
}

const key = Symbol.for("gpd.test.running-stack");

export function setRunningStack(stack: RunningStack | undefined): void {
  (globalThis as Record<symbol, unknown>)[key] = stack;
}

export function runningStack(): RunningStack | undefined {
  return (globalThis as Record<symbol, unknown>)[key] as RunningStack | undefined;
}
