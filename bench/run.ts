// `npm run bench`: a local stack of its own (Cosmos emulator, Azurite in memory, the local host running the compiled
// app), then every case side by side with its baseline, then one table. BENCH_SCALE (default 1) shrinks the work,
// BENCH_SECONDS (default 4) the duration of each load measurement, BENCH_ONLY=name,name runs a subset.
import os from "node:os";
import path from "node:path";
import { buildDependencies } from "../functions/dependencies";
import { startAzurite } from "../local/azurite";
import { startCosmosProcess } from "../local/cosmos-process";
import { startLocalHost } from "../local/host-process";
import { freePort } from "../local/processes";
import {
  createBlobServiceClient,
  createCosmosClient,
  createQueueServiceClient,
} from "../shared/adapters/azure-clients";
import { RoundTripCounter } from "./round-trips";
import { CosmosOrganizationRepository } from "../shared/adapters/cosmos/cosmos-organization-repository";
import { CosmosSubscriptionRepository } from "../shared/adapters/cosmos/cosmos-subscription-repository";
import { loadConfig } from "../shared/config/config";
import { newOrganization } from "../shared/domain/organizations/organization";
import { generateKey, newSubscription, products } from "../shared/domain/subscriptions/subscription";
import { bootstrapStorage } from "../local/bootstrap-storage";
import { containers } from "../shared/storage/definition";
import sample from "../local.settings.sample.json";
import { formatTable, uniqueSuffix, type BenchCase, type BenchContext, type BenchRow } from "./harness";
import { debtPositionsBench } from "./cases/debt-positions";
import { hostileBodiesBench } from "./cases/hostile-bodies";
import { everydayBench } from "./cases/everyday";
import { infoBench } from "./cases/info";
import { paForNodeBench } from "./cases/pa-for-node";
import { noticesBench } from "./cases/notices";
import { receiptsBench } from "./cases/receipts";
import { reportingFlowsBench } from "./cases/reporting-flows";
import { statusJobsBench } from "./cases/status-jobs";
import { uploadsBench } from "./cases/uploads";
import { fdr3FlowsBench } from "./cases/fdr3-flows";
import { eventsBench } from "./cases/events";
import { bigFlowBench } from "./cases/big-flow";

export const benchIban = "IT60X0542811101000000123456";

const cases: BenchCase[] = [
  infoBench,
  debtPositionsBench,
  statusJobsBench,
  receiptsBench,
  reportingFlowsBench,
  uploadsBench,
  hostileBodiesBench,
  paForNodeBench,
  everydayBench,
  fdr3FlowsBench,
  bigFlowBench,
  noticesBench,
  eventsBench,
];

async function main(): Promise<void> {
  const root = path.resolve(__dirname, "../..");
  const scale = Number(process.env.BENCH_SCALE ?? "1");
  const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
  const closers: (() => Promise<void>)[] = [];
  try {
    const [blobPort, queuePort, hostPort] = [await freePort(), await freePort(), await freePort()];
    const [cosmos, azurite] = await Promise.all([
      // Its own process: the bench's in-process measurements must not share an event loop with it.
      startCosmosProcess({ port: 0, stdio: "capture" }),
      startAzurite({ blobPort, queuePort, location: "memory" }),
    ]);
    closers.push(
      () => cosmos.close(),
      () => azurite.close(),
    );
    const settings: Record<string, string> = {
      ...sample.Values,
      COSMOS_ENDPOINT: cosmos.endpoint,
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      STORAGE_BLOB_URL: "",
      LOG_LEVEL: "warn",
      // The events case drives the dispatcher itself.
      EVENTS_DISPATCH_SCHEDULE: "0 0 0 1 1 *",
    };
    const config = loadConfig(settings);
    const plainCosmos = createCosmosClient(config);
    const blobService = createBlobServiceClient(config);
    await bootstrapStorage({
      cosmos: plainCosmos,
      blobService,
      queueService: createQueueServiceClient(config),
      databaseId: config.cosmos.database,
    });
    const host = await startLocalHost({
      root,
      port: hostPort,
      env: { ...process.env, ...settings } as Record<string, string>,
      stdio: "capture",
    });
    closers.push(() => host.close());

    const database = plainCosmos.database(config.cosmos.database);
    const subscriptions = new CosmosSubscriptionRepository(database.container(containers.subscriptions));
    const organizations = new CosmosOrganizationRepository(database.container(containers.organizations));
    let serial = 0;
    const freshOrganization = async () => {
      serial += 1;
      const fiscalCode = `8${String(serial).padStart(4, "0")}${String(Date.now()).slice(-6)}`;
      await organizations.upsert(
        newOrganization({ fiscalCode, companyName: `Bench EC ${serial}`, ibans: [benchIban], now: new Date() }),
      );
      const key = generateKey();
      await subscriptions.create(
        newSubscription({
          key,
          name: `bench-${uniqueSuffix()}`,
          organizations: [fiscalCode],
          products: [...products],
          environment: config.environment,
          now: new Date(),
        }),
      );
      return { fiscalCode, key };
    };
    const main = await freshOrganization();
    const roundTrips = new RoundTripCounter();
    const ctx: BenchContext = {
      baseUrl: host.url,
      config,
      key: main.key,
      organization: main.fiscalCode,
      freshOrganization,
      deps: buildDependencies(config, { cosmosPlugins: [roundTrips.plugin] }),
      roundTrips,
      cosmos: plainCosmos,
      blobService,
      scale,
    };

    const rows: BenchRow[] = [];
    for (const c of cases) {
      if (only !== undefined && !only.includes(c.name)) continue;
      const started = Date.now();
      process.stdout.write(`running ${c.name}… `);
      rows.push(...(await c.run(ctx)));
      process.stdout.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
    const memory = process.memoryUsage();
    rows.push({ case: "process", metric: "bench process RSS", subject: Math.round(memory.rss / 1048576), unit: "MiB" });
    console.log(
      `\nGPD bench — ${new Date().toISOString()}, ${os.cpus().length} cores, node ${process.version}, scale ${scale}`,
    );
    console.log(
      "subject = through GPD (the local host for HTTP cases, else the use case); in-process = the same use case " +
        "called in-process (HTTP cases); baseline = the same work done directly with the SDK\n",
    );
    console.log(formatTable(rows));
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
