// FdR-3 ingestion and the big-flow reader, side by side with their baselines in one run:
//  - a flow of N payments (10 000 at scale 1) published on the FdR-3 stand-in (test/support/fdr3-server.ts), read by
//    the real client over HTTP and applied by runIngestFdr3Flows, against the raw writes it needs (N conditional
//    replaces with the SDK); Cosmos round trips per payment (goal ≤ 1.2: IUVs looked up a hundred at a time);
//  - the same for an XML flow of N entries (ingestReportingFlow), which used to cost 3 round trips per entry;
//  - a FlussoRiversamento of 50 000 entries (at scale 1) read by the streamed reader against the tree parser:
//    entries/s, RSS growth and the longest event-loop stall while reading.
import { randomInt } from "node:crypto";
import { runIngestFdr3Flows } from "../../shared/application/fdr3-ingestion";
import { ingestReportingFlow } from "../../shared/application/flow-ingestion";
import { Fdr3HttpClient } from "../../shared/adapters/http/fdr3-client";
import { newOrganization } from "../../shared/domain/organizations/organization";
import { parseReportingFlow, readReportingFlow } from "../../shared/xml/flow-xml";
import { silentLogger as silent } from "../../shared/logging/logger";
import { containers } from "../../shared/storage/definition";
import { Fdr3TestServer } from "../../test/support/fdr3-server";
import type { BenchCase, BenchContext, BenchRow } from "../harness";
import { aPaidPosition, flowXml, inParallel } from "./reporting-flows";

const CASE = "fdr3-flows";

async function seed(ctx: BenchContext, count: number, fdr3: boolean) {
  const { fiscalCode: org } = await ctx.freshOrganization();
  if (fdr3) {
    await ctx.deps.organizations.upsert(
      newOrganization({ fiscalCode: org, companyName: "Comune di Bench", fdr3Enabled: true, now: new Date() }),
    );
  }
  const base = randomInt(0, 1_000_000);
  const iuvs = Array.from(
    { length: count },
    (_, i) => `02${String(base).padStart(7, "0")}${String(i).padStart(8, "0")}`,
  );
  const positions = iuvs.map((iuv, i) => aPaidPosition(org, `BENCH-FDR3-${base}-${i}`, iuv));
  await inParallel(positions, (p) => ctx.deps.debtPositions.create(p));
  return { org, positions, iuvs };
}

/** Peak RSS growth and the longest event-loop stall while `work` runs (sampled by a 5 ms timer). */
async function observe<T>(
  work: () => Promise<T> | T,
): Promise<{ value: T; ms: number; rssMb: number; stallMs: number }> {
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  let last = performance.now();
  let stall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last - 5);
    last = now;
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const t0 = performance.now();
  // The timer must get a chance to run once before the work starts, so a synchronous `work` shows as one long stall.
  await new Promise((resolve) => setTimeout(resolve, 10));
  last = performance.now();
  const value = await work();
  const ms = performance.now() - t0 - 10;
  const now = performance.now();
  stall = Math.max(stall, now - last - 5);
  peak = Math.max(peak, process.memoryUsage.rss());
  clearInterval(timer);
  return { value, ms, rssMb: (peak - rssBefore) / 1024 / 1024, stallMs: Math.max(0, stall) };
}

export const fdr3FlowsBench: BenchCase = {
  name: CASE,
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const n = Math.max(100, Math.round(10_000 * ctx.scale));
    const rows: BenchRow[] = [];

    // ---- FdR-3: N payments, read page by page over HTTP, applied, against the raw writes.
    const server = await Fdr3TestServer.start();
    try {
      const subject = await seed(ctx, n, true);
      const fdr = `2026-03-1288888888888-B${randomInt(0, 1e9)}`;
      server.publish({
        organizationId: subject.org,
        fdr,
        pspId: "88888888888",
        fdrDate: "2026-03-12T07:00:00Z",
        payments: subject.iuvs.map((iuv) => ({ iuv, pay: 100 })),
      });
      const deps = {
        api: new Fdr3HttpClient({ baseUrl: server.url }),
        positions: ctx.deps.debtPositions,
        lookup: ctx.deps.positionLookup,
        index: ctx.deps.reportingIndex,
        flows: ctx.deps.flowStore,
        clock: () => new Date(),
        log: silent,
      };
      ctx.roundTrips.reset();
      const t0 = performance.now();
      const summary = await runIngestFdr3Flows(deps);
      const applyMs = performance.now() - t0;
      const roundTrips = ctx.roundTrips.count;
      if (summary.payments < n) throw new Error(`${CASE}: the FdR-3 flow was not applied (${summary.payments}/${n})`);

      const container = ctx.cosmos.database(ctx.config.cosmos.database).container(containers.debtpositions);
      // Read first (not timed), a bounded number at a time: ten thousand reads at once time out on the emulator.
      const docs: { resource: Record<string, unknown>; etag: string }[] = [];
      await inParallel(subject.positions, async (p) => {
        const { resource, etag } = await container
          .item(`position:${p.iupd}`, subject.org)
          .read<Record<string, unknown>>();
        if (!resource) throw new Error(`${CASE}: seeded position missing`);
        docs.push({ resource, etag });
      });
      const r0 = performance.now();
      await inParallel(docs, async ({ resource, etag }) => {
        await container
          .item(resource.id as string, subject.org)
          .replace({ ...resource, companyName: "raw" }, { accessCondition: { type: "IfMatch", condition: etag } });
      });
      const rawMs = performance.now() - r0;
      rows.push(
        {
          case: CASE,
          metric: `FdR-3 flow of ${n} payments applied (1 position each)`,
          subject: (n * 1000) / applyMs,
          baseline: (n * 1000) / rawMs,
          unit: "payments/s",
          note: "runIngestFdr3Flows over HTTP (pages of 1000, filed, applied) vs raw SDK conditional replaces",
        },
        {
          case: CASE,
          metric: "FdR-3: Cosmos round trips per payment",
          subject: roundTrips / n,
          baseline: 1.2,
          unit: "round trips",
          note: "amortised, everything included (lookups by 100, writes, flow record, cursor) vs the goal",
        },
      );
    } finally {
      await server.close();
    }

    // ---- XML: the same N through ingestReportingFlow (was: claim read + position read + write per entry).
    const xmlSubject = await seed(ctx, n, false);
    const flowId = `2026-03-12PSPBENCH01-X${randomInt(0, 1e9)}`;
    const xml = Buffer.from(flowXml(xmlSubject.org, flowId, xmlSubject.iuvs), "utf8");
    ctx.roundTrips.reset();
    const x0 = performance.now();
    const outcome = await ingestReportingFlow("bench.xml", xml, {
      positions: ctx.deps.debtPositions,
      lookup: ctx.deps.positionLookup,
      index: ctx.deps.reportingIndex,
      flows: ctx.deps.flowStore,
      clock: () => new Date(),
      log: silent,
      maxFlowBytes: 64 * 1024 * 1024,
    });
    const xmlMs = performance.now() - x0;
    if (!outcome.accepted || outcome.result.reported !== n) throw new Error(`${CASE}: the XML flow was not applied`);
    rows.push(
      {
        case: CASE,
        metric: `XML flow of ${n} entries: Cosmos round trips per entry`,
        subject: ctx.roundTrips.count / n,
        baseline: 3,
        unit: "round trips",
        note: "batched lookups vs the previous claim read + position read + write per entry",
      },
      {
        case: CASE,
        metric: `XML flow of ${n} entries applied`,
        subject: (n * 1000) / xmlMs,
        unit: "entries/s",
        note: "ingestReportingFlow incl. streamed parse, filing and result",
      },
    );

    // ---- The big flow: streamed reader vs the tree parser, same document.
    const big = Math.max(1_000, Math.round(50_000 * ctx.scale));
    const bigXml = Buffer.from(
      flowXml(
        "77777777777",
        "2026-03-12PSPBENCH01-BIG",
        Array.from({ length: big }, (_, i) => `03${String(i).padStart(15, "0")}`),
      ),
      "utf8",
    );
    const limit = { maxBytes: 64 * 1024 * 1024 };
    const streamed = await observe(() => readReportingFlow(bigXml, limit));
    const treeRun = await observe(() => parseReportingFlow(bigXml, limit));
    if (streamed.value.payments.length !== big || treeRun.value.payments.length !== big) {
      throw new Error(`${CASE}: the big flow was not read whole`);
    }
    const mb = (bigXml.length / 1024 / 1024).toFixed(1);
    rows.push(
      {
        case: CASE,
        metric: `flow of ${big} entries (${mb} MiB) read`,
        subject: (big * 1000) / streamed.ms,
        baseline: (big * 1000) / treeRun.ms,
        unit: "entries/s",
        note: "streamed (saxes, 16 KiB slices) vs tree parser",
      },
      {
        case: CASE,
        metric: `flow of ${big} entries: RSS growth while read`,
        subject: streamed.rssMb,
        baseline: treeRun.rssMb,
        unit: "MiB",
        note: "peak RSS minus RSS before; streamed first",
      },
      {
        case: CASE,
        metric: `flow of ${big} entries: longest event-loop stall`,
        subject: streamed.stallMs,
        baseline: treeRun.stallMs,
        unit: "ms",
        note: "goal < 100 ms; the tree parser holds the loop for the whole parse",
      },
    );
    return rows;
  },
};
