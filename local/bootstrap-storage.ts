// Creates GPD's storage on the local stack (emulators) from its one definition (shared/storage/storage-definition.json,
// which infra/ Bicep reads too); on Azure the Bicep creates it, so the deployed app does not carry this.
// Idempotent: everything is createIfNotExists, so it runs at every local start and before every test run.
import type { ContainerDefinition, CosmosClient } from "@azure/cosmos";
import type { BlobServiceClient } from "@azure/storage-blob";
import type { QueueServiceClient } from "@azure/storage-queue";
import { storageDefinition } from "../shared/storage/definition";

export interface BootstrapDeps {
  cosmos: CosmosClient;
  blobService: BlobServiceClient;
  /** When given, the storage queues are created too (queue:<name>). */
  queueService?: QueueServiceClient;
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
  const { queueService } = deps;
  if (queueService !== undefined) {
    for (const { name } of storageDefinition.queues) {
      const response = await queueService.getQueueClient(name).createIfNotExists();
      if (response.succeeded) created.push(`queue:${name}`);
    }
  }
  return { created };
}
