// The local host's log lines: the app's context.log lines, the host's own lines (start-up, one line per HTTP request,
// background runs) and their format. LOG_LEVEL (the app's setting) quiets the host too, as host.json's logLevel
// would; LOG_FORMAT=json writes one JSON object per line with the same fields the app's logger writes.
import type { RpcLogCategory, RpcLogLevel } from "./functions-core";

export interface HostLogEntry {
  readonly timestamp: string;
  readonly level: RpcLogLevel;
  readonly category: RpcLogCategory | "host";
  readonly functionName?: string;
  readonly invocationId?: string;
  readonly message: string;
  /** Structured fields (method, path, status, durationMs, requestId …), written as is in JSON lines. */
  readonly fields?: Readonly<Record<string, string | number>>;
}

export type HostLog = (entry: HostLogEntry) => void;
export type Emit = (entry: Omit<HostLogEntry, "timestamp">) => void;

const hostLevelRank: Record<string, number> = { trace: 0, debug: 1, information: 2, warning: 3, error: 4, critical: 5 };
const settingRank: Record<string, number> = { debug: 1, info: 2, warn: 3, error: 4 };

export function formatLogLine(entry: HostLogEntry, format: "text" | "json"): string {
  if (format === "json") {
    const { fields, ...rest } = entry;
    return JSON.stringify({ ...rest, ...fields });
  }
  const id = entry.invocationId ? ` (${entry.invocationId})` : "";
  const who = entry.functionName ? ` ${entry.functionName}${id}` : "";
  return `${entry.timestamp} [${entry.level}]${who} ${entry.message}`;
}

/** Writes to stdout, warnings and errors to stderr, honouring LOG_LEVEL and LOG_FORMAT at each line. */
export function defaultLog(entry: HostLogEntry): void {
  const minimum = settingRank[process.env.LOG_LEVEL ?? "info"] ?? 2;
  if ((hostLevelRank[entry.level] ?? 2) < minimum) return;
  const format = process.env.LOG_FORMAT?.trim().toLowerCase() === "json" ? "json" : "text";
  const toStderr = entry.level === "error" || entry.level === "critical" || entry.level === "warning";
  (toStderr ? process.stderr : process.stdout).write(`${formatLogLine(entry, format)}\n`);
}

export function emitterFor(log: HostLog): Emit {
  return (entry) => {
    if (entry.level === "none") return;
    log({ timestamp: new Date().toISOString(), ...entry });
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
