// Starts the local host in this jest worker over the sample app, collecting log entries instead of printing them.
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
    state: async () => {
      const response = await fetch(`${host.url}/fixture/state`);
      return (await response.json()) as FixtureState;
    },
  };
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
