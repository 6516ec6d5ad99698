// Small process and port helpers shared by the local stack (npm start) and the jest setup.
import type { ChildProcess } from "node:child_process";
import { connect, createServer, type AddressInfo } from "node:net";

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => {
      done(false);
    });
    socket.once("connect", () => {
      done(true);
    });
    socket.once("error", () => {
      done(false);
    });
  });
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * Polls until host:port accepts connections. Fails early, with the child's recent output, when the child that should
 * open the port exits first.
 */
export async function waitForPort(
  host: string,
  port: number,
  options: { timeoutMs: number; child?: ChildProcess; name: string; output?: () => string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const { child } = options;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(
        `${options.name} exited (${child.exitCode ?? child.signalCode ?? "?"}) before listening on ${host}:${port}\n${options.output?.() ?? ""}`,
      );
    }
    if (await isPortOpen(host, port)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${options.name} did not listen on ${host}:${port} within ${options.timeoutMs} ms\n${options.output?.() ?? ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** SIGTERM, then SIGKILL if the child has not exited after graceMs; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      resolve();
    }),
  );
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Keeps the last few kilobytes a child printed, for error messages. */
export function captureOutput(child: ChildProcess, limit = 8192): () => string {
  let text = "";
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString("utf8")).slice(-limit);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return () => text;
}

/**
 * Arguments for `spawn(process.execPath, …)` that run `script` with `args` and make it exit when its parent dies,
 * even by SIGKILL (a killed jest or npm start must not leave Azurite or a host holding ports). A preloaded module
 * polls process.ppid, which changes when the parent is gone; the script itself sees its usual process.argv.
 */
export function nodeArgsWithParentWatchdog(script: string, args: readonly string[]): string[] {
  const watchdog =
    "const p = process.ppid; setInterval(() => { if (process.ppid !== p) process.exit(1); }, 500).unref();";
  return ["--import", `data:text/javascript,${encodeURIComponent(watchdog)}`, script, ...args];
}

/** What a child started with an IPC channel sends once it is ready to serve (every port bound, data restored). */
export interface ReadyMessage {
  type: "ready";
  url?: string;
  detail?: string;
}

function isReadyMessage(message: unknown): message is ReadyMessage {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === "ready";
}

/**
 * Waits for the child's ready message (spawned with an "ipc" stdio entry). Fails with the child's own last words when
 * it exits first, e.g. on a busy port: a port that accepts connections may belong to someone else, a message cannot.
 */
export function waitForReady(
  child: ChildProcess,
  options: { timeoutMs: number; name: string; output?: () => string },
): Promise<ReadyMessage> {
  return new Promise((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      // The channel has done its job; it must not keep either process alive.
      child.channel?.unref();
      settle();
    };
    const onMessage = (message: unknown) => {
      if (isReadyMessage(message)) {
        finish(() => {
          resolve(message);
        });
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      const output = options.output?.().trim() ?? "";
      finish(() => {
        reject(
          new Error(
            `${options.name} exited (${code ?? signal ?? "?"}) before it was ready${output ? `\n${output}` : ""}`,
          ),
        );
      });
    };
    const timer = setTimeout(() => {
      finish(() => {
        reject(new Error(`${options.name} was not ready within ${options.timeoutMs} ms`));
      });
    }, options.timeoutMs);
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Tells the parent (when it started this process with an IPC channel) that this process is ready. */
export function announceReady(message: Omit<ReadyMessage, "type">): void {
  // A parent that is already gone (it is stopping everything) must not crash this process: nobody waits any more.
  if (!process.send || !process.connected) return;
  process.send({ type: "ready", ...message }, undefined, {}, () => undefined);
  process.channel?.unref();
}
