// Creates GPD's storage from its one definition (storage-definition.json, which infra/ Bicep reads too).
// Idempotent: everything is createIfNotExists, so it runs at every local start and before every test run.
import type { ContainerDefinition, CosmosClient, IndexingPolicy, PartitionKeyDefinition, UniqueKeyPolicy } from "@azure/cosmos";
import type { BlobServiceClient } from "@azure/storage-blob";
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

export interface StorageDefinition {
  database: string;
  containers: readonly CosmosContainerDefinition[];
  blobContainers: readonly BlobContainerDefinition[];
}

/** The parsed definition; name containers through it (`cosmosContainer("debtpositions").id`), not with literals. */
export const storageDefinition: StorageDefinition = definitionJson as unknown as StorageDefinition;

export type CosmosContainerId = "debtpositions" | "receipts" | "subscriptions" | "organizations";
export type BlobContainerName = "receipts-inbox" | "receipts-rejected" | "receipts" | "flows-inbox" | "flows-rejected" | "flows";

/** The definition of one Cosmos container; throws when the JSON and this list of ids drift apart. */
export function cosmosContainer(id: CosmosContainerId): CosmosContainerDefinition {
  const found = storageDefinition.containers.find((c) => c.id === id);
  if (!found) throw new Error(`storage-definition.json has no Cosmos container "${id}"`);
  return found;
}

/** The definition of one blob container; throws when the JSON and this list of names drift apart. */
export function blobContainer(name: BlobContainerName): BlobContainerDefinition {
  const found = storageDefinition.blobContainers.find((c) => c.name === name);
  if (!found) throw new Error(`storage-definition.json has no blob container "${name}"`);
  return found;
}

export interface BootstrapDeps {
  cosmos: CosmosClient;
  blobService: BlobServiceClient;
  /** From config (COSMOS_DATABASE); the definition's `database` is the default name. */
  databaseId: string;
}

/** Creates what is missing; `created` names what did not exist before (e.g. "cosmos:gpd/debtpositions", "blob:flows"). */
export async function bootstrapStorage(deps: BootstrapDeps): Promise<{ created: string[] }> {
  const created: string[] = [];
  const { database, statusCode } = await deps.cosmos.databases.createIfNotExists({ id: deps.databaseId });
  if (statusCode === 201) created.push(`cosmos:${deps.databaseId}`);
  // One after another: the emulator and a fresh Azure account both handle small bursts poorly, and it is four calls.
  for (const container of storageDefinition.containers) {
    const body: ContainerDefinition = {
      id: container.id,
      partitionKey: container.partitionKey,
      indexingPolicy: container.indexingPolicy,
      uniqueKeyPolicy: container.uniqueKeyPolicy,
    };
    const response = await database.containers.createIfNotExists(body);
    if (response.statusCode === 201) created.push(`cosmos:${deps.databaseId}/${container.id}`);
  }
  const blobResults = await Promise.all(
    storageDefinition.blobContainers.map(async ({ name }) => {
      const response = await deps.blobService.getContainerClient(name).createIfNotExists();
      return response.succeeded ? `blob:${name}` : undefined;
    }),
  );
  created.push(...blobResults.filter((name) => name !== undefined));
  return { created };
}
