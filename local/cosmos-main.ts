// The embedded Cosmos emulator as a process of its own (started by local/start.ts):
//   node dist/local/cosmos-main.js --port 8081 [--host 127.0.0.1] [--snapshot .local/cosmos-snapshot.json]
// With --snapshot, documents are restored at start and saved on SIGINT/SIGTERM (the emulator keeps data in memory).
import { parseArgs } from "node:util";
import { startCosmosEmulator } from "./cosmos-emulator";
import { restoreCosmosSnapshot, saveCosmosSnapshot } from "./cosmos-snapshot";
import { announceReady } from "./processes";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: "string", default: "8081" }, host: { type: "string" }, snapshot: { type: "string" } },
  });
  const emulator = await startCosmosEmulator({
    port: Number(values.port),
    ...(values.host ? { host: values.host } : {}),
  });
  const snapshot = values.snapshot;
  let restored = 0;
  if (snapshot !== undefined) restored = await restoreCosmosSnapshot(emulator.endpoint, snapshot);
  // Ready only once the snapshot is back: the parent's bootstrap must see the restored containers, not create them.
  const detail = restored > 0 ? `restored ${restored} documents from ${snapshot ?? ""}` : "nothing to restore";
  console.log(`[cosmos] emulator listening on ${emulator.endpoint} (${detail})`);
  announceReady({ url: emulator.endpoint, detail });
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    let code = 0;
    try {
      if (snapshot !== undefined) {
        const saved = await saveCosmosSnapshot(emulator.endpoint, snapshot);
        console.log(`[cosmos] saved ${saved} documents to ${snapshot}`);
      }
    } catch (err) {
      console.error("[cosmos] could not save the snapshot:", err);
      code = 1;
    }
    await emulator.close();
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      void stop();
    });
  }
}

main().catch((err: unknown) => {
  console.error("[cosmos] failed to start:", err);
  process.exit(1);
});
