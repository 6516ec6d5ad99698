// Every invocation the host starts goes through here: it is tracked (close() waits for it), and a background run (timer,
// queue message, admin call) keeps a record for GET /admin/invocations/{id} and logs how it ended.
import { randomUUID } from "node:crypto";
import type { RegisteredFunction, RpcInvocationResponse, RpcTypedData } from "./functions-core";
import { invoke } from "./invoke";
import { errorMessage, type Emit } from "./log";

export type InvocationStatus = "running" | "succeeded" | "failed";

export interface InvocationRecord {
  id: string;
  functionName: string;
  status: InvocationStatus;
  error?: string;
  startedAt: string;
  endedAt?: string;
  /**
   * The run's own log lines at information level and above, oldest first (the newest 20 of them): a job ends with
   * its summary line, which `gpd job run --wait` prints.
   */
  log: string[];
}

export interface BackgroundRun {
  /** Why it runs, as the Functions host words it ("Timer fired", "Manual", "New queue message detected on …"). */
  readonly reason: string;
  readonly triggerMetadata?: Record<string, RpcTypedData>;
  /** A quiet run logs its start and success at debug level only (timers: nothing per idle tick); failures always. */
  readonly quiet?: boolean;
}

const keptRecords = 1000;
const keptLinesPerRun = 20;
const loggedLevels = new Set(["information", "warning", "error", "critical"]);

export class Invocations {
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #records = new Map<string, InvocationRecord>();
  readonly #appHookData: Record<string, unknown>;
  readonly #emit: Emit;

  constructor(emit: Emit, appHookData: Record<string, unknown>) {
    this.#emit = emit;
    this.#appHookData = appHookData;
  }

  /** Runs one invocation now; the caller handles the outcome. */
  run(
    registration: RegisteredFunction,
    triggerData: RpcTypedData,
    invocationId: string,
    triggerMetadata: Record<string, RpcTypedData> = {},
    onLog?: (level: string, message: string) => void,
  ): Promise<RpcInvocationResponse> {
    const functionName = registration.metadata.name;
    const running = invoke({
      invocationId,
      registration,
      triggerData,
      triggerMetadata,
      appHookData: this.#appHookData,
      log: (level, category, message) => {
        this.#emit({ level, category, message, functionName, invocationId });
        onLog?.(level, message);
      },
    });
    return this.track(running);
  }

  /** Starts a run without waiting for it; `done` resolves with whether it succeeded and never rejects. */
  runInBackground(
    registration: RegisteredFunction,
    triggerData: RpcTypedData,
    run: BackgroundRun,
  ): { id: string; done: Promise<boolean> } {
    const id = randomUUID();
    const functionName = registration.metadata.name;
    const record: InvocationRecord = {
      id,
      functionName,
      status: "running",
      startedAt: new Date().toISOString(),
      log: [],
    };
    const keepLine = (level: string, message: string) => {
      if (!loggedLevels.has(level)) return;
      record.log.push(message);
      if (record.log.length > keptLinesPerRun) record.log.shift();
    };
    this.#keep(record);
    const routine = run.quiet === true ? "debug" : "information";
    const say = (level: "debug" | "information" | "error", message: string, durationMs?: number) => {
      const fields = durationMs === undefined ? undefined : { durationMs };
      this.#emit({ level, category: "host", message, functionName, invocationId: id, ...(fields ? { fields } : {}) });
    };
    say(routine, `Executing '${functionName}' (Reason='${run.reason}', Id=${id})`);
    const started = Date.now();
    const done = this.run(registration, triggerData, id, run.triggerMetadata, keepLine).then(
      () => {
        Object.assign(record, { status: "succeeded", endedAt: new Date().toISOString() });
        const ms = Date.now() - started;
        say(routine, `Executed '${functionName}' (Succeeded, Id=${id}, Duration=${ms}ms)`, ms);
        return true;
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        Object.assign(record, { status: "failed", error: message, endedAt: new Date().toISOString() });
        const ms = Date.now() - started;
        say("error", `Executed '${functionName}' (Failed, Id=${id}, Duration=${ms}ms): ${errorMessage(error)}`, ms);
        return false;
      },
    );
    return { id, done };
  }

  record(id: string): InvocationRecord | undefined {
    return this.#records.get(id);
  }

  /** Anything close() must wait for (an invocation, a queue message being completed). */
  track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    const forget = () => this.#inFlight.delete(promise);
    void promise.then(forget, forget);
    return promise;
  }

  /** Waits up to graceMs for what is running; answers how many were still running when it stopped waiting. */
  async drain(graceMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    const allDone = (async () => {
      while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    })();
    await Promise.race([allDone, graceOver]);
    clearTimeout(timer);
    return this.#inFlight.size;
  }

  #keep(record: InvocationRecord): void {
    this.#records.set(record.id, record);
    for (const old of this.#records.keys()) {
      if (this.#records.size <= keptRecords) break;
      this.#records.delete(old);
    }
  }
}
