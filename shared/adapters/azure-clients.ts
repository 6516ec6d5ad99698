// Builds the SDK clients from config: keys for the local emulators, managed identity (DefaultAzureCredential) in
// Azure. Only the composition root, the CLI, the local stack and tests call these; handlers never build clients.
import { CosmosClient, type CosmosClientOptions, type PluginConfig } from "@azure/cosmos";
import { DefaultAzureCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import type { Config } from "../config/config";

/** Counts network requests to Cosmos (the bench's "round trips per operation"). */
export class RoundTripCounter {
  #count = 0;
  get count(): number {
    return this.#count;
  }
  reset(): void {
    this.#count = 0;
  }
  readonly plugin: PluginConfig = {
    on: "request",
    plugin: (context, diagnosticNode, next) => {
      this.#count += 1;
      return next(context);
    },
  };
}

export interface CosmosClientExtras {
  roundTrips?: RoundTripCounter;
}

export function createCosmosClient(config: Pick<Config, "cosmos">, extras: CosmosClientExtras = {}): CosmosClient {
  const options: CosmosClientOptions = {
    endpoint: config.cosmos.endpoint,
    connectionPolicy: { enableEndpointDiscovery: !isLocalEndpoint(config.cosmos.endpoint) },
    ...(config.cosmos.key !== undefined
      ? { key: config.cosmos.key }
      : { aadCredentials: new DefaultAzureCredential() }),
  };
  if (extras.roundTrips) {
    // `plugins` is a documented-as-hidden option of the SDK; it is the SDK's own per-request hook.
    (options as CosmosClientOptions & { plugins: PluginConfig[] }).plugins = [extras.roundTrips.plugin];
  }
  return new CosmosClient(options);
}

export function createBlobServiceClient(config: Pick<Config, "storage">): BlobServiceClient {
  const { connectionString, blobUrl } = config.storage;
  if (connectionString !== undefined) return BlobServiceClient.fromConnectionString(connectionString);
  if (blobUrl !== undefined) return new BlobServiceClient(blobUrl, new DefaultAzureCredential());
  throw new Error("No Blob storage configured");
}

export function createQueueServiceClient(config: Pick<Config, "storage">): QueueServiceClient {
  const { connectionString, queueUrl } = config.storage;
  if (connectionString !== undefined) return QueueServiceClient.fromConnectionString(connectionString);
  if (queueUrl !== undefined) return new QueueServiceClient(queueUrl, new DefaultAzureCredential());
  throw new Error("No Queue storage configured");
}

function isLocalEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "::1";
}
