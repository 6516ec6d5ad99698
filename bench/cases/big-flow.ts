// The 50,000-entry reporting flow through the job, end to end (docs/adr/0066-big-flows-yield.md): the flow is put in
// the flows inbox and ingestReportingFlows runs in a process of its own (bench/flow-worker.ts), so its event loop and
// memory are measured without the emulator, which runs in this process. One entry in 25 settles a seeded PAID
// position (lookups, conditional writes, events); the rest name unknown IUVs, which makes the per-flow result as
// large as it gets (one line per entry not applied). Rows: entries/s, RSS growth, the longest event-loop stall and the
// CPU the worker used during its busiest stall, against the goal of 100 ms.
import { execFile } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { claimDocuments, toDocument } from "../../shared/adapters/cosmos/debt-position-document";
import { blobContainers, containers } from "../../shared/storage/definition";
import type { BenchCase, BenchContext, BenchRow } from "../harness";
import { aPaidPosition, flowXml, inParallel } from "./reporting-flows";

const CASE = "big-flow";
const GOAL_MS = 100;

interface WorkerResult {
  seconds: number;
  examined: number;
  accepted: number;
  rssGrowthMiB: number;
  stallMs: number;
  stallCpuMs: number;
}

async function jobInOwnProcess(ctx: BenchContext): Promise<WorkerResult> {
  const worker = path.join(__dirname, "../flow-worker.js");
  const settings: Record<string, string> = {
    ...(process.env as Record<string, string>),
    COSMOS_ENDPOINT: ctx.config.cosmos.endpoint,
    COSMOS_KEY: ctx.config.cosmos.key ?? "",
    COSMOS_DATABASE: ctx.config.cosmos.database,
    STORAGE_CONNECTION_STRING: ctx.config.storage.connectionString ?? "",
    STORAGE_BLOB_URL: "",
    GPD_ENVIRONMENT: ctx.config.environment,
    // The emulator answers a query of a hundred ids by scanning the partition; on a loaded machine that outlasts the
    // production timeout of 4 s (the test stack uses the same allowance).
    COSMOS_REQUEST_TIMEOUT_MS: "30000",
  };
  const { stdout } = await promisify(execFile)(process.execPath, [worker], { env: settings, maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout) as WorkerResult;
}

export const bigFlowBench: BenchCase = {
  name: CASE,
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const entries = Math.max(1_000, Math.round(50_000 * ctx.scale));
    const known = Math.round(entries / 25);
    const { fiscalCode: org } = await ctx.freshOrganization();
    const base = String(Date.now() % 1e7).padStart(7, "0");
    const iuvs = Array.from({ length: entries }, (_, i) => `04${base}${String(i).padStart(8, "0")}`);

    // Seeded with the SDK, in the layout the repository writes (position document and its IUV/NAV claims).
    const container = ctx.cosmos.database(ctx.config.cosmos.database).container(containers.debtpositions);
    const positions = iuvs.slice(0, known).map((iuv, i) => aPaidPosition(org, `BENCH-BIG-${base}-${i}`, iuv));
    await inParallel(positions, async (p) => {
      await container.items.create(toDocument(p));
      for (const claim of claimDocuments(p)) await container.items.create(claim);
    });

    const xml = Buffer.from(flowXml(org, `2026-03-12PSPBENCH01-L${base}`, iuvs), "utf8");
    await ctx.blobService
      .getContainerClient(blobContainers["flows-inbox"])
      .getBlockBlobClient(`bench-big-flow-${base}.xml`)
      .upload(xml, xml.length);

    const load = os.loadavg()[0]?.toFixed(1) ?? "?";
    const run = await jobInOwnProcess(ctx);
    if (run.accepted !== 1) throw new Error(`${CASE}: the flow was not accepted (${JSON.stringify(run)})`);
    const mib = (xml.length / 1024 / 1024).toFixed(1);
    const label = `flow of ${entries} entries (${mib} MiB, ${known} positions)`;
    return [
      {
        case: CASE,
        metric: `${label} ingested by the job`,
        subject: entries / run.seconds,
        unit: "entries/s",
        note: "ingestReportingFlows in its own process: read, file, look up, write, result, record",
      },
      {
        case: CASE,
        metric: `${label}: RSS growth`,
        subject: run.rssGrowthMiB,
        unit: "MiB",
        note: "peak RSS of the job's process minus RSS before the run",
      },
      {
        case: CASE,
        metric: `${label}: longest event-loop stall`,
        subject: run.stallMs,
        baseline: GOAL_MS,
        unit: "ms",
        note: `wall time between two ticks of a 5 ms timer, vs the goal; includes time the OS gave other processes (load ${load} on ${os.cpus().length} cores)`,
      },
      {
        case: CASE,
        metric: `${label}: CPU used in the busiest stall`,
        subject: run.stallCpuMs,
        baseline: GOAL_MS,
        unit: "ms",
        note: "the job's own synchronous work between two ticks (GC threads included), vs the goal",
      },
    ];
  },
};
