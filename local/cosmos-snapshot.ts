// Keeps the in-memory Cosmos emulator's data across `npm start` runs: saved on a clean shutdown, restored at start.
// Uses the SDK over HTTP, so it works with any emulator that speaks the Cosmos REST API.
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { CosmosClient, type ContainerDefinition } from "@azure/cosmos";

interface Snapshot {
  databases: { id: string; containers: { definition: ContainerDefinition; items: Record<string, unknown>[] }[] }[];
}

const systemProperties = ["_rid", "_self", "_etag", "_attachments", "_ts"];

function client(endpoint: string): CosmosClient {
  return new CosmosClient({
    endpoint,
    key: "local-emulator-accepts-any-key",
    connectionPolicy: { enableEndpointDiscovery: false },
  });
}

/** Writes every database, container definition and document; returns the number of documents. */
export async function saveCosmosSnapshot(endpoint: string, file: string): Promise<number> {
  const cosmos = client(endpoint);
  const snapshot: Snapshot = { databases: [] };
  let count = 0;
  const { resources: databases } = await cosmos.databases.readAll().fetchAll();
  for (const { id } of databases) {
    const database = cosmos.database(id);
    const { resources: containers } = await database.containers.readAll().fetchAll();
    const entry: Snapshot["databases"][number] = { id, containers: [] };
    for (const container of containers) {
      const { resources } = await database.container(container.id).items.readAll<Record<string, unknown>>().fetchAll();
      const items = resources.map((item) =>
        Object.fromEntries(Object.entries(item).filter(([key]) => !systemProperties.includes(key))),
      );
      count += items.length;
      const { id: containerId, partitionKey, indexingPolicy, uniqueKeyPolicy } = container;
      entry.containers.push({ definition: { id: containerId, partitionKey, indexingPolicy, uniqueKeyPolicy }, items });
    }
    snapshot.databases.push(entry);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so an interrupted save never leaves half a snapshot behind.
  writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
  renameSync(`${file}.tmp`, file);
  return count;
}

/** Recreates what a snapshot holds (documents get new ETags); returns the number of documents, 0 without a file. */
export async function restoreCosmosSnapshot(endpoint: string, file: string): Promise<number> {
  if (!existsSync(file)) return 0;
  const snapshot = JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  const cosmos = client(endpoint);
  let count = 0;
  for (const entry of snapshot.databases) {
    const { database } = await cosmos.databases.createIfNotExists({ id: entry.id });
    for (const { definition, items } of entry.containers) {
      const { container } = await database.containers.createIfNotExists(definition);
      for (const item of items) {
        await container.items.upsert(item);
        count += 1;
      }
    }
  }
  return count;
}
