// `npm start`: the whole GPD stack on this machine. Emulators only where the settings point at the standard local
// ports and nothing listens there yet; anything else (official emulator, Azure) is used as it is. Settings come from
// local.settings.json `Values`, overridden by the environment as Core Tools does (`LOG_LEVEL=debug npm start`).
import type { ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  createBlobServiceClient,
  createQueueServiceClient,
  createCosmosClient,
} from "../shared/adapters/azure-clients";
import { ConfigError, loadConfig, type Config } from "../shared/config/config";
import { CosmosOrganizationRepository } from "../shared/adapters/cosmos/cosmos-organization-repository";
import { CosmosSubscriptionRepository } from "../shared/adapters/cosmos/cosmos-subscription-repository";
import { containers } from "../shared/storage/definition";
import { bootstrapStorage } from "./bootstrap-storage";
import { startAzurite, type Azurite } from "./azurite";
import { startCosmosProcess } from "./cosmos-process";
import { hostIsBuilt, hostPaths, startLocalHost, type LocalHost } from "./host-process";
import type { CorsPolicy } from "./host/http-server";
import { isPortOpen } from "./processes";
import { readyMessage, sampleOrganization, type StackState } from "./ready-line";

const root = path.resolve(__dirname, "../..");
const settingsFile = path.join(root, "local.settings.json");
const localData = path.join(root, ".local");
const cosmosPort = 8081;
const azuritePorts = { blobPort: 10000, queuePort: 10001 };

interface LocalSettings {
  Values?: Record<string, string>;
  Host?: { LocalHttpPort?: number; CORS?: string; CORSCredentials?: boolean };
}

function readSettings(): LocalSettings {
  if (!existsSync(settingsFile)) {
    copyFileSync(path.join(root, "local.settings.sample.json"), settingsFile);
    console.log("Created local.settings.json from local.settings.sample.json");
  }
  return JSON.parse(readFileSync(settingsFile, "utf8")) as LocalSettings;
}

/** Host.CORS ("*" or a comma-separated list of origins) and Host.CORSCredentials, as Core Tools reads them. */
function corsOf(settings: LocalSettings): CorsPolicy | undefined {
  const origins = (settings.Host?.CORS ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter((o) => o !== "");
  return origins.length === 0 ? undefined : { origins, credentials: settings.Host?.CORSCredentials === true };
}

function isLocal(hostname: string): boolean {
  return hostname === "127.0.0.1" || hostname === "localhost";
}

function wantsEmbeddedCosmos(config: Config): boolean {
  const url = new URL(config.cosmos.endpoint);
  return isLocal(url.hostname) && Number(url.port) === cosmosPort;
}

function wantsAzurite(config: Config): boolean {
  const connection = config.storage.connectionString ?? "";
  return /UseDevelopmentStorage=true/i.test(connection) || /(127\.0\.0\.1|localhost):10000\b/.test(connection);
}

/** What runs, newest last; stopped in reverse so the host goes before the stores it talks to. */
const running: { name: string; stop: () => Promise<void> }[] = [];
let shuttingDown = false;

async function shutdown(code: number, reason?: string): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    if (reason !== undefined) console.error(reason);
    for (const { name, stop } of running.reverse()) {
      try {
        await stop();
      } catch (err) {
        console.error(`Could not stop ${name}:`, err);
        code = code === 0 ? 1 : code;
      }
    }
    process.exit(code);
  }
  // A second Ctrl-C while stopping: let the first shutdown finish.
  return new Promise<never>(() => undefined);
}

/** A child whose exit, unless we are stopping, takes the whole stack down naming it. */
function watch(name: string, child: ChildProcess): void {
  child.once("exit", (code, signal) => {
    if (!shuttingDown)
      void shutdown(1, `${name} stopped unexpectedly (${code ?? signal ?? "?"}); stopping everything.`);
  });
}

async function startCosmos(): Promise<void> {
  if (await isPortOpen("127.0.0.1", cosmosPort)) {
    console.log(`Cosmos: using what already listens on 127.0.0.1:${cosmosPort}`);
    return;
  }
  const cosmos = await startCosmosProcess({
    port: cosmosPort,
    snapshot: path.join(localData, "cosmos-snapshot.json"),
    stdio: "inherit",
    cwd: root,
  });
  running.push({ name: "Cosmos emulator", stop: () => cosmos.close() });
  watch("Cosmos emulator", cosmos.child);
}

async function startStorage(): Promise<void> {
  if (await isPortOpen("127.0.0.1", azuritePorts.blobPort)) {
    console.log(`Storage: using what already listens on 127.0.0.1:${azuritePorts.blobPort}`);
    return;
  }
  const azurite: Azurite = await startAzurite({ ...azuritePorts, location: path.join(localData, "azurite") });
  running.push({ name: "Azurite", stop: () => azurite.close() });
  void azurite.exited.then((name) => {
    if (!shuttingDown) void shutdown(1, `${name} stopped unexpectedly; stopping everything.`);
  });
}

async function main(): Promise<void> {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      void shutdown(0);
    });
  }
  const settings = readSettings();
  // As in Core Tools, a variable set in the environment wins over the same name in local.settings.json (so a secret
  // such as FDR3_SUBSCRIPTION_KEY can stay out of the file).
  const values: Record<string, string> = { ...(settings.Values ?? {}) };
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) values[key] = value;
  let config: Config;
  try {
    config = loadConfig(values);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`local.settings.json is not valid:\n${err.problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  if (!hostIsBuilt(root)) {
    const { main: hostMain, app } = hostPaths(root);
    console.error(
      `Missing ${path.relative(root, hostMain)} or ${path.relative(root, app)}: run \`npm run build\` first.`,
    );
    process.exit(1);
  }

  const started = Date.now();
  if (!wantsEmbeddedCosmos(config)) console.log(`Cosmos: ${config.cosmos.endpoint}`);
  if (!wantsAzurite(config)) console.log("Storage: as configured");
  await Promise.all([
    wantsEmbeddedCosmos(config) ? startCosmos() : undefined,
    wantsAzurite(config) ? startStorage() : undefined,
  ]);
  const { created } = await bootstrapStorage({
    cosmos: createCosmosClient(config),
    blobService: createBlobServiceClient(config),
    queueService: createQueueServiceClient(config),
    databaseId: config.cosmos.database,
  });
  if (created.length > 0) console.log(`Storage: created ${created.join(", ")} (they did not exist yet)`);

  const port = settings.Host?.LocalHttpPort ?? 7071;
  if (await isPortOpen("127.0.0.1", port)) {
    return shutdown(1, `Port ${port} is already in use (another npm start?): stop it, or set Host.LocalHttpPort.`);
  }
  const cors = corsOf(settings);
  const host: LocalHost = await startLocalHost({
    root,
    port,
    env: values,
    stdio: "inherit",
    timeoutMs: 60_000,
    ...(cors ? { cors } : {}),
  });
  running.push({ name: "functions host", stop: () => host.close() });
  watch("functions host", host.child);

  // Printed only now: every port is bound and answering (the host said so once it listened).
  console.log(`\n${readyMessage(host.url, Date.now() - started, await stackState(config))}\n`);
}

/** What the ready line's suggestions depend on; a store that does not answer leaves the full sequence suggested. */
async function stackState(config: Config): Promise<StackState> {
  const cosmos = createCosmosClient(config);
  try {
    const database = cosmos.database(config.cosmos.database);
    const [organization, devKey] = await Promise.all([
      new CosmosOrganizationRepository(database.container(containers.organizations)).find(sampleOrganization),
      new CosmosSubscriptionRepository(database.container(containers.subscriptions)).findByName("dev"),
    ]);
    return { sampleOrganizationRegistered: organization !== undefined, devKeyExists: devKey !== undefined };
  } catch {
    return { sampleOrganizationRegistered: false, devKeyExists: false };
  } finally {
    cosmos.dispose();
  }
}

main().catch((err: unknown) => {
  void shutdown(1, `Could not start the local stack: ${err instanceof Error ? err.message : String(err)}`);
});
