// The one definition of GPD's storage (storage-definition.json, which infra/ Bicep reads too), typed. Code names
// containers through `containers` and `blobContainers`, never with string literals of its own.
import type { IndexingPolicy, PartitionKeyDefinition, UniqueKeyPolicy } from "@azure/cosmos";
import definitionJson from "./storage-definition.json";

export interface CosmosContainerDefinition {
  id: string;
  partitionKey: PartitionKeyDefinition;
  indexingPolicy: IndexingPolicy;
  uniqueKeyPolicy: UniqueKeyPolicy;
}

export interface BlobContainerDefinition {
  name: string;
  purpose: string;
  rejected?: boolean;
}

export interface QueueDefinition {
  name: string;
  purpose: string;
}

export interface StorageDefinition {
  database: string;
  containers: readonly CosmosContainerDefinition[];
  blobContainers: readonly BlobContainerDefinition[];
  queues: readonly QueueDefinition[];
}

export const storageDefinition: StorageDefinition = definitionJson as unknown as StorageDefinition;

export type CosmosContainerId =
  "debtpositions" | "receipts" | "subscriptions" | "organizations" | "reporting" | "webhooks";
export type BlobContainerName =
  | "receipts-inbox"
  | "receipts-rejected"
  | "receipts"
  | "flows-inbox"
  | "flows-rejected"
  | "flows"
  | "statements-inbox"
  | "statements-rejected"
  | "uploads"
  | "notices";
/**
 * host.json extensions.queues.maxDequeueCount: queue functions treat that delivery as the last one, after which the
 * host moves the message to the poison queue (test/unit/storage keeps the two equal).
 */
export const queueMaxDequeueCount = 5;

export type QueueName = "upload-chunks" | "notice-jobs" | "webhook-deliveries";

/** Name → name, checked against the JSON at load: a container renamed in one place only fails at start. */
function pick<T extends string>(available: readonly string[], wanted: readonly T[]): Record<T, T> {
  const missing = wanted.filter((w) => !available.includes(w));
  if (missing.length > 0) throw new Error(`storage-definition.json lacks: ${missing.join(", ")}`);
  return Object.fromEntries(wanted.map((w) => [w, w])) as Record<T, T>;
}

export const containers = pick<CosmosContainerId>(
  storageDefinition.containers.map((c) => c.id),
  ["debtpositions", "receipts", "subscriptions", "organizations", "reporting", "webhooks"],
);

export const blobContainers = pick<BlobContainerName>(
  storageDefinition.blobContainers.map((c) => c.name),
  [
    "receipts-inbox",
    "receipts-rejected",
    "receipts",
    "flows-inbox",
    "flows-rejected",
    "flows",
    "statements-inbox",
    "statements-rejected",
    "uploads",
    "notices",
  ],
);

export const queues = pick<QueueName>(
  storageDefinition.queues.map((q) => q.name),
  ["upload-chunks", "notice-jobs", "webhook-deliveries"],
);
