// host.json as the Functions host reads it: the file, then app settings named `AzureFunctionsJobHost__a__b` that
// override `a.b` (how Azure lets an environment change host.json without a new package). Only the sections the local
// host uses are interpreted here: `extensions.http.routePrefix` and `extensions.queues`.
import { readFileSync } from "node:fs";

const overridePrefix = "azurefunctionsjobhost__";
const defaultRoutePrefix = "api";

export type HostJson = Record<string, unknown>;

/** The parsed file (empty when there is none) with the environment's overrides applied. */
export function readHostJson(hostJsonPath: string | undefined, env: NodeJS.ProcessEnv): HostJson {
  let parsed: unknown = {};
  if (hostJsonPath !== undefined) {
    let text: string | undefined;
    try {
      text = readFileSync(hostJsonPath, "utf8");
    } catch {
      text = undefined;
    }
    if (text !== undefined) parsed = JSON.parse(text);
  }
  const root: HostJson = isRecord(parsed) ? parsed : {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.toLowerCase().startsWith(overridePrefix)) continue;
    const keys = name.slice(overridePrefix.length).split("__");
    setPath(root, keys, value);
  }
  return root;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// host.json keys are case-insensitive for the host, so an override lands on the existing key whatever its case.
function setPath(root: Record<string, unknown>, keys: readonly string[], value: string): void {
  let current = root;
  keys.forEach((key, index) => {
    const existing = Object.keys(current).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
    if (index === keys.length - 1) {
      current[existing] = value;
      return;
    }
    const next = current[existing];
    if (!isRecord(next)) current[existing] = {};
    current = current[existing] as Record<string, unknown>;
  });
}

/** Case-insensitive lookup of a nested key. */
export function hostJsonValue(hostJson: HostJson, keys: readonly string[]): unknown {
  let current: unknown = hostJson;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    const found = Object.keys(current).find((k) => k.toLowerCase() === key.toLowerCase());
    if (found === undefined) return undefined;
    current = current[found];
  }
  return current;
}

/** `extensions.http.routePrefix`; "api" when absent, like Azure. */
export function routePrefixOf(hostJson: HostJson): string {
  const prefix = hostJsonValue(hostJson, ["extensions", "http", "routePrefix"]);
  return typeof prefix === "string" ? prefix.replace(/^\/+|\/+$/g, "") : defaultRoutePrefix;
}

export interface QueuesOptions {
  readonly batchSize: number;
  readonly newBatchThreshold: number;
  readonly maxPollingIntervalMs: number;
  readonly visibilityTimeoutMs: number;
  readonly maxDequeueCount: number;
  readonly messageEncoding: "base64" | "none";
}

const timeSpanPattern = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

/** A .NET TimeSpan ("[d.]hh:mm:ss[.fff]") in milliseconds; numbers are taken as milliseconds, as the host does. */
export function timeSpanMs(value: unknown, setting: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  const match = typeof value === "string" ? timeSpanPattern.exec(value.trim()) : null;
  if (!match) throw new Error(`host.json ${setting} must be a TimeSpan like "00:00:30", got ${JSON.stringify(value)}`);
  const [, days = "0", hours = "0", minutes = "0", seconds = "0", fraction = ""] = match;
  const wholeSeconds = ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
  return wholeSeconds * 1000 + Math.round(Number(`0.${fraction || "0"}`) * 1000);
}

function wholeNumber(value: unknown, setting: string, min: number, max: number): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
    throw new Error(`host.json ${setting} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * `extensions.queues` with the Storage Queues extension's defaults (v5): batchSize 16 (at most 32), newBatchThreshold
 * batchSize / 2 (one vCPU, as on our Flex Consumption instances), maxPollingInterval 1 minute (at least 100 ms),
 * visibilityTimeout 0, maxDequeueCount 5, messageEncoding base64.
 */
export function queuesOptionsOf(hostJson: HostJson): QueuesOptions {
  const get = (key: string) => hostJsonValue(hostJson, ["extensions", "queues", key]);
  const batchSize = get("batchSize") === undefined ? 16 : wholeNumber(get("batchSize"), "queues.batchSize", 1, 32);
  const threshold = get("newBatchThreshold");
  const newBatchThreshold =
    threshold === undefined ? Math.floor(batchSize / 2) : wholeNumber(threshold, "queues.newBatchThreshold", 0, 1000);
  const polling = get("maxPollingInterval");
  const maxPollingIntervalMs = polling === undefined ? 60_000 : timeSpanMs(polling, "queues.maxPollingInterval");
  if (maxPollingIntervalMs < 100) throw new Error("host.json queues.maxPollingInterval must be at least 00:00:00.100");
  const visibility = get("visibilityTimeout");
  const visibilityTimeoutMs = visibility === undefined ? 0 : timeSpanMs(visibility, "queues.visibilityTimeout");
  const dequeue = get("maxDequeueCount");
  const maxDequeueCount = dequeue === undefined ? 5 : wholeNumber(dequeue, "queues.maxDequeueCount", 1, 1000);
  const encoding = get("messageEncoding");
  const normalized = typeof encoding === "string" ? encoding.toLowerCase() : encoding;
  if (normalized !== undefined && normalized !== "base64" && normalized !== "none") {
    throw new Error(`host.json queues.messageEncoding must be "base64" or "none", got ${JSON.stringify(encoding)}`);
  }
  return {
    batchSize,
    newBatchThreshold,
    maxPollingIntervalMs,
    visibilityTimeoutMs,
    maxDequeueCount,
    messageEncoding: normalized ?? "base64",
  };
}
