// Payment notices: notices rendered per second one at a time (in-process, and GET …/notice through the host) and in
// batches (ZIP and merged PDF, the worker in a process of its own), and the peak RSS of that process for a 1,000-notice
// batch next to a 10-notice one: streaming means the big batch needs about the memory of the small one.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { renderNoticePdf } from "../../shared/adapters/pdf/notice-pdf";
import { createDebtPosition } from "../../shared/domain/debt-positions/lifecycle";
import type { DebtPosition } from "../../shared/domain/debt-positions/model";
import { buildNotice } from "../../shared/domain/notices/notice";
import { newOrganization } from "../../shared/domain/organizations/organization";
import { CosmosOrganizationRepository } from "../../shared/adapters/cosmos/cosmos-organization-repository";
import { containers } from "../../shared/storage/definition";
import { httpLoad, uniqueSuffix, type BenchCase, type BenchContext, type BenchRow } from "../harness";

const postalIban = "IT93X0760103200001234567890";

function payable(org: string, iupd: string, i: number, postal: boolean): DebtPosition {
  const iuv = `03${String(i).padStart(9, "0")}${String(Date.now() % 1e6).padStart(6, "0")}`;
  return createDebtPosition(
    {
      iupd,
      type: "F",
      fiscalCode: "RSSMRA80A01H501U",
      fullName: `Debitore ${i}`,
      switchToExpired: false,
      companyName: "Bench",
      paymentOption: [
        {
          iuv,
          amount: 1000 + i,
          description: `Tassa rifiuti 2026 - posizione ${i}`,
          isPartialPayment: false,
          dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString(),
          paymentOptionMetadata: [],
          transfer: [
            {
              idTransfer: "1",
              amount: 1000 + i,
              remittanceInformation: "TARI 2026",
              category: "9/0101108TS/",
              iban: "IT60X0542811101000000123456",
              ...(postal ? { postalIban } : {}),
              transferMetadata: [],
            },
          ],
        },
      ],
    },
    { organizationFiscalCode: org, auxDigit: "3", now: new Date(), toPublish: true },
  );
}

async function seed(ctx: BenchContext, org: string, count: number): Promise<DebtPosition[]> {
  const repository = new CosmosDebtPositionRepository(
    ctx.cosmos.database(ctx.config.cosmos.database).container(containers.debtpositions),
  );
  const prefix = `NOTICE-${uniqueSuffix()}`;
  const positions = Array.from({ length: count }, (_, i) => payable(org, `${prefix}-${i}`, i, i % 2 === 0));
  for (let i = 0; i < positions.length; i += 20) {
    await Promise.all(positions.slice(i, i + 20).map((p) => repository.create(p)));
  }
  return positions;
}

async function batchInOwnProcess(
  ctx: BenchContext,
  org: string,
  format: "ZIP" | "PDF",
  iupds: readonly string[],
): Promise<{ seconds: number; rendered: number; size: number; maxRssMiB: number }> {
  const worker = path.join(__dirname, "../notice-batch-worker.js");
  const settings: Record<string, string> = {
    ...(process.env as Record<string, string>),
    COSMOS_ENDPOINT: ctx.config.cosmos.endpoint,
    COSMOS_KEY: ctx.config.cosmos.key ?? "",
    COSMOS_DATABASE: ctx.config.cosmos.database,
    STORAGE_CONNECTION_STRING: ctx.config.storage.connectionString ?? "",
    STORAGE_BLOB_URL: "",
    GPD_ENVIRONMENT: ctx.config.environment,
  };
  const { stdout } = await promisify(execFile)(process.execPath, [worker, org, format, ...iupds], {
    env: settings,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as { seconds: number; rendered: number; size: number; maxRssMiB: number };
}

export const noticesBench: BenchCase = {
  name: "notices",
  async run(ctx) {
    const rows: BenchRow[] = [];
    const count = Math.max(50, Math.round(1000 * ctx.scale));
    const { fiscalCode: org, key } = await ctx.freshOrganization();
    const organizations = new CosmosOrganizationRepository(
      ctx.cosmos.database(ctx.config.cosmos.database).container(containers.organizations),
    );
    const organization = newOrganization({
      fiscalCode: org,
      companyName: "Comune di Bench",
      ibans: ["IT60X0542811101000000123456"],
      postalIbans: [postalIban],
      cbill: "BENCH",
      now: new Date(),
    });
    await organizations.upsert(organization);
    const positions = await seed(ctx, org, count);
    const iupds = positions.map((p) => p.iupd);

    // Single notices, in-process: build + render, half of them with the Poste data matrix.
    const now = new Date();
    await renderNoticePdf(buildNotice(positions[0] as DebtPosition, organization, now), now);
    const singles = Math.min(200, count);
    const t0 = performance.now();
    for (let i = 0; i < singles; i++) {
      await renderNoticePdf(buildNotice(positions[i] as DebtPosition, organization, now), now);
    }
    const inProcess = singles / ((performance.now() - t0) / 1000);

    // Single notices through the host: GET …/notice (auth, Cosmos read, render, binary response).
    const seconds = Number(process.env.BENCH_SECONDS ?? "4");
    const load = await httpLoad({
      url: `${ctx.baseUrl}/organizations/${org}/debtpositions/${iupds[0] ?? ""}/notice`,
      headers: { "Ocp-Apim-Subscription-Key": key, Accept: "application/pdf" },
      vary: (i) => ({ path: `/organizations/${org}/debtpositions/${iupds[i % iupds.length] ?? ""}/notice` }),
      connections: 4,
      // Long enough for several notices per connection even on a loaded machine (a render takes tens of ms idle).
      durationSeconds: Math.max(10, seconds),
    });
    rows.push(
      { case: "notices", metric: "single notice, rendered in-process", subject: inProcess, unit: "notices/s" },
      {
        case: "notices",
        metric: "single notice, GET …/notice via host",
        subject: load.requestsPerSecond,
        baseline: inProcess,
        unit: "notices/s",
        note: `p99 ${load.p99Ms} ms, non-2xx ${load.non2xx}`,
      },
    );

    // Batches, each worker in a process of its own.
    const zip = await batchInOwnProcess(ctx, org, "ZIP", iupds);
    const merged = await batchInOwnProcess(ctx, org, "PDF", iupds);
    const small = await batchInOwnProcess(ctx, org, "ZIP", iupds.slice(0, 10));
    rows.push(
      {
        case: "notices",
        metric: `batch of ${zip.rendered}, ZIP (worker process)`,
        subject: zip.rendered / zip.seconds,
        baseline: inProcess,
        unit: "notices/s",
        note: `${(zip.size / 1048576).toFixed(1)} MiB archive in ${zip.seconds.toFixed(1)} s`,
      },
      {
        case: "notices",
        metric: `batch of ${merged.rendered}, merged PDF (worker process)`,
        subject: merged.rendered / merged.seconds,
        baseline: inProcess,
        unit: "notices/s",
        note: `${(merged.size / 1048576).toFixed(1)} MiB PDF in ${merged.seconds.toFixed(1)} s`,
      },
      {
        case: "notices",
        metric: `peak RSS, ZIP batch of ${zip.rendered} vs of ${small.rendered}`,
        subject: Math.round(zip.maxRssMiB),
        baseline: Math.round(small.maxRssMiB),
        unit: "MiB",
      },
      {
        case: "notices",
        metric: `peak RSS, merged PDF batch of ${merged.rendered} vs ZIP of ${small.rendered}`,
        subject: Math.round(merged.maxRssMiB),
        baseline: Math.round(small.maxRssMiB),
        unit: "MiB",
      },
    );
    return rows;
  },
};
