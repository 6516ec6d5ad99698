// Access to the local stack that test/setup/global-setup.ts started: its settings, SDK clients pointed at the
// emulators, and extra hosts with other settings. The setup passes its endpoints to the workers through process.env.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { CosmosClient } from "@azure/cosmos";
import type { BlobServiceClient } from "@azure/storage-blob";
import { createBlobServiceClient, createCosmosClient } from "../../shared/adapters/azure-clients";
import { loadConfig, type Config } from "../../shared/config/config";
import { startLocalHost, type LocalHost } from "../../local/host-process";
import { freePort } from "../../local/processes";

export const repositoryRoot = path.resolve(__dirname, "../..");

/** Variables the global setup exports to the test workers. */
export const stackVariables = [
  "GPD_TEST_BASE_URL",
  "COSMOS_ENDPOINT",
  "COSMOS_KEY",
  "COSMOS_DATABASE",
  "STORAGE_CONNECTION_STRING",
] as const;

export function sampleSettings(): Record<string, string> {
  const sample = JSON.parse(readFileSync(path.join(repositoryRoot, "local.settings.sample.json"), "utf8")) as {
    Values: Record<string, string>;
  };
  return { ...sample.Values };
}

function stackVariable(name: (typeof stackVariables)[number]): string {
  const value = process.env[name];
  if (value === undefined) {
    throw new Error(
      `${name} is not set: the local stack starts in test/setup/global-setup.ts (run the tests with jest)`,
    );
  }
  return value;
}

/** Settings like the ones the test host runs with (sample + emulator endpoints, UAT), plus overrides. */
export function testSettings(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ...sampleSettings(),
    GPD_ENVIRONMENT: "UAT",
    COSMOS_ENDPOINT: stackVariable("COSMOS_ENDPOINT"),
    COSMOS_KEY: stackVariable("COSMOS_KEY"),
    COSMOS_DATABASE: stackVariable("COSMOS_DATABASE"),
    STORAGE_CONNECTION_STRING: stackVariable("STORAGE_CONNECTION_STRING"),
    STORAGE_BLOB_URL: "",
    // As in Azure: /openapi.json needs a key (test/e2e/local-developer.test.ts runs a host with the sample's value).
    PUBLIC_API_DOCS: "false",
    // The test host's jobs run only when a test asks (POST /admin/functions/{name}): a schedule firing in the middle
    // of a test would race the run the test is waiting for.
    VALIDATE_DEBT_POSITIONS_SCHEDULE: "0 0 0 1 1 *",
    EXPIRE_DEBT_POSITIONS_SCHEDULE: "0 0 0 1 1 *",
    INGEST_RECEIPTS_SCHEDULE: "0 0 0 1 1 *",
    INGEST_REPORTING_FLOWS_SCHEDULE: "0 0 0 1 1 *",
    RECOVER_BULK_CREATES_SCHEDULE: "0 0 0 1 1 *",
    FINISH_STALLED_UPLOADS_SCHEDULE: "0 0 0 1 1 *",
    // Generous on purpose: the test machines are shared and loaded; the outage test sets short ones on its own host.
    COSMOS_REQUEST_TIMEOUT_MS: "30000",
    HTTP_REQUEST_DEADLINE_MS: "60000",
    INGEST_FDR3_SCHEDULE: "0 0 0 1 1 *",
    INGEST_STATEMENTS_SCHEDULE: "0 0 0 1 1 *",
    // The dispatcher runs as in production, so the outbox of every suite's writes is drained as it grows (one run
    // at the end would have the whole suite's backlog to sequence); tests may still run it at once.
    EVENTS_DISPATCH_SCHEDULE: "*/2 * * * * *",
    // Tests SIGKILL hosts that share the suite's queues: what a killed host held comes back in 20 s, not 10 minutes.
    LOCAL_QUEUE_HOLD_SECONDS: "20",
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(testSettings(overrides));
}

/** The URL of the host the global setup started; undefined when dist/ had no app to run. */
export function testBaseUrl(): string | undefined {
  return process.env.GPD_TEST_BASE_URL;
}

let cosmos: CosmosClient | undefined;
let blobs: BlobServiceClient | undefined;

/** One client per worker, like the app's composition root. */
export function cosmosClient(): CosmosClient {
  cosmos ??= createCosmosClient(testConfig());
  return cosmos;
}

export function blobService(): BlobServiceClient {
  blobs ??= createBlobServiceClient(testConfig());
  return blobs;
}

/**
 * The app's queue-triggered functions. An extra host leaves them disabled (`AzureWebJobs.<name>.Disabled`) unless
 * asked: it shares the suite's queues, and a host with other stores (an unreachable Cosmos, a fault proxy) that took
 * the suite's messages would fail them into the poison queue or apply them elsewhere.
 * test/integration/queue-functions.test.ts keeps this list equal to what the app registers.
 */
export const queueFunctions = ["processUploadChunk", "renderNoticeJob", "deliverWebhookEvents"] as const;

/** Settings that disable every queue function (see queueFunctions). */
export function withoutQueueWork(): Record<string, string> {
  return Object.fromEntries(queueFunctions.map((name) => [`AzureWebJobs.${name}.Disabled`, "true"]));
}

/**
 * A second host on a free port with other settings (e.g. GPD_ENVIRONMENT=PROD); close it in afterAll. It takes no
 * queue work unless `takesQueueWork` (see queueFunctions).
 */
export async function startExtraHost(
  envOverrides: Record<string, string>,
  options: { takesQueueWork?: boolean } = {},
): Promise<LocalHost> {
  return startLocalHost({
    root: repositoryRoot,
    port: await freePort(),
    env: {
      ...baseProcessEnv(),
      ...testSettings({ ...(options.takesQueueWork === true ? {} : withoutQueueWork()), ...envOverrides }),
    },
    stdio: "capture",
  });
}

/** PATH and friends, without the stack's own variables (the host gets those from its settings). */
export function baseProcessEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !(stackVariables as readonly string[]).includes(key)) env[key] = value;
  }
  return env;
}
