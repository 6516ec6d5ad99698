// A notice batch in a process of its own, so its memory is measured alone: `node dist/bench/notice-batch-worker.js
// <organization> <format> <iupd…>` with the stack's settings in the environment. Creates the job, runs the worker
// (what the queue trigger calls), and prints {seconds, rendered, size, maxRssMiB} as JSON.
import { buildDependencies } from "../functions/dependencies";
import { loadConfig } from "../shared/config/config";
import type { NoticeArchiveFormat } from "../shared/domain/notices/notice-job";

async function main(): Promise<void> {
  const [organization = "", format = "ZIP", ...iupds] = process.argv.slice(2);
  const deps = buildDependencies(loadConfig(process.env));
  const ctx = {
    organizationFiscalCode: organization,
    caller: { subscriptionName: "bench", organizations: [organization], products: [] },
    now: new Date(),
  };
  const job = await deps.noticeService.createJob(ctx, {
    format: format as NoticeArchiveFormat,
    selection: { kind: "iupds", iupds },
  });
  const t0 = performance.now();
  const done = await deps.noticeService.run(organization, job.jobId, true);
  const seconds = (performance.now() - t0) / 1000;
  if (done?.status !== "COMPLETED")
    throw new Error(`the batch ended ${done?.status ?? "missing"}: ${done?.error ?? ""}`);
  process.stdout.write(
    JSON.stringify({
      seconds,
      rendered: done.rendered,
      size: done.archive?.size ?? 0,
      // maxRSS is in KiB: the peak resident set of this process, rendering included.
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
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
