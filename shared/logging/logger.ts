// One logging shape for handlers, jobs and use cases. In functions it writes through the InvocationContext (so the
// host and Application Insights see it); every line carries the request id or the job run id.
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface LogSink {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export type LogLevel = "debug" | "info" | "warn" | "error";
const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

// The LOG_LEVEL setting, applied once by the composition root. A process-wide value on purpose: the level is
// configuration of the process, like the host's own log level, and every logger of every invocation follows it.
let minimum: LogLevel = "info";

export function configureLogging(level: LogLevel): void {
  minimum = level;
}

/** A logger that prefixes every line with a correlation field, e.g. `requestId=…`, and drops lines below LOG_LEVEL. */
export function correlatedLogger(sink: LogSink, field: string, value: string): Logger {
  const line = (message: string, data?: Record<string, unknown>) =>
    data === undefined ? `[${field}=${value}] ${message}` : `[${field}=${value}] ${message} ${JSON.stringify(data)}`;
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
