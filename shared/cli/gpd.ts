#!/usr/bin/env node
// Entry point of the `gpd` command (package.json `bin`; also `npm run gpd -- …`): talks to whatever Cosmos and
// Storage the settings name (local.settings.json in the current folder, overridden by the environment), so it
// works against a running `npm start`, the official emulator or Azure.
// The Azure SDKs are loaded only once a command is known to need them: help and usage errors answer at once.
import { existsSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { isDomainError } from "../domain/errors";
import {
  commandUsage,
  expandShortForms,
  helpFor,
  resolveCommand,
  runCli,
  UsageError,
  type CliDeps,
  type InboxKind,
} from "./commands";
import { expandPath } from "./files";

function settings(): Record<string, string | undefined> {
  const file = resolve(process.cwd(), "local.settings.json");
  const fromFile = existsSync(file)
    ? ((JSON.parse(readFileSync(file, "utf8")) as { Values?: Record<string, string> }).Values ?? {})
    : {};
  return { ...fromFile, ...process.env };
}

const storeTimeoutMs = 15_000;

async function storeDeps(): Promise<{ deps: CliDeps; dispose: () => void; endpoint: string }> {
  const [{ loadConfig }, clients, organizationsModule, subscriptionsModule, { blobContainers, containers }] =
    await Promise.all([
      import("../config/config"),
      import("../adapters/azure-clients"),
      import("../adapters/cosmos/cosmos-organization-repository"),
      import("../adapters/cosmos/cosmos-subscription-repository"),
      import("../storage/definition"),
    ]);
  const [{ webhooksForCli }, { CosmosReportingIndex }, { BlobFlowStore }] = await Promise.all([
    import("./webhooks"),
    import("../adapters/cosmos/cosmos-reporting-index"),
    import("../adapters/blob/blob-flow-store"),
  ]);
  const { CosmosOrganizationRepository } = organizationsModule;
  const { CosmosSubscriptionRepository } = subscriptionsModule;
  const config = loadConfig(settings());
  const cosmos = clients.createCosmosClient(config);
  const database = cosmos.database(config.cosmos.database);
  const blobs = () => clients.createBlobServiceClient(config);
  const inbox = (kind: InboxKind) =>
    kind === "receipts" ? blobContainers["receipts-inbox"] : blobContainers["flows-inbox"];
  const rejected = (kind: InboxKind) =>
    kind === "receipts" ? blobContainers["receipts-rejected"] : blobContainers["flows-rejected"];
  const deps: CliDeps = {
    subscriptions: new CosmosSubscriptionRepository(database.container(containers.subscriptions)),
    organizations: new CosmosOrganizationRepository(database.container(containers.organizations)),
    dropIntoInbox: async (kind, name, bytes) => {
      await blobs()
        .getContainerClient(inbox(kind))
        .getBlockBlobClient(name)
        .uploadData(bytes, {
          blobHTTPHeaders: { blobContentType: "application/xml" },
          conditions: { ifNoneMatch: "*" },
        });
    },
    listRejected: async (kind) => {
      const found = [];
      for await (const blob of blobs().getContainerClient(rejected(kind)).listBlobsFlat({ includeMetadata: true })) {
        found.push({
          name: blob.name,
          reason: blob.metadata?.reason ?? "(no reason recorded)",
          rejectedAt: blob.metadata?.rejectedat,
          size: blob.properties.contentLength ?? 0,
        });
      }
      return found;
    },
    flowResult: async (wanted, flowId) => {
      const index = new CosmosReportingIndex(
        database.container(containers.reporting),
        database.container(containers.organizations),
      );
      let organization = wanted;
      if (organization === undefined) {
        const holders = await index.organizationsOfFlow(flowId);
        if (holders.length > 1) {
          throw new UsageError(`flows ${flowId} exist for organizations ${holders.join(", ")}: name one with --org`);
        }
        organization = holders[0];
        if (organization === undefined) return undefined;
      }
      const record = await index.getFlow(organization, flowId);
      if (record === undefined) return undefined;
      const flows = new BlobFlowStore(blobs().getContainerClient(blobContainers.flows));
      const result = await flows.readResult({ organization, flowDate: record.value.flowDate, flowId });
      return { record: record.value, result };
    },
    readFile: (path: string) => readFile(path),
    expandPath,
    environment: config.environment,
    clock: () => new Date(),
    hostUrl: (process.env.GPD_HOST_URL ?? "http://localhost:7071").replace(/\/+$/, ""),
    defaultKey: process.env.GPD_KEY,
    fetch,
    writeFile: (path, bytes) => writeFile(path, bytes),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    webhooks: webhooksForCli(config, database),
  };
  return {
    deps,
    dispose: () => {
      cosmos.dispose();
    },
    endpoint: config.cosmos.endpoint,
  };
}

const console_ = {
  out: (l: string) => {
    process.stdout.write(`${l}\n`);
  },
  err: (l: string) => {
    process.stderr.write(`${l}\n`);
  },
};

async function main(): Promise<number> {
  const argv = expandShortForms(process.argv.slice(2));
  const help = helpFor(argv);
  if (help !== undefined) {
    console_.out(help);
    return argv.length === 0 ? 2 : 0;
  }
  resolveCommand(argv); // a usage error answers before any SDK is loaded
  const { deps, dispose, endpoint } = await storeDeps();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new Error(`the store did not answer within ${storeTimeoutMs / 1000} s: is Cosmos reachable at ${endpoint}?`),
      );
    }, storeTimeoutMs);
  });
  try {
    await Promise.race([runCli(argv, deps, console_), timeout]);
    return 0;
  } finally {
    clearTimeout(timer);
    dispose();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console_.err(`gpd: ${error.message}`);
      if (error.command !== undefined) console_.err(`\n${commandUsage(error.command)}`);
      else if (!error.message.includes("Usage:")) console_.err("\nRun gpd --help for the list of commands.");
      process.exitCode = 2;
    } else if (error instanceof Error && error.name === "ConfigError") {
      console_.err(`gpd: ${error.message}`);
      process.exitCode = 2;
    } else if (isDomainError(error)) {
      console_.err(`gpd: ${error.detail}`);
      process.exitCode = 1;
    } else {
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
      console_.err(`gpd: ${error instanceof Error ? error.message : String(error)}${cause}`);
      process.exitCode = 1;
    }
  },
);
