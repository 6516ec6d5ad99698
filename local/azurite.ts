// Azurite from node_modules, blob and queue only (the app uses no tables), as two child processes.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { captureOutput, nodeArgsWithParentWatchdog, stopChild, waitForPort } from "./processes";

export interface AzuriteOptions {
  blobPort: number;
  queuePort: number;
  /** A directory (created if missing; data survives restarts) or "memory". */
  location: string;
  host?: string;
}

export interface Azurite {
  connectionString: string;
  close(): Promise<void>;
  /** Resolves with the service's name if a child exits before close() (npm start stops everything then). */
  exited: Promise<string>;
}

/** Azurite's well-known development account (public, the same for every Azurite install). */
export const devStoreAccount = {
  name: "devstoreaccount1",
  key: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
} as const;

export function azuriteConnectionString(host: string, blobPort: number, queuePort: number): string {
  return [
    "DefaultEndpointsProtocol=http",
    `AccountName=${devStoreAccount.name}`,
    `AccountKey=${devStoreAccount.key}`,
    `BlobEndpoint=http://${host}:${blobPort}/${devStoreAccount.name}`,
    `QueueEndpoint=http://${host}:${queuePort}/${devStoreAccount.name}`,
  ].join(";");
}

const requireHere = createRequire(__filename);
const azuriteRoot = path.dirname(requireHere.resolve("azurite/package.json"));

export async function startAzurite(options: AzuriteOptions): Promise<Azurite> {
  const host = options.host ?? "127.0.0.1";
  const persistence =
    options.location === "memory" ? ["--inMemoryPersistence"] : ["--location", path.resolve(options.location)];
  if (options.location !== "memory") mkdirSync(path.resolve(options.location), { recursive: true });
  // --skipApiVersionCheck: @azure/storage-blob 12.32 speaks a newer API version than Azurite 3.35 knows.
  // --disableTelemetry: otherwise Azurite calls out to the internet at start and every few seconds.
  const common = ["--skipApiVersionCheck", "--disableTelemetry", "--silent", ...persistence];
  const services = [
    {
      name: "azurite-blob",
      script: "dist/src/blob/main.js",
      args: ["--blobHost", host, "--blobPort", String(options.blobPort)],
      port: options.blobPort,
    },
    {
      name: "azurite-queue",
      script: "dist/src/queue/main.js",
      args: ["--queueHost", host, "--queuePort", String(options.queuePort)],
      port: options.queuePort,
    },
  ];
  const children: ChildProcess[] = [];
  let closing = false;
  let reportExit: (name: string) => void = () => undefined;
  const exited = new Promise<string>((resolve) => {
    reportExit = resolve;
  });
  const close = async (): Promise<void> => {
    closing = true;
    await Promise.all(children.map((child) => stopChild(child)));
  };
  try {
    await Promise.all(
      services.map(async (service) => {
        const script = path.join(azuriteRoot, service.script);
        const child = spawn(process.execPath, nodeArgsWithParentWatchdog(script, [...service.args, ...common]), {
          stdio: ["ignore", "pipe", "pipe"],
        });
        children.push(child);
        child.once("exit", () => {
          if (!closing) reportExit(service.name);
        });
        const output = captureOutput(child);
        // Generous: on a loaded machine (eight engineers, two cores) Azurite has been seen to need more than 20 s.
        await waitForPort(host, service.port, { timeoutMs: 60_000, child, name: service.name, output });
      }),
    );
  } catch (err) {
    await close();
    throw err;
  }
  return { connectionString: azuriteConnectionString(host, options.blobPort, options.queuePort), close, exited };
}
