// Starts the local stack once per jest run: Cosmos emulator (in this process), Azurite (in memory), the storage
// bootstrap, and the compiled app in the local host. Test workers find it through process.env (test/support/stack.ts).
import { tmpdir } from "node:os";
import path from "node:path";
import { startAzurite } from "../../local/azurite";
import { startCosmosEmulator } from "../../local/cosmos-emulator";
import { hostIsBuilt, startLocalHost } from "../../local/host-process";
import { freePort } from "../../local/processes";
import {
  createBlobServiceClient,
  createQueueServiceClient,
  createCosmosClient,
} from "../../shared/adapters/azure-clients";
import { bootstrapStorage } from "../../local/bootstrap-storage";
import { baseProcessEnv, repositoryRoot, sampleSettings, testConfig, testSettings } from "../support/stack";
import { ensureCurrentBuild } from "./current-build";
import { RunningStack, setRunningStack } from "./running-stack";

export default async function globalSetup(): Promise<void> {
  ensureCurrentBuild(repositoryRoot);
  const started = Date.now();
  const stack = new RunningStack();
  setRunningStack(stack);
  try {
    const [blobPort, queuePort] = [await freePort(), await freePort()];
    const [cosmos, azurite] = await Promise.all([
      startCosmosEmulator({ port: 0 }),
      startAzurite({ blobPort, queuePort, location: "memory" }),
    ]);
    stack.closers.push(
      () => cosmos.close(),
      () => azurite.close(),
    );
    const sample = sampleSettings();
    process.env.COSMOS_ENDPOINT = cosmos.endpoint;
    process.env.COSMOS_KEY = sample.COSMOS_KEY ?? "local-emulator-accepts-any-key";
    process.env.COSMOS_DATABASE = sample.COSMOS_DATABASE ?? "gpd";
    process.env.STORAGE_CONNECTION_STRING = azurite.connectionString;
    const emulatorsUp = Date.now();

    const config = testConfig();
    await bootstrapStorage({
      cosmos: createCosmosClient(config),
      blobService: createBlobServiceClient(config),
      queueService: createQueueServiceClient(config),
      databaseId: config.cosmos.database,
    });
    const bootstrapped = Date.now();

    const hostLog = path.join(tmpdir(), `gpd-test-host-${process.pid}.log`);
    if (hostIsBuilt(repositoryRoot)) {
      const port = await freePort();
      const host = await startLocalHost({
        root: repositoryRoot,
        port,
        env: { ...baseProcessEnv(), ...testSettings() },
        stdio: "capture",
        // Everything the suite's host logs, for reading after a failure (the path is printed below).
        logFile: hostLog,
      });
      stack.closers.push(() => host.close());
      process.env.GPD_TEST_BASE_URL = host.url;
    } else {
      delete process.env.GPD_TEST_BASE_URL;
      process.stdout.write(
        "\n[local stack] dist/local/host/main.js or dist/functions/index.js is missing (run `npm run build`): " +
          "HTTP tests have no host (GPD_TEST_BASE_URL unset).\n",
      );
    }
    const done = Date.now();
    process.stdout.write(
      `\n[local stack] up in ${done - started} ms (emulators ${emulatorsUp - started} ms, ` +
        `bootstrap ${bootstrapped - emulatorsUp} ms, host ${done - bootstrapped} ms; host log ${hostLog})\n`,
    );
  } catch (err) {
    await stack.stop();
    throw err;
  }
}
