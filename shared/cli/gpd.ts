// Entry point of `npm run gpd -- …`: talks to whatever Cosmos the settings name (local.settings.json, then the
// environment, which wins), so it works against a running `npm start`, the official emulator or Azure.
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { createBlobServiceClient, createCosmosClient, createQueueServiceClient } from "../adapters/azure-clients";
import { CosmosEventLog } from "../adapters/cosmos/cosmos-event-log";
import { CosmosWebhookRepository } from "../adapters/cosmos/cosmos-webhook-repository";
import { HttpWebhookSender } from "../adapters/http/webhook-sender";
import { StorageDeliveryQueue } from "../adapters/queue/storage-delivery-queue";
import { WebhookService } from "../application/webhook-service";
import { CosmosOrganizationRepository } from "../adapters/cosmos/cosmos-organization-repository";
import { CosmosSubscriptionRepository } from "../adapters/cosmos/cosmos-subscription-repository";
import { ConfigError, loadConfig } from "../config/config";
import { isDomainError } from "../domain/errors";
import { blobContainers, containers, queues } from "../storage/definition";
import { runCli, usage, UsageError, type CliWebhooks } from "./commands";

function settings(): Record<string, string | undefined> {
  const file = resolve(process.cwd(), "local.settings.json");
  const fromFile = existsSync(file)
    ? ((JSON.parse(readFileSync(file, "utf8")) as { Values?: Record<string, string> }).Values ?? {})
    : {};
  return { ...fromFile, ...process.env };
}

const storeTimeoutMs = 15_000;

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "help") {
    console.log(usage);
    return argv.length === 0 ? 2 : 0;
  }
  const config = loadConfig(settings());
  const cosmos = createCosmosClient(config);
  const database = cosmos.database(config.cosmos.database);
  const deps = {
    subscriptions: new CosmosSubscriptionRepository(database.container(containers.subscriptions)),
    organizations: new CosmosOrganizationRepository(database.container(containers.organizations)),
    dropIntoInbox: async (kind: "receipts" | "flows", name: string, bytes: Buffer) => {
      const container = kind === "receipts" ? blobContainers["receipts-inbox"] : blobContainers["flows-inbox"];
      await createBlobServiceClient(config)
        .getContainerClient(container)
        .getBlockBlobClient(name)
        .uploadData(bytes, {
          blobHTTPHeaders: { blobContentType: "application/xml" },
          conditions: { ifNoneMatch: "*" },
        });
    },
    readFile: (path: string) => readFile(path),
    webhooks: cliWebhooks(
      new WebhookService({
        events: new CosmosEventLog(database.container(containers.debtpositions)),
        webhooks: new CosmosWebhookRepository(database.container(containers.webhooks)),
        queue: new StorageDeliveryQueue(createQueueServiceClient(config).getQueueClient(queues["webhook-deliveries"])),
        sender: new HttpWebhookSender({
          allowLocalhost: config.events.allowLocalhost,
          timeoutMs: 10_000,
          userAgent: "gpd-cli",
        }),
        urlPolicy: { allowLocalhost: config.events.allowLocalhost },
      }),
    ),
    environment: config.environment,
    clock: () => new Date(),
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new Error(
          `the store did not answer within ${storeTimeoutMs / 1000} s: is Cosmos reachable at ${config.cosmos.endpoint}?`,
        ),
      );
    }, storeTimeoutMs);
  });
  try {
    await Promise.race([
      runCli(argv, deps, {
        out: (l) => {
          console.log(l);
        },
        err: (l) => {
          console.error(l);
        },
      }),
      timeout,
    ]);
    return 0;
  } finally {
    clearTimeout(timer);
    cosmos.dispose();
  }
}

/** The CLI acts for the organization it names, with every segregation code (an operator, not a limited key). */
function cliWebhooks(service: WebhookService): CliWebhooks {
  const ctx = (org: string) => ({
    organizationFiscalCode: org,
    caller: { subscriptionName: "gpd-cli", organizations: [org], products: ["events" as const] },
    now: new Date(),
  });
  return {
    create: (org, input) => service.create(ctx(org), input),
    list: (org) => service.list(ctx(org)),
    delete: (org, id) => service.delete(ctx(org), id),
  };
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`gpd: ${error.message}\n\n${usage}`);
      process.exitCode = 2;
    } else if (error instanceof ConfigError) {
      console.error(`gpd: ${error.message}`);
      process.exitCode = 2;
    } else if (isDomainError(error)) {
      console.error(`gpd: ${error.detail}`);
      process.exitCode = 1;
    } else {
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
      console.error(`gpd: ${error instanceof Error ? error.message : String(error)}${cause}`);
      process.exitCode = 1;
    }
  },
);
