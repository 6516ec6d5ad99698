// Starts the local host in this jest worker over the sample app, collecting log entries instead of printing them.
import http from "node:http";
import path from "node:path";
import { startHost, type HostLogEntry, type HostOptions, type RunningHost } from "../../local/host/host";
import type { FixtureState } from "./fixtures/sample-app";

export const fixtureApp = path.join(__dirname, "fixtures", "sample-app.ts");
export const fixtureHostJson = path.join(__dirname, "fixtures", "host.json");

export interface FixtureHost {
  readonly host: RunningHost;
  readonly logs: HostLogEntry[];
  state(): Promise<FixtureState>;
}

export async function startFixtureHost(overrides: Partial<HostOptions> = {}): Promise<FixtureHost> {
  const logs: HostLogEntry[] = [];
  const host = await startHost({
    port: 0,
    host: "127.0.0.1",
    appMain: fixtureApp,
    hostJsonPath: fixtureHostJson,
    env: { SAMPLE_SCHEDULE: "*/2 * * * * *" },
    log: (entry) => logs.push(entry),
    ...overrides,
  });
  return {
    host,
    logs,
    state: async () => JSON.parse(await getClosing(`${host.url}/fixture/state`)) as FixtureState,
  };
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A GET on a connection of its own, closed after the answer: the test process keeps no socket to the host. */
export function getClosing(url: string, method = "GET"): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, agent: false, headers: { connection: "close" } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () => {
        resolve(Buffer.concat(chunks).toString("utf8"));
      });
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end();
  });
}
