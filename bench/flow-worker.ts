// The reporting-flow job in a process of its own, so its event loop and memory are measured alone (the bench's
// Cosmos emulator runs in the bench process): `node dist/bench/flow-worker.js` with the stack's settings in the
// environment. Runs ingestReportingFlows once over the flows inbox, as the timer does, with a 5 ms timer watching
// the event loop, and prints {seconds, examined, accepted, rssGrowthMiB, stallMs, stallCpuMs} as JSON.
import { buildDependencies } from "../functions/dependencies";
import { runIngestReportingFlows } from "../shared/application/flow-ingestion";
import { loadConfig } from "../shared/config/config";
import { silentLogger as silent } from "../shared/logging/logger";

/**
 * Watches the event loop while work runs: the longest gap between two ticks of a 5 ms timer beyond its period (the
 * stall a request would have waited), the CPU time the process used during the gap with the most (what the
 * process's own synchronous work cost, as opposed to time the machine gave to other processes), and peak RSS.
 */
function watchLoop(): () => { stallMs: number; stallCpuMs: number; peakRss: number } {
  let last = performance.now();
  let cpu = process.cpuUsage();
  let stallMs = 0;
  let stallCpuMs = 0;
  let peakRss = process.memoryUsage.rss();
  const tick = () => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    stallMs = Math.max(stallMs, now - last - 5);
    // Other threads (GC, I/O) count in cpuUsage too: never more than the gap itself.
    stallCpuMs = Math.max(stallCpuMs, Math.min((used.user + used.system) / 1000, now - last));
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    last = now;
  };
  const timer = setInterval(tick, 5);
  return () => {
    tick();
    clearInterval(timer);
    return { stallMs: Math.max(0, stallMs), stallCpuMs, peakRss };
  };
}

async function main(): Promise<void> {
  const deps = buildDependencies(loadConfig(process.env));
  const rssBefore = process.memoryUsage.rss();
  const stop = watchLoop();
  // The timer runs once before the work starts, so a synchronous start shows as a stall too.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const t0 = performance.now();
  const summary = await runIngestReportingFlows({
    inbox: deps.flowInbox,
    positions: deps.debtPositions,
    lookup: deps.positionLookup,
    index: deps.reportingIndex,
    flows: deps.flowStore,
    clock: () => new Date(),
    log: silent,
  });
  const seconds = (performance.now() - t0) / 1000;
  const watched = stop();
  process.stdout.write(
    JSON.stringify({
      seconds,
      examined: summary.examined,
      accepted: summary.accepted,
      rssGrowthMiB: (watched.peakRss - rssBefore) / 1024 / 1024,
      stallMs: watched.stallMs,
      stallCpuMs: watched.stallCpuMs,
    }),
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
