// close() must leave nothing behind: no listening server, no sockets, no timers — otherwise jest and `npm start`
// would hang after stopping the host.
import { startFixtureHost, waitFor } from "./fixture-host";

const tracked = ["TCPServerWrap", "TCPSocketWrap", "Timeout"] as const;

function counts(): Record<string, number> {
  const all = process.getActiveResourcesInfo();
  return Object.fromEntries(tracked.map((type) => [type, all.filter((r) => r === type).length]));
}

test("close() stops the server, its connections and every timer", async () => {
  const baseline = counts();
  const fixture = await startFixtureHost();
  const { url } = fixture.host;

  // Keep-alive connections, timers firing every second, a slow timer mid-run and a background admin run.
  await waitFor(async () => (await fixture.state()).slowRuns >= 1, 4000);
  expect((await fetch(`${url}/admin/functions/queueLike`, { method: "POST" })).status).toBe(202);
  expect(counts().TCPServerWrap).toBeGreaterThan(baseline.TCPServerWrap ?? 0);

  await fixture.host.close();
  await fixture.host.close(); // idempotent

  await expect(fetch(`${url}/echo/1`)).rejects.toThrow();
  await waitFor(() => JSON.stringify(counts()) === JSON.stringify(baseline), 3000).catch(() => undefined);
  expect(counts()).toEqual(baseline);
  const ticksAfterClose = fixture.logs.filter((e) => e.functionName === "everySecond").length;
  await new Promise((resolve) => setTimeout(resolve, 1200));
  expect(fixture.logs.filter((e) => e.functionName === "everySecond")).toHaveLength(ticksAfterClose);
});
