// The README, pasted block by block: every ```bash block runs in order in one bash process, as a reader pasting them
// into one terminal would, against a stack of its own (emulators, storage bootstrap, the local host) on free ports.
// Nothing in the README is rewritten: the blocks read the variables the README tells a reader about — GPD_HOST_URL
// (default npm start's http://localhost:7071) and the settings the CLI reads from the environment before
// local.settings.json — and this test sets them. Why a stack of its own and not unshare: docs/adr/0060.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startAzurite } from "../../local/azurite";
import { startCosmosEmulator } from "../../local/cosmos-emulator";
import { startLocalHost } from "../../local/host-process";
import { freePort } from "../../local/processes";
import {
  createBlobServiceClient,
  createCosmosClient,
  createQueueServiceClient,
} from "../../shared/adapters/azure-clients";
import { loadConfig } from "../../shared/config/config";
import { bootstrapStorage } from "../../local/bootstrap-storage";
import { runnableBlocks, scriptOf } from "../support/readme-blocks";
import { baseProcessEnv, repositoryRoot, sampleSettings } from "../support/stack";

const budgetMs = 400_000;
jest.setTimeout(budgetMs + 60_000);

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

/** Runs the script; past the budget the whole process group is killed, so a wait that never ends fails the test. */
function runBash(script: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", script], {
      cwd: repositoryRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      output += `\n(killed: still running after ${budgetMs / 1000} s)`;
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, budgetMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

it("runs top to bottom, block by block, and does what its comments say", async () => {
  const blocks = runnableBlocks(readFileSync(path.join(repositoryRoot, "README.md"), "utf8"));
  expect(blocks.length).toBeGreaterThanOrEqual(10);

  const [blobPort, queuePort, hostPort] = [await freePort(), await freePort(), await freePort()];
  const [cosmos, azurite] = await Promise.all([
    startCosmosEmulator({ port: 0 }),
    startAzurite({ blobPort, queuePort, location: "memory" }),
  ]);
  closers.push(
    () => cosmos.close(),
    () => azurite.close(),
  );
  const never = "0 0 0 1 1 *";
  const settings: Record<string, string> = {
    ...sampleSettings(),
    COSMOS_ENDPOINT: cosmos.endpoint,
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    STORAGE_BLOB_URL: "",
    // The jobs the README runs by hand run only then, so each block sees what its own run did (with npm start's
    // schedules a timer may get there first; the README's waits hold either way, the test's checks of what the
    // answers say might not).
    INGEST_RECEIPTS_SCHEDULE: never,
    INGEST_REPORTING_FLOWS_SCHEDULE: never,
    VALIDATE_DEBT_POSITIONS_SCHEDULE: never,
    EXPIRE_DEBT_POSITIONS_SCHEDULE: never,
    // A loaded test machine must not turn a slow answer into a 503.
    COSMOS_REQUEST_TIMEOUT_MS: "30000",
    HTTP_REQUEST_DEADLINE_MS: "60000",
  };
  const config = loadConfig(settings);
  await bootstrapStorage({
    cosmos: createCosmosClient(config),
    blobService: createBlobServiceClient(config),
    queueService: createQueueServiceClient(config),
    databaseId: config.cosmos.database,
  });
  const env = { ...baseProcessEnv(), ...settings };
  const host = await startLocalHost({ root: repositoryRoot, port: hostPort, env, stdio: "capture" });
  closers.push(() => host.close());

  const { code, output } = await runBash(scriptOf(blocks), { ...env, GPD_HOST_URL: host.url });
  const failedAt = [...output.matchAll(/::README block at line (\d+)/g)].at(-1)?.[1];
  if (code !== 0) {
    throw new Error(`README block at line ${failedAt ?? "?"} failed (exit ${code}):\n${output.slice(-6000)}`);
  }
  expect(output).toContain("::README done");

  // What the README's comments promise, each seen in the answers the blocks printed.
  const promised = [
    /HTTP\/1\.1 401/,
    /"environment":"UAT"/,
    /"title":"Existing related payment found or not in publishable state","status":409/,
    /"updatedTransfers":1/,
    /"status":"COMPLETED"/,
    /ingestReceipts succeeded in \d+ ms/,
    /"status":"PAID"/,
    /"title":"Not found the receipt"/,
    /"notificationFee":150/,
    /"status":"REPORTED"/,
    /1 entries: 1 applied, 0 revoked, 0 not applied/,
    /"status":403/,
    /<outcome>OK<\/outcome>/,
    /"status":"RECONCILED"/,
    /"reconciledDate":"2026-11-23/,
    /"secret":"whsec_/,
    /COMPLETED: 200\/200/,
    /201 CREATED: 200/,
    /HTTP\/1\.1 202/,
    /expireDebtPositions succeeded in \d+ ms/,
    /"status":"succeeded"/,
  ];
  for (const answer of promised) expect(output).toMatch(answer);
});
