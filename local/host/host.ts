// A local Azure Functions host: loads the compiled app, reads what it registered through `@azure/functions-core`,
// and serves those registrations over node:http (HTTP triggers), croner (timer triggers) and queue polling (queue
// triggers). Core Tools cannot be installed on this machine; see docs/adr/0003-local-functions-host.md and
// docs/adr/0011-local-queue-triggers.md for what this host does and does not mimic.
//
// startHost runs these steps in order: loadApp → planFunctions → appStart hooks → listen → startTriggers; close()
// runs stopTriggers → drain → closeServer → appTerminate hooks.
import http from "node:http";
import Module from "node:module";
import path from "node:path";
import type { QueueServiceClient } from "@azure/storage-queue";
import * as core from "./functions-core";
import { queuesOptionsOf, readHostJson, routePrefixOf, type HostJson } from "./host-json";
import { createRequestListener, type CorsPolicy, type HttpRoute, type LocalPages } from "./http-server";
import { Invocations } from "./invocations";
import { triggerBinding } from "./invoke";
import { defaultLog, emitterFor, errorMessage, type Emit, type HostLog } from "./log";
import {
  queueServiceFor,
  resolveSettingReferences,
  holdSecondsOf,
  startQueueListener,
  validateQueueName,
  type QueueListener,
} from "./queue-trigger";
import { comparePrecedence, parseRouteTemplate } from "./route-template";
import { startTimers, type TimerFunction, type Timers } from "./timer-trigger";
import { resolveSchedule, validateSchedule } from "./timer-schedule";

export type { HostLogEntry } from "./log";
export type { InvocationRecord, InvocationStatus } from "./invocations";
export type { CorsPolicy } from "./http-server";

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
  /** Set when the host refused to schedule or poll the function (e.g. unresolved `%SETTING%`). */
  readonly error?: string;
  /** `AzureWebJobs.<name>.Disabled` is true: no route, no schedule, no polling; an admin run still works. */
  readonly disabled?: true;
}

export interface HostOptions {
  readonly port: number;
  /** The address to listen on; 127.0.0.1 unless widened (e.g. "0.0.0.0" to be reachable from other machines). */
  readonly host?: string;
  /** Path of the compiled app entry point, e.g. dist/functions/index.js. */
  readonly appMain: string;
  readonly hostJsonPath?: string;
  /** Merged into process.env before the app is required: the app reads its config at import. */
  readonly env?: Record<string, string>;
  /** Where log lines go; defaults to stdout (stderr for warnings and errors). */
  readonly log?: HostLog;
  /** Defaults to the app's MAX_BODY_BYTES setting, or Azure's front-end limit of 100 MB when the app has none. */
  readonly maxRequestBodyBytes?: number;
  /** How long close() waits for running invocations before giving up on them. */
  readonly shutdownGraceMs?: number;
  /** `Host.CORS` of local.settings.json; no CORS headers when absent. */
  readonly cors?: CorsPolicy;
  /** Pages the host serves itself (GET /docs). */
  readonly localPages?: LocalPages;
}

export interface RunningHost {
  readonly url: string;
  readonly functions: readonly HostFunction[];
  close(): Promise<void>;
}

/** A start-up failure that one line explains (busy port, unsupported route): no stack trace needed. */
export class HostStartError extends Error {
  override readonly name = "HostStartError";
}

const azureMaxBodyBytes = 100 * 1024 * 1024;
const defaultBindAddress = "127.0.0.1";
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

interface QueueFunction {
  readonly registration: core.RegisteredFunction;
  readonly queueName: string;
  readonly service: QueueServiceClient;
}

/** What the app registered, sorted by trigger, with the functions the host refused marked in error. */
interface FunctionPlan {
  readonly routes: HttpRoute[];
  readonly timers: TimerFunction[];
  readonly queues: QueueFunction[];
  readonly functions: HostFunction[];
}

interface Triggers {
  readonly timers: Timers;
  readonly queues: readonly QueueListener[];
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const emit = emitterFor(options.log ?? defaultLog);
  Object.assign(process.env, options.env ?? {});
  core.setSystemLogSink((level, category, message) => {
    emit({ level, category, message });
  });
  await loadApp(options.appMain);
  const hostJson = readHostJson(options.hostJsonPath ?? path.resolve("host.json"), process.env);
  const plan = planFunctions(core.registeredFunctions(), hostJson, emit);
  const appHookData: Record<string, unknown> = {};
  const invocations = new Invocations(emit, appHookData);
  for (const hook of core.registeredHooks("appStart")) {
    await hook({ hookData: appHookData, appHookData, functionAppDirectory: process.cwd() });
  }

  // Set once listening: admin runs of a timer pass its schedule status.
  const running: { triggers?: Triggers } = {};
  const server: http.Server = http.createServer(
    createRequestListener(
      {
        routes: plan.routes,
        invocations,
        emit,
        maxBodyBytes: options.maxRequestBodyBytes ?? appBodyLimits(process.env).json ?? azureMaxBodyBytes,
        maxFormBodyBytes: options.maxRequestBodyBytes === undefined ? appBodyLimits(process.env).form : undefined,
        cors: options.cors,
        admin: {
          runNow: (name, input) => runNow(invocations, running.triggers, name, input),
          invocation: (id) => invocations.record(id),
        },
        ...(options.localPages ? { localPages: options.localPages } : {}),
      },
      (req) => originOf(req, server),
    ),
  );
  const url = await listen(server, options.host ?? defaultBindAddress, options.port);
  const started = startTriggers(plan, invocations, hostJson, emit);
  running.triggers = started;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= stop(server, started, invocations, options.shutdownGraceMs ?? 10_000, appHookData, emit);
    return closed;
  };
  return { url, functions: plan.functions, close };
}

async function loadApp(appMainOption: string): Promise<void> {
  installCoreModuleResolution();
  const appMain = path.resolve(appMainOption);
  try {
    // Compiles to require() under commonjs, so under jest it goes through jest's registry and moduleNameMapper.
    await import(appMain);
  } catch (error) {
    throw new Error(`Failed to load the function app ${appMain}`, { cause: error });
  }
  if (!core.hasProgrammingModel()) {
    throw new Error(`${appMain} registered no functions through @azure/functions`);
  }
  // The worker asks for capabilities once the app is loaded; the library locks app.setup() at that point.
  const capabilities = (await core.getProgrammingModel().getCapabilities?.({})) ?? {};
  if (capabilities.HttpUri) {
    throw new HostStartError("app.setup({ enableHttpStream: true }) is not supported by the local host");
  }
}

function kindOf(triggerType: string): FunctionKind {
  const type = triggerType.toLowerCase();
  if (type === "httptrigger") return "http";
  if (type === "timertrigger") return "timer";
  if (type === "queuetrigger") return "queue";
  return "other";
}

/**
 * Azure's switch for one function, the app setting `AzureWebJobs.<name>.Disabled` (true or 1): the runtime ignores
 * the function's trigger (an HTTP function answers 404, a timer never fires, a queue is not polled), while an admin
 * run (POST /admin/functions/{name}) still runs it.
 */
export function isDisabled(name: string, settings: NodeJS.ProcessEnv): boolean {
  const value = settings[`AzureWebJobs.${name}.Disabled`]?.trim().toLowerCase();
  return value === "true" || value === "1";
}

function planFunctions(registrations: readonly core.RegisteredFunction[], hostJson: HostJson, emit: Emit) {
  const plan: FunctionPlan = { routes: [], timers: [], queues: [], functions: [] };
  const routePrefix = routePrefixOf(hostJson);
  for (const registration of registrations) {
    const name = registration.metadata.name;
    const { type, options } = triggerBinding(registration);
    const kind = kindOf(type);
    const setting = (key: string) => (typeof options[key] === "string" ? options[key] : undefined);
    if (isDisabled(name, process.env)) {
      plan.functions.push({ name, kind, disabled: true });
      continue;
    }
    try {
      if (kind === "http") {
        const route = [routePrefix, (setting("route") ?? name).replace(/^\/+/, "")].filter((s) => s !== "").join("/");
        const rawMethods = Array.isArray(options.methods) ? (options.methods as unknown[]) : ["GET", "POST"];
        const methods = rawMethods.map((m) => String(m).toUpperCase());
        plan.routes.push({ registration, template: parseHttpRoute(name, route), methods: new Set(methods) });
        plan.functions.push({ name, kind, route, methods });
      } else if (kind === "timer") {
        const runOnStartup = options.runOnStartup === true;
        const schedule = resolveSchedule(setting("schedule") ?? "", process.env);
        validateSchedule(schedule);
        plan.timers.push({ registration, schedule, runOnStartup });
        plan.functions.push({ name, kind, schedule, runOnStartup });
      } else if (kind === "queue") {
        const connection = setting("connection");
        const queueName = resolveSettingReferences(setting("queueName") ?? "", process.env);
        validateQueueName(queueName);
        const service = queueServiceFor(connection, process.env);
        plan.queues.push({ registration, queueName, service });
        plan.functions.push({ name, kind, queueName, ...(connection === undefined ? {} : { connection }) });
      } else {
        plan.functions.push({ name, kind });
      }
    } catch (error) {
      if (error instanceof HostStartError) throw error;
      // Azure marks such a function as in error and keeps the others running.
      const message = error instanceof Error ? error.message : String(error);
      emit({
        level: "error",
        category: "host",
        functionName: name,
        message: `The '${name}' function is in error: ${message}`,
      });
      const detail =
        kind === "timer" ? { schedule: setting("schedule") ?? "" } : { queueName: setting("queueName") ?? "" };
      plan.functions.push({ name, kind, ...detail, error: message });
    }
  }
  plan.routes.sort((a, b) => comparePrecedence(a.template, b.template));
  return plan;
}

function parseHttpRoute(functionName: string, route: string) {
  try {
    return parseRouteTemplate(route);
  } catch (error) {
    throw new HostStartError(`Function '${functionName}': ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The largest bodies the app accepts: its JSON limit (MAX_BODY_BYTES) and, for the multipart bodies of its massive
 * upload, its ZIP limit (UPLOAD_MAX_ZIP_BYTES) plus room for the multipart framing. A body the app would refuse is
 * never buffered beyond its limit.
 */
function appBodyLimits(env: NodeJS.ProcessEnv): { json?: number; form?: number } {
  const bytes = (name: string) => {
    const value = env[name]?.trim();
    return value !== undefined && /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : undefined;
  };
  const json = bytes("MAX_BODY_BYTES");
  const zip = bytes("UPLOAD_MAX_ZIP_BYTES");
  return {
    ...(json === undefined ? {} : { json }),
    ...(zip === undefined ? {} : { form: Math.max(json ?? 0, zip + 64 * 1024) }),
  };
}

function runNow(
  invocations: Invocations,
  triggers: Triggers | undefined,
  name: string,
  input: string,
): string | undefined {
  const registration = core.registeredFunctions().find((r) => r.metadata.name.toLowerCase() === name.toLowerCase());
  if (!registration) return undefined;
  const kind = kindOf(triggerBinding(registration).type);
  if (kind === "http") return undefined;
  const data = kind === "timer" && triggers ? triggers.timers.timerData(registration) : { string: input };
  return invocations.runInBackground(registration, data, { reason: "Manual" }).id;
}

async function listen(server: http.Server, address: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (error.code === "EADDRINUSE") {
        reject(
          new HostStartError(
            `Port ${port} on ${address} is already in use: stop what listens there or pick another port`,
          ),
        );
      } else if (error.code === "EADDRNOTAVAIL") {
        reject(new HostStartError(`Cannot listen on ${address}: no such address on this machine`));
      } else {
        reject(error);
      }
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, address);
  });
  const bound = server.address();
  const actualPort = typeof bound === "object" && bound ? bound.port : port;
  const wildcard = address === "0.0.0.0" || address === "::";
  const hostName = wildcard ? "localhost" : address.includes(":") ? `[${address}]` : address;
  return `http://${hostName}:${actualPort}`;
}

function startTriggers(plan: FunctionPlan, invocations: Invocations, hostJson: HostJson, emit: Emit): Triggers {
  const timers = startTimers(plan.timers, invocations, emit);
  const queuesOptions = plan.queues.length > 0 ? queuesOptionsOf(hostJson) : undefined;
  const holdSeconds = plan.queues.length > 0 ? holdSecondsOf(process.env) : undefined;
  const queues = plan.queues.flatMap(({ registration, queueName, service }) => {
    if (!queuesOptions) return [];
    const functionName = registration.metadata.name;
    const reason = `New queue message detected on '${queueName}'.`;
    return [
      startQueueListener({
        functionName,
        queueName,
        service,
        options: queuesOptions,
        holdSeconds,
        run: (triggerData, triggerMetadata) =>
          invocations.runInBackground(registration, triggerData, { reason, triggerMetadata }).done,
        log: (level, message) => {
          emit({ level, category: "host", functionName, message });
        },
      }),
    ];
  });
  return { timers, queues };
}

async function stop(
  server: http.Server,
  triggers: Triggers,
  invocations: Invocations,
  graceMs: number,
  appHookData: Record<string, unknown>,
  emit: Emit,
): Promise<void> {
  triggers.timers.stop();
  await Promise.all(triggers.queues.map((listener) => listener.stop()));
  // A queue message is done once its function ended and the message was deleted, released or poisoned.
  for (const listener of triggers.queues) void invocations.track(listener.settled());
  const serverClosed = new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  server.closeIdleConnections();
  const stillRunning = await invocations.drain(graceMs);
  if (stillRunning > 0) {
    emit({ level: "warning", category: "host", message: `Stopped with ${stillRunning} invocation(s) still running` });
  }
  server.closeAllConnections();
  await serverClosed;
  for (const hook of core.registeredHooks("appTerminate")) {
    try {
      await hook({ hookData: appHookData, appHookData });
    } catch (error) {
      emit({ level: "error", category: "host", message: `appTerminate hook failed: ${errorMessage(error)}` });
    }
  }
  core.setSystemLogSink(undefined);
}

function originOf(req: http.IncomingMessage, server: http.Server): string {
  const host = req.headers.host;
  if (host && URL.canParse(`http://${host}`)) return `http://${host}`;
  const address = server.address();
  return `http://localhost:${typeof address === "object" && address ? address.port : 80}`;
}
