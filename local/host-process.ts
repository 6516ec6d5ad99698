// Runs the local Functions host (local/host/main.ts, compiled) as a child process: `npm start` and the tests both
// start it this way, so the app always runs in a process of its own with exactly the settings it is given.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import path from "node:path";
import type { CorsPolicy } from "./host/http-server";
import { captureOutput, nodeArgsWithParentWatchdog, stopChild, waitForReady } from "./processes";

export interface LocalHost {
  url: string;
  child: ChildProcess;
  /** What the host printed lately (only when its output is captured). */
  output: () => string;
  close: () => Promise<void>;
}

export interface LocalHostOptions {
  /** Repository root holding dist/. */
  root: string;
  port: number;
  /** The whole environment of the host: the app reads its settings from there, as in Azure. */
  env: Record<string, string>;
  /** "inherit" for npm start (logs on the terminal), "capture" for tests (shown only when something fails). */
  stdio: "inherit" | "capture";
  timeoutMs?: number;
  /** With "capture": also append everything the host prints to this file (the test suite's host, for diagnosis). */
  logFile?: string;
  /** Host.CORS / Host.CORSCredentials of local.settings.json. */
  cors?: CorsPolicy;
}

export function hostPaths(root: string): { main: string; app: string } {
  return { main: path.join(root, "dist/local/host/main.js"), app: path.join(root, "dist/functions/index.js") };
}

/** True when `npm run build` has produced both the host and the app. */
export function hostIsBuilt(root: string): boolean {
  const { main, app } = hostPaths(root);
  return existsSync(main) && existsSync(app);
}

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const { main, app } = hostPaths(options.root);
  const cors = options.cors
    ? ["--cors", options.cors.origins.join(","), ...(options.cors.credentials ? ["--cors-credentials"] : [])]
    : [];
  const child = spawn(
    process.execPath,
    nodeArgsWithParentWatchdog(main, ["--port", String(options.port), "--app", app, ...cors]),
    {
      cwd: options.root,
      env: options.env,
      stdio: options.stdio === "inherit" ? ["ignore", "inherit", "inherit", "ipc"] : ["ignore", "pipe", "pipe", "ipc"],
    },
  );
  const output = options.stdio === "capture" ? captureOutput(child) : () => "";
  if (options.logFile !== undefined) {
    const file = createWriteStream(options.logFile, { flags: "a" });
    child.stdout?.pipe(file);
    child.stderr?.pipe(file);
  }
  const close = (): Promise<void> => stopChild(child);
  try {
    const ready = await waitForReady(child, { timeoutMs: options.timeoutMs ?? 20_000, name: "functions host", output });
    return { url: ready.url ?? `http://127.0.0.1:${options.port}`, child, output, close };
  } catch (err) {
    await close();
    throw err;
  }
}
