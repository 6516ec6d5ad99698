// close() must leave nothing behind: no listening server, no sockets, no timers — otherwise jest and `npm start`
// would hang after stopping the host.
import { Socket } from "node:net";
import { getClosing, startFixtureHost, waitFor } from "./fixture-host";

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
  await getClosing(`${url}/admin/functions/queueLike`, "POST");
  expect(counts().TCPServerWrap).toBeGreaterThan(baseline.TCPServerWrap ?? 0);

  await fixture.host.close();
  await fixture.host.close(); // idempotent

  await expect(getClosing(`${url}/echo/1`)).rejects.toThrow();
  // Nothing of the host's is left: no socket on its port, no more servers or timers than before it started. (Other
  // sockets of this process, e.g. the emulators' when jest runs in band, come and go on their own.)
  const port = Number(new URL(url).port);
  const handles = () => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const socketsOfHost = () =>
    handles().filter((h) => h instanceof Socket && (h.localPort === port || h.remotePort === port)).length;
  const settled = () =>
    socketsOfHost() === 0 &&
    (counts().TCPServerWrap ?? 0) <= (baseline.TCPServerWrap ?? 0) &&
    (counts().Timeout ?? 0) <= (baseline.Timeout ?? 0);
  await waitFor(settled, 5000).catch(() => undefined);
  expect({ sockets: socketsOfHost(), servers: counts().TCPServerWrap, timers: counts().Timeout }).toEqual({
    sockets: 0,
    servers: Math.min(counts().TCPServerWrap ?? 0, baseline.TCPServerWrap ?? 0),
    timers: Math.min(counts().Timeout ?? 0, baseline.Timeout ?? 0),
  });
  const ticksAfterClose = fixture.logs.filter((e) => e.functionName === "everySecond").length;
  await new Promise((resolve) => setTimeout(resolve, 1200));
  expect(fixture.logs.filter((e) => e.functionName === "everySecond")).toHaveLength(ticksAfterClose);
});
