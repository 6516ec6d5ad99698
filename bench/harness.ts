// The bench harness (`npm run bench`): starts its own local stack, runs every case with its baseline side by side in
// the same run, and prints one table of ratios. Numbers are measurements of this run on this machine, nothing else.
import { randomUUID } from "node:crypto";
import type { CosmosClient } from "@azure/cosmos";
import type { BlobServiceClient } from "@azure/storage-blob";
import autocannon from "autocannon";
import type { Dependencies } from "../functions/dependencies";
import type { Config } from "../shared/config/config";
import type { RoundTripCounter } from "./round-trips";

export interface BenchRow {
  case: string;
  metric: string;
  subject: number;
  /** The same work done the baseline way (SDK directly, handler in-process, raw writes…), when there is one. */
  baseline?: number | undefined;
  /**
   * For HTTP cases: the same use case called in-process against the same emulator, which tells the app's own cost
   * (in-process vs baseline) apart from the local host's (subject vs in-process).
   */
  inProcess?: number | undefined;
  unit: string;
  note?: string | undefined;
}

export interface BenchContext {
  /** The local host running the compiled app, with the stack's settings. */
  baseUrl: string;
  config: Config;
  /** A key bound to `organization` for every product. */
  key: string;
  organization: string;
  /** Another registered organization, for cases that need a clean partition. */
  freshOrganization(): Promise<{ fiscalCode: string; key: string }>;
  /** In-process dependencies whose Cosmos client counts network round trips in `roundTrips`. */
  deps: Dependencies;
  roundTrips: RoundTripCounter;
  /** A plain SDK client on the same emulator, for baselines. */
  cosmos: CosmosClient;
  blobService: BlobServiceClient;
  /** Scale knob: 1 by default, lower with BENCH_SCALE=0.2 for a quick run. */
  scale: number;
}

export interface BenchCase {
  name: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

export interface LoadResult {
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
}

/** Closed-loop HTTP load against the host (autocannon), bounded in time. */
export async function httpLoad(options: {
  url: string;
  method?: "GET" | "POST" | "PUT" | "DELETE";
  headers?: Record<string, string>;
  body?: string;
  /** Per-request path and body, for loads that must not repeat themselves (creates, updates of many positions). */
  vary?: (i: number) => { path?: string; body?: string };
  connections?: number;
  durationSeconds?: number;
}): Promise<LoadResult> {
  let i = 0;
  const vary = options.vary;
  const result = await autocannon({
    url: options.url,
    method: options.method ?? "GET",
    headers: options.headers,
    connections: options.connections ?? 10,
    duration: options.durationSeconds ?? 5,
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(vary !== undefined
      ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, ...vary(i++) }) }] }
      : {}),
  });
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, non2xx: result.non2xx };
}

/** The same measurement for an in-process async operation: `connections` concurrent loops for a fixed time. */
export async function inProcessLoad(
  operation: (i: number) => Promise<unknown>,
  options: { connections?: number; durationSeconds?: number } = {},
): Promise<LoadResult> {
  const connections = options.connections ?? 10;
  const until = Date.now() + (options.durationSeconds ?? 5) * 1000;
  const latencies: number[] = [];
  let i = 0;
  let failures = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) {
        const t0 = performance.now();
        try {
          await operation(i++);
        } catch {
          failures += 1;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / seconds,
    p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0,
    non2xx: failures,
  };
}

/**
 * Two in-process loads side by side, in the order A B B A, each run half as long and each side's halves averaged (p99:
 * the worse half), so that a store slowing down or warming up during the measurement weighs on both sides alike.
 * Each operation sees its own running index across its halves.
 */
export async function inProcessPair(
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
  options: { connections?: number; durationSeconds?: number } = {},
): Promise<[LoadResult, LoadResult]> {
  const half = { ...options, durationSeconds: (options.durationSeconds ?? 5) / 2 };
  const indexed = (operation: (i: number) => Promise<unknown>) => {
    let next = 0;
    return () => operation(next++);
  };
  const [runA, runB] = [indexed(a), indexed(b)];
  const a1 = await inProcessLoad(runA, half);
  const b1 = await inProcessLoad(runB, half);
  const b2 = await inProcessLoad(runB, half);
  const a2 = await inProcessLoad(runA, half);
  const merge = (x: LoadResult, y: LoadResult): LoadResult => ({
    requestsPerSecond: (x.requestsPerSecond + y.requestsPerSecond) / 2,
    p99Ms: Math.max(x.p99Ms, y.p99Ms),
    non2xx: x.non2xx + y.non2xx,
  });
  return [merge(a1, a2), merge(b1, b2)];
}

/** Counts the Cosmos round trips of one operation (warm: run it once before counting if caches matter). */
export async function countRoundTrips(counter: RoundTripCounter, operation: () => Promise<unknown>): Promise<number> {
  counter.reset();
  await operation();
  return counter.count;
}

export const uniqueSuffix = (): string => randomUUID().slice(0, 8);

export function formatTable(rows: readonly BenchRow[]): string {
  const header = [
    "case",
    "metric",
    "subject",
    "in-process",
    "baseline",
    "in-proc/base",
    "subject/base",
    "unit",
    "note",
  ];
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || b === 0 ? "-" : `${(a / b).toFixed(2)}x`;
  const lines = rows.map((r) => [
    r.case,
    r.metric,
    format(r.subject),
    r.inProcess === undefined ? "-" : format(r.inProcess),
    r.baseline === undefined ? "-" : format(r.baseline),
    ratio(r.inProcess, r.baseline),
    ratio(r.subject, r.baseline),
    r.unit,
    r.note ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [render(header), render(widths.map((w) => "-".repeat(w))), ...lines.map(render)].join("\n");
}

const format = (n: number): string => (Number.isInteger(n) ? String(n) : n >= 100 ? n.toFixed(0) : n.toFixed(2));
