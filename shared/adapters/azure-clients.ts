// Builds the SDK clients from config: keys for the local emulators, managed identity (DefaultAzureCredential) in
// Azure. Only the composition root, the CLI, the local stack and tests call these; handlers never build clients.
import { CosmosClient, type CosmosClientOptions, type PluginConfig } from "@azure/cosmos";
import { DefaultAzureCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import type { Config } from "../config/config";

export interface CosmosClientExtras {
  /** Per-request hooks of the SDK (the bench counts round trips with one). */
  plugins?: readonly PluginConfig[];
}

export function createCosmosClient(config: Pick<Config, "cosmos">, extras: CosmosClientExtras = {}): CosmosClient {
  const options: CosmosClientOptions = {
    endpoint: config.cosmos.endpoint,
    connectionPolicy: {
      enableEndpointDiscovery: !isLocalEndpoint(config.cosmos.endpoint),
      // A frozen store must fail a request in seconds, not the SDK's default 60 s (docs/adr/0016).
      requestTimeout: config.cosmos.requestTimeoutMs,
      // Throttling (429) is retried by the SDK, but never for longer than a request may take.
      retryOptions: {
        maxRetryAttemptCount: 3,
        fixedRetryIntervalInMilliseconds: 0,
        maxWaitTimeInSeconds: Math.max(1, Math.floor(config.cosmos.requestTimeoutMs / 1000)),
      },
    },
    ...(config.cosmos.key !== undefined
      ? { key: config.cosmos.key }
      : { aadCredentials: new DefaultAzureCredential() }),
  };
  if (extras.plugins !== undefined && extras.plugins.length > 0) {
    // `plugins` is a documented-as-hidden option of the SDK; it is the SDK's own per-request hook.
    (options as CosmosClientOptions & { plugins: PluginConfig[] }).plugins = [...extras.plugins];
  }
  return new CosmosClient(options);
}

export function createBlobServiceClient(config: Pick<Config, "storage">): BlobServiceClient {
  const { connectionString, blobUrl } = config.storage;
  if (connectionString !== undefined) return BlobServiceClient.fromConnectionString(connectionString);
  if (blobUrl !== undefined) return new BlobServiceClient(blobUrl, new DefaultAzureCredential());
  throw new Error("No Blob storage configured");
}

/** The queue service of the same account: from the connection string, STORAGE_QUEUE_URL, or the blob URL's account. */
export function createQueueServiceClient(config: Pick<Config, "storage">): QueueServiceClient {
  const { connectionString, blobUrl, queueUrl } = config.storage;
  if (connectionString !== undefined) return QueueServiceClient.fromConnectionString(connectionString);
  const url = queueUrl ?? blobUrl?.replace(".blob.", ".queue.");
  if (url !== undefined) return new QueueServiceClient(url, new DefaultAzureCredential());
  throw new Error("No Storage account configured");
}

function isLocalEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "::1";
}
