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

/** A logger that prefixes every line with a correlation field, e.g. `requestId=…`. */
export function correlatedLogger(sink: LogSink, field: string, value: string): Logger {
  const line = (message: string, data?: Record<string, unknown>) =>
    data === undefined ? `[${field}=${value}] ${message}` : `[${field}=${value}] ${message} ${JSON.stringify(data)}`;
  return {
    debug: (m, d) => {
      sink.debug(line(m, d));
    },
    info: (m, d) => {
      sink.info(line(m, d));
    },
    warn: (m, d) => {
      sink.warn(line(m, d));
    },
    error: (m, d) => {
      sink.error(line(m, d));
    },
  };
}
