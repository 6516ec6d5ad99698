// LOG_FORMAT=json: the app's logger and the local host write one JSON object per line with the same field names.
import { formatLogLine } from "../../../local/host/log";
import { configureLogging, correlatedLogger, type LogSink } from "../../../shared/logging/logger";

function recordingSink(): LogSink & { lines: [string, unknown][] } {
  const lines: [string, unknown][] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) => {
      lines.push([level, args[0]]);
    };
  return { lines, debug: record("debug"), info: record("info"), warn: record("warn"), error: record("error") };
}

afterEach(() => {
  configureLogging("info", "text");
});

test("text lines carry the correlation field in front", () => {
  const sink = recordingSink();
  correlatedLogger(sink, "requestId", "r-1").info("created", { iupd: "A" });
  expect(sink.lines).toEqual([["info", '[requestId=r-1] created {"iupd":"A"}']]);
});

test("json lines are one object with the correlation field, the message and the data", () => {
  configureLogging("debug", "json");
  const sink = recordingSink();
  const log = correlatedLogger(sink, "requestId", "r-2");
  log.warn("slow store", { durationMs: 1200 });
  log.debug("plain");
  expect(sink.lines.map(([level, line]): [string, unknown] => [level, JSON.parse(String(line))])).toEqual([
    ["warn", { requestId: "r-2", message: "slow store", durationMs: 1200 }],
    ["debug", { requestId: "r-2", message: "plain" }],
  ]);
});

test("data cannot overwrite the correlation field or the message", () => {
  configureLogging("info", "json");
  const sink = recordingSink();
  correlatedLogger(sink, "requestId", "r-3").info("real", { requestId: "forged", message: "forged" });
  expect(JSON.parse(String(sink.lines[0]?.[1]))).toEqual({ requestId: "r-3", message: "real" });
});

test("the local host's request line has the same field names in json", () => {
  const entry = {
    timestamp: "2026-11-30T10:00:00.000Z",
    level: "information" as const,
    category: "host" as const,
    functionName: "getInfo",
    invocationId: "inv-1",
    message: "GET /info 200 3ms requestId=r-4",
    fields: { method: "GET", path: "/info", status: 200, durationMs: 3, requestId: "r-4" },
  };
  expect(JSON.parse(formatLogLine(entry, "json"))).toEqual({
    timestamp: "2026-11-30T10:00:00.000Z",
    level: "information",
    category: "host",
    functionName: "getInfo",
    invocationId: "inv-1",
    message: "GET /info 200 3ms requestId=r-4",
    method: "GET",
    path: "/info",
    status: 200,
    durationMs: 3,
    requestId: "r-4",
  });
  expect(formatLogLine(entry, "text")).toBe(
    "2026-11-30T10:00:00.000Z [information] getInfo (inv-1) GET /info 200 3ms requestId=r-4",
  );
});
