// One logging shape for handlers, jobs and use cases. In functions it writes through the InvocationContext (so the
// host and Application Insights see it); every line carries the request id or the job run id. LOG_FORMAT=json writes
// each line as one JSON object ({requestId, message, ...data}), so the same fields can be queried in Application
// Insights (parse_json(message)) as in a local log file; the level travels as the line's severity.
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** A logger that drops every line: for use cases run where nobody reads their log (bench, tests). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface LogSink {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "text" | "json";
const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

// The LOG_LEVEL setting, applied once by the composition root. A process-wide value on purpose: the level is
// configuration of the process, like the host's own log level, and every logger of every invocation follows it.
let minimum: LogLevel = "info";
let format: LogFormat = "text";

export function configureLogging(level: LogLevel, lineFormat: LogFormat = "text"): void {
  minimum = level;
  format = lineFormat;
}

/** A logger that prefixes every line with a correlation field, e.g. `requestId=…`, and drops lines below LOG_LEVEL. */
export function correlatedLogger(sink: LogSink, field: string, value: string): Logger {
  const line = (message: string, data?: Record<string, unknown>) => {
    if (format === "json") return JSON.stringify({ ...data, [field]: value, message });
    return data === undefined
      ? `[${field}=${value}] ${message}`
      : `[${field}=${value}] ${message} ${JSON.stringify(data)}`;
  };
  const write = (level: LogLevel, message: string, data?: Record<string, unknown>) => {
    if (rank[level] >= rank[minimum]) sink[level](line(message, data));
  };
  return {
    debug: (m, d) => {
      write("debug", m, d);
    },
    info: (m, d) => {
      write("info", m, d);
    },
    warn: (m, d) => {
      write("warn", m, d);
    },
    error: (m, d) => {
      write("error", m, d);
    },
  };
}
