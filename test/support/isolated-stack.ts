// A stack of its own for a test that kills hosts: a Cosmos database of its own on the suite's emulator and an Azurite
// of its own (in memory). What its hosts hold when they die (queue messages, dispatch leases, webhook leases) is never
// the suite's work, and the suite's host never takes its work: the test decides which host does what, and nothing
// else has to be paused or kept away.
import type { Container, Database } from "@azure/cosmos";
import { startAzurite, type Azurite } from "../../local/azurite";
import { bootstrapStorage } from "../../local/bootstrap-storage";
import { startLocalHost, type LocalHost } from "../../local/host-process";
import { freePort } from "../../local/processes";
import { createBlobServiceClient, createQueueServiceClient } from "../../shared/adapters/azure-clients";
import { loadConfig } from "../../shared/config/config";
import { containers, type CosmosContainerId } from "../../shared/storage/definition";
import { baseProcessEnv, cosmosClient, repositoryRoot, testSettings } from "./stack";

export interface IsolatedStack {
  /** The settings of its hosts: the suite's test settings with this stack's database and storage account. */
  readonly settings: Record<string, string>;
  readonly database: Database;
  container(name: CosmosContainerId): Container;
  /** A host on this stack (closed with the stack); `overrides` on top of `settings`. */
  startHost(overrides?: Record<string, string>): Promise<LocalHost>;
  /** Stops its hosts and its Azurite and drops its database. */
  close(): Promise<void>;
}

let stacks = 0;

export async function startIsolatedStack(): Promise<IsolatedStack> {
  stacks += 1;
  const databaseId = `gpd-isolated-${process.pid}-${stacks}-${Date.now()}`;
  const azurite: Azurite = await startAzurite({
    blobPort: await freePort(),
    queuePort: await freePort(),
    location: "memory",
  });
  const hosts: LocalHost[] = [];
  const database = cosmosClient().database(databaseId);
  const close = async () => {
    await Promise.allSettled(hosts.map((host) => host.close()));
    await azurite.close();
    await database.delete().catch(() => undefined);
  };
  try {
    const settings = testSettings({ COSMOS_DATABASE: databaseId, STORAGE_CONNECTION_STRING: azurite.connectionString });
    const config = loadConfig(settings);
    await bootstrapStorage({
      cosmos: cosmosClient(),
      blobService: createBlobServiceClient(config),
      queueService: createQueueServiceClient(config),
      databaseId,
    });
    return {
      settings,
      database,
      container: (name) => database.container(containers[name]),
      startHost: async (overrides = {}) => {
        const host = await startLocalHost({
          root: repositoryRoot,
          port: await freePort(),
          env: { ...baseProcessEnv(), ...settings, ...overrides },
          stdio: "capture",
        });
        hosts.push(host);
        return host;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
