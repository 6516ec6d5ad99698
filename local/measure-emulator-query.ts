// Measures one partition-filtered query on the embedded emulator at several sizes, with or without the fixes:
//   node dist/local/measure-emulator-query.js [--unpatched] 1000 10000 50000
// The numbers are quoted in docs/adr/0002-cosmos-emulator-gaps.md.
import type { AddressInfo } from "node:net";
import { CosmosClient, type OperationInput } from "@azure/cosmos";
import { createHttpServer } from "@vercel/cosmosdb-server";
import { startCosmosEmulator } from "./cosmos-emulator";

async function emulator(unpatched: boolean): Promise<{ endpoint: string; close: () => Promise<void> }> {
  if (!unpatched) return startCosmosEmulator({ port: 0 });
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

async function measure(size: number, unpatched: boolean): Promise<void> {
  const emu = await emulator(unpatched);
  const cosmos = new CosmosClient({
    endpoint: emu.endpoint,
    key: "any",
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const { database } = await cosmos.databases.createIfNotExists({ id: "measure" });
  const { container } = await database.containers.createIfNotExists({ id: "docs", partitionKey: { paths: ["/org"] } });
  for (let start = 0; start < size; start += 100) {
    const orgOf = (i: number): string => `org${i % 100}`;
    const byOrg = new Map<string, OperationInput[]>();
    for (let i = start; i < Math.min(size, start + 100); i += 1) {
      const ops = byOrg.get(orgOf(i)) ?? [];
      ops.push({ operationType: "Create", resourceBody: { id: `d${i}`, org: orgOf(i), kind: "position", n: i } });
      byOrg.set(orgOf(i), ops);
    }
    await Promise.all([...byOrg].map(([org, ops]) => container.items.batch(ops, org)));
  }
  const times: number[] = [];
  let count = 0;
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    const { resources } = await container.items
      .query(
        {
          query: "SELECT * FROM c WHERE c.org = @org AND c.kind = 'position'",
          parameters: [{ name: "@org", value: "org7" }],
        },
        { partitionKey: "org7" },
      )
      .fetchAll();
    times.push(performance.now() - started);
    count = resources.length;
  }
  console.log(
    `${unpatched ? "unpatched" : "patched  "} ${String(size).padStart(6)} docs: ${count} rows, ` +
      `${times.map((t) => t.toFixed(1)).join(" / ")} ms`,
  );
  await emu.close();
}

async function main(): Promise<void> {
  const unpatched = process.argv.includes("--unpatched");
  const sizes = process.argv
    .slice(2)
    .filter((a) => /^\d+$/.test(a))
    .map(Number);
  for (const size of sizes.length > 0 ? sizes : [1000, 10_000, 50_000]) await measure(size, unpatched);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
