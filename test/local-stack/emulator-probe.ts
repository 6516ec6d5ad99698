// Test-only containers for probing the emulator's behaviour, kept apart from the app's bootstrapped database.
import type { Container, IndexingPolicy } from "@azure/cosmos";
import { randomUUID } from "node:crypto";
import { cosmosClient } from "../support/stack";

const probeDatabase = "emulator-probe";

/** A new, empty container partitioned on /pk (one per test file, so files can run in parallel). */
export async function probeContainer(name: string, indexingPolicy?: IndexingPolicy): Promise<Container> {
  const { database } = await cosmosClient().databases.createIfNotExists({ id: probeDatabase });
  const { container } = await database.containers.createIfNotExists({
    id: `${name}-${randomUUID().slice(0, 8)}`,
    partitionKey: { paths: ["/pk"] },
    ...(indexingPolicy && { indexingPolicy }),
  });
  return container;
}
