// Massive upload: positions applied per second through an upload (ZIP → chunks → queue → worker) against the same
// positions sent as bulk creates at the same concurrency and written as raw transactional batches with the SDK; and
// the memory that accepting a 100 MB unzipped file costs.
import { strToU8, zipSync } from "fflate";
import { claimDocuments, toDocument } from "../../shared/adapters/cosmos/debt-position-document";
import { extractSingleJson, parseJsonDocument } from "../../shared/adapters/zip/single-json-zip";
import { createDebtPosition } from "../../shared/domain/debt-positions/lifecycle";
import type { DebtPositionInput } from "../../shared/domain/debt-positions/model";
import { chunksOf, itemsOf, uploadLimits } from "../../shared/domain/uploads/upload";
import { containers } from "../../shared/storage/definition";
import { countRoundTrips, uniqueSuffix, type BenchCase, type BenchRow } from "../harness";

const iban = "IT60X0542811101000000123456";
let serial = 0;

function positionsFor(count: number, prefix: string, description = "bench upload"): DebtPositionInput[] {
  const dueDate = new Date(Date.now() + 30 * 86_400_000).toISOString();
  return Array.from({ length: count }, (_, i) => {
    serial += 1;
    const iuv = `02${String(Date.now() % 1e7).padStart(7, "0")}${String(serial).padStart(8, "0")}`;
    return {
      iupd: `${prefix}-${i}`,
      type: "F",
      fiscalCode: "RSSMRA80A01H501U",
      fullName: "Mario Rossi",
      switchToExpired: false,
      companyName: "Bench EC",
      paymentOption: [
        {
          iuv,
          amount: 10_000,
          description,
          isPartialPayment: false,
          dueDate,
          paymentOptionMetadata: [],
          transfer: [
            {
              idTransfer: "1",
              amount: 10_000,
              remittanceInformation: "bench",
              category: "9/0101108TS/",
              iban,
              transferMetadata: [],
            },
          ],
        },
      ],
    };
  });
}

async function runAtMost<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

export const uploadsBench: BenchCase = {
  name: "uploads",
  async run(ctx) {
    const rows: BenchRow[] = [];
    const count = Math.max(200, Math.round(2000 * ctx.scale));
    const concurrency = 16;
    const run = uniqueSuffix();

    // ---- through an upload ----
    const up = await ctx.freshOrganization();
    const broker = up.fiscalCode;
    const registered = await ctx.deps.organizations.find(up.fiscalCode);
    if (registered) await ctx.deps.organizations.upsert({ ...registered, brokerCode: broker });
    const zip = zipSync({ "p.json": strToU8(JSON.stringify({ paymentPositions: positionsFor(count, `UP-${run}`) })) });
    const form = new FormData();
    form.append("file", new Blob([zip]), "p.zip");
    const headers = { "Ocp-Apim-Subscription-Key": up.key };
    const started = performance.now();
    const accepted = await fetch(`${ctx.baseUrl}/brokers/${broker}/organizations/${up.fiscalCode}/debtpositions/file`, {
      method: "POST",
      headers,
      body: form,
    });
    const location = accepted.headers.get("location") ?? "";
    const acceptedMs = performance.now() - started;
    let firstAppliedMs: number | undefined;
    for (;;) {
      const status = (await (await fetch(`${ctx.baseUrl}${location}`, { headers })).json()) as {
        operationStatus: string;
        processedItem: number;
      };
      if (status.processedItem > 0) firstAppliedMs ??= performance.now() - started;
      if (status.operationStatus !== "IN_PROGRESS") break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const uploadSeconds = (performance.now() - started) / 1000;

    // ---- the same positions as bulk creates of 50, 16 at a time ----
    const bulk = await ctx.freshOrganization();
    const bulkChunks = chunksOf(positionsFor(count, `BK-${run}`), uploadLimits.chunkSize);
    const bulkStarted = performance.now();
    let bulkFailures = 0;
    await runAtMost(bulkChunks, concurrency, async (chunk) => {
      const r = await fetch(`${ctx.baseUrl}/organizations/${bulk.fiscalCode}/debtpositions/bulk`, {
        method: "POST",
        headers: { "Ocp-Apim-Subscription-Key": bulk.key, "Content-Type": "application/json" },
        body: JSON.stringify({ paymentPositions: chunk }),
      });
      if (r.status !== 201) bulkFailures += 1;
      await r.arrayBuffer();
    });
    const bulkSeconds = (performance.now() - bulkStarted) / 1000;

    // ---- raw: the same documents as transactional batches (≤ 100 operations), 16 at a time ----
    const raw = await ctx.freshOrganization();
    const container = ctx.cosmos.database(ctx.config.cosmos.database).container(containers.debtpositions);
    const docs = positionsFor(count, `RW-${run}`).map((input) => {
      const p = createDebtPosition(input, {
        organizationFiscalCode: raw.fiscalCode,
        auxDigit: "3",
        now: new Date(),
        toPublish: false,
      });
      return [toDocument(p), ...claimDocuments(p)] as { id: string }[];
    });
    const batches = chunksOf(docs, Math.floor(100 / (docs[0]?.length ?? 3)));
    const rawStarted = performance.now();
    await runAtMost(batches, concurrency, async (batch) => {
      const response = await container.items.batch(
        batch.flat().map((d) => ({ operationType: "Create" as const, resourceBody: d })),
        raw.fiscalCode,
      );
      if (response.result?.some((r) => r.statusCode >= 400)) throw new Error("raw batch failed");
    });
    const rawSeconds = (performance.now() - rawStarted) / 1000;

    // ---- round trips of one bulk of a chunk's size, in process: the crash-safe protocol against the raw batches ----
    const trips = await ctx.freshOrganization();
    const chunk = positionsFor(uploadLimits.chunkSize, `RT-${run}`).map((input) =>
      createDebtPosition(input, {
        organizationFiscalCode: trips.fiscalCode,
        auxDigit: "3",
        now: new Date(),
        toPublish: false,
      }),
    );
    const bulkTrips = await countRoundTrips(ctx.roundTrips, () =>
      ctx.deps.debtPositions.createMany(chunk, { bulkId: `bench-${run}`, now: new Date() }),
    );
    const rawBatchesPerChunk = Math.ceil(uploadLimits.chunkSize / Math.floor(100 / (docs[0]?.length ?? 3)));
    rows.push({
      case: "uploads",
      metric: `Cosmos round trips, bulk create of ${uploadLimits.chunkSize} (vs raw batches)`,
      subject: bulkTrips,
      baseline: rawBatchesPerChunk,
      unit: "round trips",
      note: "marker, batches, commit, clean-up and events release vs the creates alone",
    });

    rows.push(
      {
        case: "uploads",
        metric: `positions/s, upload of ${count} (vs raw batches)`,
        subject: count / uploadSeconds,
        baseline: count / rawSeconds,
        unit: "pos/s",
        note:
          `goal ≥ 0.8x raw; 202 after ${Math.round(acceptedMs)} ms, first chunk recorded ` +
          `after ${Math.round(firstAppliedMs ?? NaN)} ms, done after ${Math.round(uploadSeconds * 1000)} ms`,
      },
      {
        case: "uploads",
        metric: `positions/s, bulk creates of 50 x${concurrency} (vs raw batches)`,
        subject: count / bulkSeconds,
        baseline: count / rawSeconds,
        unit: "pos/s",
        note: `failed bulks ${bulkFailures}`,
      },
    );

    // ---- memory: accepting a file of about 100 MB unzipped (inflate, parse, shape check, chunks) ----
    // 100,000 positions (the most a file may hold) padded to about 100 MB in all.
    const baseLength = JSON.stringify(positionsFor(1, `MEM-${run}`, "")[0]).length + 1;
    const padding = "x".repeat(Math.max(0, Math.floor((100 * 1_000_000) / 100_000) - baseLength));
    const big = JSON.stringify({ paymentPositions: positionsFor(100_000, `MEM-${run}`, padding) });
    const bigZip = zipSync({ "big.json": strToU8(big) }, { level: 6 });
    const unzippedMiB = Buffer.byteLength(big) / 1048576;
    global.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
    const t0 = performance.now();
    const chunks = chunksOf(itemsOf("CREATE", parseJsonDocument(extractSingleJson(bigZip, 110 * 1048576))));
    const acceptMs = performance.now() - t0;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    clearInterval(sampler);
    rows.push(
      {
        case: "uploads",
        metric: `accept a ${unzippedMiB.toFixed(0)} MiB file (${chunks.length} chunks): time`,
        subject: acceptMs,
        unit: "ms",
        note: `zip ${(bigZip.length / 1048576).toFixed(1)} MiB`,
      },
      {
        case: "uploads",
        metric: `accept a ${unzippedMiB.toFixed(0)} MiB file: RSS growth`,
        subject: Math.round((peakRss - before.rss) / 1048576),
        unit: "MiB",
      },
    );
    return rows;
  },
};
