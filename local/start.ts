// `npm start`: the whole GPD stack on this machine (SPEC §2.5). Emulators only where the settings point at the
// standard local ports and nothing listens there yet; anything else (official emulator, Azure) is used as it is.
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  createBlobServiceClient,
  createQueueServiceClient,
  createCosmosClient,
} from "../shared/adapters/azure-clients";
import { ConfigError, loadConfig, type Config } from "../shared/config/config";
import { bootstrapStorage } from "../shared/storage/bootstrap";
import { startAzurite, type Azurite } from "./azurite";
import { hostIsBuilt, hostPaths, startLocalHost, type LocalHost } from "./host-process";
import { isPortOpen, nodeArgsWithParentWatchdog, stopChild, waitForPort } from "./processes";

const root = path.resolve(__dirname, "../..");
const settingsFile = path.join(root, "local.settings.json");
const localData = path.join(root, ".local");
const cosmosPort = 8081;
const azuritePorts = { blobPort: 10000, queuePort: 10001 };

interface LocalSettings {
  Values?: Record<string, string>;
  Host?: { LocalHttpPort?: number };
}

function readSettings(): LocalSettings {
  if (!existsSync(settingsFile)) {
    copyFileSync(path.join(root, "local.settings.sample.json"), settingsFile);
    console.log("Created local.settings.json from local.settings.sample.json");
  }
  return JSON.parse(readFileSync(settingsFile, "utf8")) as LocalSettings;
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
  const child = spawn(
    process.execPath,
    nodeArgsWithParentWatchdog(path.join(__dirname, "cosmos-main.js"), [
      "--port",
      String(cosmosPort),
      "--snapshot",
      path.join(localData, "cosmos-snapshot.json"),
    ]),
    { cwd: root, stdio: ["ignore", "inherit", "inherit"] },
  );
  running.push({ name: "Cosmos emulator", stop: () => stopChild(child, 15_000) });
  watch("Cosmos emulator", child);
  await waitForPort("127.0.0.1", cosmosPort, { timeoutMs: 60_000, child, name: "Cosmos emulator" });
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
  const values = settings.Values ?? {};
  let config: Config;
  try {
    config = loadConfig({ ...process.env, ...values });
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
  if (created.length > 0) console.log(`Created ${created.join(", ")}`);

  const port = settings.Host?.LocalHttpPort ?? 7071;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...values })) if (value !== undefined) env[key] = value;
  const host: LocalHost = await startLocalHost({ root, port, env, stdio: "inherit", timeoutMs: 60_000 });
  running.push({ name: "functions host", stop: () => host.close() });
  watch("functions host", host.child);

  console.log(
    `\nGPD is up on http://localhost:${port} (${Date.now() - started} ms) — create a key: ` +
      "npm run gpd -- subscription create --name dev --orgs 77777777777\n",
  );
}

main().catch((err: unknown) => {
  void shutdown(1, `Could not start the local stack: ${err instanceof Error ? err.message : String(err)}`);
});
