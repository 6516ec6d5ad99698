// The Cosmos emulator in a process of its own (local/cosmos-main.ts). npm start runs it so, with its snapshot; the
// bench too, so that what the bench measures in its own process (the SDK, the use cases) does not share an event
// loop with the emulator answering it.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { captureOutput, nodeArgsWithParentWatchdog, stopChild, waitForReady } from "./processes";

export interface CosmosProcess {
  endpoint: string;
  child: ChildProcess;
  close(): Promise<void>;
}

export async function startCosmosProcess(options: {
  /** 0 for any free port. */
  port: number;
  /** Restored at start, saved at stop (npm start's data). */
  snapshot?: string;
  /** "inherit" prints the emulator's lines (npm start); "capture" keeps them for an error only. */
  stdio: "inherit" | "capture";
  cwd?: string;
}): Promise<CosmosProcess> {
  const args = [
    "--port",
    String(options.port),
    ...(options.snapshot === undefined ? [] : ["--snapshot", options.snapshot]),
  ];
  const child = spawn(process.execPath, nodeArgsWithParentWatchdog(path.join(__dirname, "cosmos-main.js"), args), {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stdio: options.stdio === "inherit" ? ["ignore", "inherit", "inherit", "ipc"] : ["ignore", "pipe", "pipe", "ipc"],
  });
  const output = options.stdio === "capture" ? captureOutput(child) : undefined;
  // A snapshot's data is saved at stop: give it time.
  const close = () => stopChild(child, 15_000);
  try {
    // Ready means listening and the snapshot restored, so a bootstrap after it only creates what is really missing.
    const ready = await waitForReady(child, {
      timeoutMs: 60_000,
      name: "Cosmos emulator",
      ...(output === undefined ? {} : { output }),
    });
    const endpoint = ready.url ?? `http://127.0.0.1:${options.port}`;
    return { endpoint, child, close };
  } catch (error) {
    await close();
    throw error;
  }
}
