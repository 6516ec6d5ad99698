// A local Azure Functions host: loads the compiled app, reads what it registered through `@azure/functions-core`,
// and serves those registrations over node:http (HTTP triggers), croner (timer triggers) and queue polling (queue
// triggers). Core Tools cannot be installed on this machine; see docs/adr/0003-local-functions-host.md and
// docs/adr/0011-local-queue-triggers.md for what this host does and does not mimic.
import { randomUUID } from "node:crypto";
import http from "node:http";
import Module from "node:module";
import path from "node:path";
import type { QueueServiceClient } from "@azure/storage-queue";
import * as core from "./functions-core";
import { queuesOptionsOf, readHostJson, routePrefixOf } from "./host-json";
import { invoke, triggerBinding } from "./invoke";
import {
  queueServiceFor,
  resolveSettingReferences,
  startQueueListener,
  validateQueueName,
  type QueueListener,
} from "./queue-trigger";
import { comparePrecedence, matchRoute, parseRouteTemplate, splitPath, type RouteTemplate } from "./route-template";
import { resolveSchedule, scheduleJob, validateSchedule, type ScheduledJob } from "./timer-schedule";

export type FunctionKind = "http" | "timer" | "queue" | "other";

export interface HostFunction {
  readonly name: string;
  readonly kind: FunctionKind;
  /** HTTP: the full route template, prefix included. */
  readonly route?: string;
  readonly methods?: readonly string[];
  /** Timer: the schedule after `%SETTING%` resolution. */
  readonly schedule?: string;
  readonly runOnStartup?: boolean;
  /** Queue: the queue name after `%SETTING%` resolution, and the connection setting's name. */
  readonly queueName?: string;
  readonly connection?: string;
  /** Set when the host refused to schedule or route the function (e.g. unresolved `%SETTING%`). */
  readonly error?: string;
}

export interface HostLogEntry {
  readonly timestamp: string;
  readonly level: core.RpcLogLevel;
  readonly category: core.RpcLogCategory | "host";
  readonly functionName?: string;
  readonly invocationId?: string;
  readonly message: string;
}

export interface HostOptions {
  readonly port: number;
  readonly host?: string;
  /** Path of the compiled app entry point, e.g. dist/functions/index.js. */
  readonly appMain: string;
  readonly hostJsonPath?: string;
  /** Merged into process.env before the app is required: the app reads its config at import. */
  readonly env?: Record<string, string>;
  /** Where log lines go; defaults to stdout (stderr for warnings and errors). */
  readonly log?: (entry: HostLogEntry) => void;
  /** Azure's front end refuses bodies above 100 MB; lowered only by tests. */
  readonly maxRequestBodyBytes?: number;
  /** How long close() waits for running invocations before giving up on them. */
  readonly shutdownGraceMs?: number;
}

export interface RunningHost {
  readonly url: string;
  readonly functions: readonly HostFunction[];
  close(): Promise<void>;
}

export type InvocationStatus = "running" | "succeeded" | "failed";

export interface InvocationRecord {
  id: string;
  functionName: string;
  status: InvocationStatus;
  error?: string;
  startedAt: string;
  endedAt?: string;
}

const azureMaxBodyBytes = 100 * 1024 * 1024;
const keptInvocationRecords = 1000;
const coreModuleName = "@azure/functions-core";

interface ResolveFilename {
  _resolveFilename: (request: string, ...rest: unknown[]) => string;
}

let resolutionInstalled = false;

/**
 * Makes `require("@azure/functions-core")` answer with our stand-in, in this process only. Jest has its own module
 * system and uses a moduleNameMapper entry instead; the hook is harmless there.
 */
export function installCoreModuleResolution(): void {
  if (resolutionInstalled) return;
  const target = require.resolve("./functions-core");
  const moduleInternals = Module as unknown as ResolveFilename;
  const original = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function resolveWithCore(this: unknown, request: string, ...rest: unknown[]) {
    return request === coreModuleName ? target : original.call(this, request, ...rest);
  };
  resolutionInstalled = true;
}

function dig(value: unknown, keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function kindOf(triggerType: string): FunctionKind {
  const type = triggerType.toLowerCase();
  if (type === "httptrigger") return "http";
  if (type === "timertrigger") return "timer";
  if (type === "queuetrigger") return "queue";
  return "other";
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

// LOG_LEVEL (the app's setting) also quiets the host's own per-invocation lines, as host.json's logLevel would.
const hostLevelRank: Record<string, number> = { trace: 0, debug: 1, information: 2, warning: 3, error: 4, critical: 5 };
const settingRank: Record<string, number> = { debug: 1, info: 2, warn: 3, error: 4 };

function defaultLog(entry: HostLogEntry): void {
  const minimum = settingRank[process.env.LOG_LEVEL ?? "info"] ?? 2;
  if ((hostLevelRank[entry.level] ?? 2) < minimum) return;
  const who = entry.functionName ? ` ${entry.functionName}${entry.invocationId ? ` (${entry.invocationId})` : ""}` : "";
  const line = `${entry.timestamp} [${entry.level}]${who} ${entry.message}\n`;
  const toStderr = entry.level === "error" || entry.level === "critical" || entry.level === "warning";
  (toStderr ? process.stderr : process.stdout).write(line);
}

interface HttpRoute {
  readonly registration: core.RegisteredFunction;
  readonly template: RouteTemplate;
  readonly methods: ReadonlySet<string>;
}

interface TimerState {
  readonly registration: core.RegisteredFunction;
  readonly schedule: string;
  job?: ScheduledJob;
  running: boolean;
  lastRun?: Date;
}

interface QueueState {
  readonly registration: core.RegisteredFunction;
  readonly queueName: string;
  readonly service: QueueServiceClient;
  listener?: QueueListener;
}

interface HandlerResult {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  closeConnection?: boolean;
}

class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

/** Starts the host; resolves once it listens. The app is required once per process, as the worker does. */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const log = options.log ?? defaultLog;
  const emit = (
    level: core.RpcLogLevel,
    category: HostLogEntry["category"],
    message: string,
    fn?: string,
    id?: string,
  ) => {
    if (level === "none") return;
    log({ timestamp: new Date().toISOString(), level, category, functionName: fn, invocationId: id, message });
  };
  const maxBodyBytes = options.maxRequestBodyBytes ?? azureMaxBodyBytes;
  const graceMs = options.shutdownGraceMs ?? 10_000;

  Object.assign(process.env, options.env ?? {});
  core.setSystemLogSink((level, category, message) => {
    emit(level, category, message);
  });
  installCoreModuleResolution();
  const appMain = path.resolve(options.appMain);
  try {
    // Compiles to require() under commonjs, so under jest it goes through jest's registry and moduleNameMapper.
    await import(appMain);
  } catch (error) {
    throw new Error(`Failed to load the function app ${appMain}`, { cause: error });
  }
  if (!core.hasProgrammingModel()) {
    throw new Error(`${appMain} registered no functions through @azure/functions`);
  }
  const model = core.getProgrammingModel();
  // The worker asks for capabilities once the app is loaded; the library locks app.setup() at that point.
  const capabilities = (await model.getCapabilities?.({})) ?? {};
  if (capabilities.HttpUri) {
    throw new Error("app.setup({ enableHttpStream: true }) is not supported by the local host");
  }

  const hostJson = readHostJson(options.hostJsonPath ?? path.resolve("host.json"), process.env);
  const routePrefix = routePrefixOf(hostJson);
  const registrations = core.registeredFunctions();
  const routes: HttpRoute[] = [];
  const timers: TimerState[] = [];
  const queues: QueueState[] = [];
  const functions: HostFunction[] = [];
  for (const registration of registrations) {
    const name = registration.metadata.name;
    const trigger = triggerBinding(registration);
    const kind = kindOf(trigger.type);
    if (kind === "http") {
      const route = typeof trigger.options.route === "string" ? trigger.options.route : name;
      const full = [routePrefix, route.replace(/^\/+/, "")].filter((s) => s !== "").join("/");
      const rawMethods = Array.isArray(trigger.options.methods)
        ? (trigger.options.methods as unknown[])
        : ["GET", "POST"];
      const methods = rawMethods.map((m) => String(m).toUpperCase());
      routes.push({ registration, template: parseRouteTemplate(full), methods: new Set(methods) });
      functions.push({ name, kind, route: full, methods });
    } else if (kind === "timer") {
      const raw = typeof trigger.options.schedule === "string" ? trigger.options.schedule : "";
      const runOnStartup = trigger.options.runOnStartup === true;
      try {
        const schedule = resolveSchedule(raw, process.env);
        validateSchedule(schedule);
        timers.push({ registration, schedule, running: false });
        functions.push({ name, kind, schedule, runOnStartup });
      } catch (error) {
        // Azure marks such a function as in error and keeps the others running.
        const message = error instanceof Error ? error.message : String(error);
        emit("error", "host", `The '${name}' function is in error: ${message}`, name);
        functions.push({ name, kind, schedule: raw, runOnStartup, error: message });
      }
    } else if (kind === "queue") {
      const raw = typeof trigger.options.queueName === "string" ? trigger.options.queueName : "";
      const connection = typeof trigger.options.connection === "string" ? trigger.options.connection : undefined;
      try {
        const queueName = resolveSettingReferences(raw, process.env);
        validateQueueName(queueName);
        const service = queueServiceFor(connection, process.env);
        queues.push({ registration, queueName, service });
        functions.push({ name, kind, queueName, ...(connection === undefined ? {} : { connection }) });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        emit("error", "host", `The '${name}' function is in error: ${message}`, name);
        functions.push({ name, kind, queueName: raw, error: message });
      }
    } else {
      functions.push({ name, kind });
    }
  }
  routes.sort((a, b) => comparePrecedence(a.template, b.template));

  const appHookData: Record<string, unknown> = {};
  const inFlight = new Set<Promise<unknown>>();
  const invocations = new Map<string, InvocationRecord>();
  let closing = false;

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    void promise.then(
      () => inFlight.delete(promise),
      () => inFlight.delete(promise),
    );
    return promise;
  };

  const run = (
    registration: core.RegisteredFunction,
    triggerData: core.RpcTypedData,
    invocationId: string,
    triggerMetadata: Record<string, core.RpcTypedData> = {},
  ) => {
    const name = registration.metadata.name;
    return track(
      invoke({
        invocationId,
        registration,
        triggerData,
        triggerMetadata,
        appHookData,
        log: (level, category, message) => {
          emit(level, category, message, name, invocationId);
        },
      }),
    );
  };

  // Runs a non-HTTP function in the background, keeping a record for GET /admin/invocations/{id}.
  // `done` resolves with whether the function succeeded; it never rejects.
  const runInBackground = (
    registration: core.RegisteredFunction,
    triggerData: core.RpcTypedData,
    reason: string,
    triggerMetadata: Record<string, core.RpcTypedData> = {},
  ): { id: string; done: Promise<boolean> } => {
    const id = randomUUID();
    const name = registration.metadata.name;
    const record: InvocationRecord = { id, functionName: name, status: "running", startedAt: new Date().toISOString() };
    invocations.set(id, record);
    for (const old of invocations.keys()) {
      if (invocations.size <= keptInvocationRecords) break;
      invocations.delete(old);
    }
    emit("information", "host", `Executing '${name}' (Reason='${reason}', Id=${id})`, name, id);
    const started = Date.now();
    const done = run(registration, triggerData, id, triggerMetadata).then(
      () => {
        record.status = "succeeded";
        record.endedAt = new Date().toISOString();
        emit(
          "information",
          "host",
          `Executed '${name}' (Succeeded, Id=${id}, Duration=${Date.now() - started}ms)`,
          name,
          id,
        );
        return true;
      },
      (error: unknown) => {
        record.status = "failed";
        record.error = error instanceof Error ? error.message : String(error);
        record.endedAt = new Date().toISOString();
        emit(
          "error",
          "host",
          `Executed '${name}' (Failed, Id=${id}, Duration=${Date.now() - started}ms): ${errorMessage(error)}`,
          name,
          id,
        );
        return false;
      },
    );
    return { id, done };
  };

  const timerData = (state: TimerState | undefined, isPastDue: boolean): core.RpcTypedData => {
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
        IsPastDue: isPastDue,
      }),
    };
  };

  // Azure timers are singletons: an occurrence that arrives while the previous run is still going is skipped.
  const fireTimer = (state: TimerState, reason: string) => {
    if (closing) return;
    const name = state.registration.metadata.name;
    if (state.running) {
      emit("warning", "host", `Skipping '${name}' (${reason}): the previous run is still going`, name);
      return;
    }
    state.running = true;
    const { done } = runInBackground(state.registration, timerData(state, false), reason);
    void done.finally(() => {
      state.running = false;
      state.lastRun = new Date();
    });
  };

  const findFunction = (name: string) =>
    registrations.find((r) => r.metadata.name.toLowerCase() === name.toLowerCase());

  const handleAdmin = async (
    req: http.IncomingMessage,
    segments: readonly string[],
    body: Buffer,
  ): Promise<HandlerResult> => {
    const [, area, id, ...extra] = segments;
    if (area?.toLowerCase() === "functions" && id !== undefined && extra.length === 0) {
      if (req.method !== "POST")
        throw new ProblemError(405, "Method Not Allowed", "Use POST to run a function", { Allow: "POST" });
      const registration = findFunction(id);
      if (!registration || kindOf(triggerBinding(registration).type) === "http") {
        throw new ProblemError(404, "Not Found", `No non-HTTP function named '${id}'`);
      }
      let input = "";
      if (body.length > 0) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString("utf8"));
        } catch {
          throw new ProblemError(400, "Bad Request", 'The body must be JSON like {"input": ""}');
        }
        const value = dig(parsed, ["input"]);
        input = value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);
      }
      const kind = kindOf(triggerBinding(registration).type);
      const timer = timers.find((t) => t.registration === registration);
      const data = kind === "timer" ? timerData(timer, false) : { string: input };
      const { id: invocationId } = runInBackground(registration, data, "Manual");
      return { status: 202, headers: { "x-invocation-id": invocationId }, body: Buffer.alloc(0) };
    }
    if (area?.toLowerCase() === "invocations" && id !== undefined && extra.length === 0) {
      if (req.method !== "GET") throw new ProblemError(405, "Method Not Allowed", "Use GET", { Allow: "GET" });
      const record = invocations.get(id);
      if (!record) throw new ProblemError(404, "Not Found", `No invocation with id '${id}'`);
      return {
        status: 200,
        headers: { "content-type": "application/json" },
        body: Buffer.from(JSON.stringify(record)),
      };
    }
    await Promise.resolve();
    throw new ProblemError(404, "Not Found", `No admin endpoint at ${req.url ?? ""}`);
  };

  const handleFunction = async (
    req: http.IncomingMessage,
    segments: readonly string[],
    body: Buffer,
    origin: string,
  ): Promise<HandlerResult> => {
    const method = (req.method ?? "GET").toUpperCase();
    const allowed = new Set<string>();
    for (const route of routes) {
      const params = matchRoute(route.template, segments);
      if (!params) continue;
      if (!route.methods.has(method)) {
        route.methods.forEach((m) => allowed.add(m));
        continue;
      }
      return invokeHttp(route.registration, req, params, body, origin);
    }
    if (allowed.size > 0) {
      const allow = [...allowed].sort().join(", ");
      throw new ProblemError(405, "Method Not Allowed", `${method} is not allowed here; allowed: ${allow}`, {
        Allow: allow,
      });
    }
    await Promise.resolve();
    throw new ProblemError(404, "Not Found", `No function is registered for ${method} ${req.url ?? ""}`);
  };

  const invokeHttp = async (
    registration: core.RegisteredFunction,
    req: http.IncomingMessage,
    params: Record<string, string>,
    body: Buffer,
    origin: string,
  ): Promise<HandlerResult> => {
    const headers: Record<string, string> = {};
    for (const [key, values] of Object.entries(req.headersDistinct)) {
      if (values) headers[key] = values.join(key === "cookie" ? "; " : ", ");
    }
    const invocationId = randomUUID();
    const name = registration.metadata.name;
    const started = Date.now();
    try {
      const response = await run(
        registration,
        {
          http: {
            method: req.method ?? "GET",
            url: new URL(req.url ?? "/", origin).toString(),
            headers,
            params,
            body: { bytes: body },
          },
        },
        invocationId,
      );
      emit(
        "information",
        "host",
        `Executed '${name}' (Succeeded, Id=${invocationId}, Duration=${Date.now() - started}ms)`,
        name,
        invocationId,
      );
      return toHttpResult(registration, response);
    } catch (error) {
      // Azure answers an unhandled handler error with a bare 500; the app maps its own errors before this point.
      emit(
        "error",
        "host",
        `Executed '${name}' (Failed, Id=${invocationId}, Duration=${Date.now() - started}ms): ${errorMessage(error)}`,
        name,
        invocationId,
      );
      return { status: 500, headers: {}, body: Buffer.alloc(0) };
    }
  };

  const server = http.createServer((req, res) => {
    const requestId = headerValue(req.headers["x-request-id"]) ?? randomUUID();
    const origin = originOf(req, server);
    void handleRequest(req, requestId, origin).then((result) => {
      res.statusCode = result.status;
      for (const [key, value] of Object.entries(result.headers)) res.setHeader(key, value);
      if (result.closeConnection) res.setHeader("Connection", "close");
      res.end(result.body);
    });
  });

  const problem = (error: ProblemError, requestId: string): HandlerResult => ({
    status: error.status,
    headers: { ...error.headers, "Content-Type": "application/problem+json", "X-Request-Id": requestId },
    body: Buffer.from(JSON.stringify({ title: error.title, status: error.status, detail: error.message })),
  });

  const handleRequest = async (
    req: http.IncomingMessage,
    requestId: string,
    origin: string,
  ): Promise<HandlerResult> => {
    try {
      const body = await readBody(req, maxBodyBytes);
      const rawPath = (req.url ?? "/").split("?")[0] ?? "/";
      const segments = splitPath(rawPath);
      if (!segments) throw new ProblemError(400, "Bad Request", "The path is not valid percent-encoding");
      if (segments[0]?.toLowerCase() === "admin") return await handleAdmin(req, segments, body);
      return await handleFunction(req, segments, body, origin);
    } catch (error) {
      if (error instanceof ProblemError) {
        const result = problem(error, requestId);
        // After refusing an oversized body the rest of it is not read, so the connection cannot be reused.
        return error.status === 413 ? { ...result, closeConnection: true } : result;
      }
      emit("error", "host", `Request ${req.method ?? ""} ${req.url ?? ""} failed: ${errorMessage(error)}`);
      return problem(
        new ProblemError(500, "Internal Server Error", "The local host failed to process the request"),
        requestId,
      );
    }
  };

  for (const hook of core.registeredHooks("appStart")) {
    await hook({ hookData: appHookData, appHookData, functionAppDirectory: process.cwd() });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    const onListening = () => {
      server.off("error", reject);
      resolve();
    };
    if (options.host === undefined) server.listen(options.port, onListening);
    else server.listen(options.port, options.host, onListening);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const hostName =
    options.host === undefined ? "localhost" : options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${hostName}:${port}`;

  for (const state of timers) {
    state.job = scheduleJob(state.schedule, () => {
      fireTimer(state, "Timer fired");
    });
  }
  for (const state of timers) {
    if (triggerBinding(state.registration).options.runOnStartup === true) fireTimer(state, "RunOnStartup");
  }
  if (queues.length > 0) {
    const queuesOptions = queuesOptionsOf(hostJson);
    for (const state of queues) {
      const name = state.registration.metadata.name;
      state.listener = startQueueListener({
        functionName: name,
        queueName: state.queueName,
        service: state.service,
        options: queuesOptions,
        run: (triggerData, triggerMetadata) =>
          runInBackground(
            state.registration,
            triggerData,
            `New queue message detected on '${state.queueName}'.`,
            triggerMetadata,
          ).done,
        log: (level, message) => {
          emit(level, "host", message, name);
        },
      });
    }
  }

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      for (const state of timers) state.job?.stop();
      const listeners = queues.flatMap((state) => (state.listener ? [state.listener] : []));
      await Promise.all(listeners.map((listener) => listener.stop()));
      const serverClosed = new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      server.closeIdleConnections();
      let graceTimer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<void>((resolve) => {
        graceTimer = setTimeout(resolve, graceMs);
      });
      // Queue messages are settled once their function ended and the message was deleted, released or poisoned.
      const queuesSettled = listeners.map((listener) => listener.settled());
      await Promise.race([Promise.allSettled([...inFlight, ...queuesSettled]), graceOver]);
      clearTimeout(graceTimer);
      if (inFlight.size > 0) emit("warning", "host", `Stopped with ${inFlight.size} invocation(s) still running`);
      server.closeAllConnections();
      await serverClosed;
      for (const hook of core.registeredHooks("appTerminate")) {
        try {
          await hook({ hookData: appHookData, appHookData });
        } catch (error) {
          emit("error", "host", `appTerminate hook failed: ${errorMessage(error)}`);
        }
      }
      core.setSystemLogSink(undefined);
    })();
    return closed;
  };

  return { url, functions, close };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === "" ? undefined : first;
}

function originOf(req: http.IncomingMessage, server: http.Server): string {
  const host = req.headers.host;
  if (host && URL.canParse(`http://${host}`)) return `http://${host}`;
  const address = server.address();
  return `http://localhost:${typeof address === "object" && address ? address.port : 80}`;
}

async function readBody(req: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new ProblemError(413, "Payload Too Large", `The request body exceeds ${maxBytes} bytes`);
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function toHttpResult(registration: core.RegisteredFunction, response: core.RpcInvocationResponse): HandlerResult {
  // The HTTP output is the return value unless the app bound a named http output instead.
  let data: core.RpcTypedData | null | undefined;
  for (const [name, binding] of Object.entries(registration.metadata.bindings)) {
    if (binding.direction !== "out" || binding.type?.toLowerCase() !== "http") continue;
    data = name === "$return" ? response.returnValue : response.outputData?.find((o) => o.name === name)?.data;
    break;
  }
  const httpData = data?.http;
  // A handler that returns nothing gets an empty 200, as the Functions host does.
  if (!httpData) return { status: 200, headers: {}, body: Buffer.alloc(0) };
  const headers: Record<string, string | string[]> = { ...(httpData.headers ?? {}) };
  const cookies = (httpData.cookies ?? []).map(serializeCookie);
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  return { status: Number(httpData.statusCode ?? "200") || 200, headers, body: typedDataToBuffer(httpData.body) };
}

function typedDataToBuffer(data: core.RpcTypedData | null | undefined): Buffer {
  if (!data) return Buffer.alloc(0);
  if (data.bytes) return Buffer.from(data.bytes);
  if (data.string !== undefined && data.string !== null) return Buffer.from(data.string);
  if (data.json !== undefined && data.json !== null) return Buffer.from(data.json);
  return Buffer.alloc(0);
}

function serializeCookie(cookie: core.RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ""}=${cookie.value ?? ""}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const seconds = cookie.expires?.value?.seconds;
  if (typeof seconds === "number") parts.push(`Expires=${new Date(seconds * 1000).toUTCString()}`);
  if (typeof cookie.maxAge?.value === "number") parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push("Secure");
  if (cookie.httpOnly?.value) parts.push("HttpOnly");
  const sameSite = { lax: "Lax", strict: "Strict", explicitNone: "None", none: undefined }[cookie.sameSite ?? "none"];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join("; ");
}
