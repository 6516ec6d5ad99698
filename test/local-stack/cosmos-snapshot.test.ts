import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CosmosClient } from "@azure/cosmos";
import { startCosmosEmulator } from "../../local/cosmos-emulator";
import { restoreCosmosSnapshot, saveCosmosSnapshot } from "../../local/cosmos-snapshot";

it("restores the documents and container definitions a snapshot saved (npm start keeps Cosmos data this way)", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "gpd-snapshot-"));
  const file = path.join(dir, "cosmos-snapshot.json");
  const [first, second] = [await startCosmosEmulator({ port: 0 }), await startCosmosEmulator({ port: 0 })];
  try {
    const client = (endpoint: string) =>
      new CosmosClient({ endpoint, key: "any", connectionPolicy: { enableEndpointDiscovery: false } });
    const { database } = await client(first.endpoint).databases.createIfNotExists({ id: "snap" });
    const { container } = await database.containers.createIfNotExists({ id: "docs", partitionKey: { paths: ["/pk"] } });
    await container.items.create({ id: "a", pk: "x", n: 1 });
    await container.items.create({ id: "b", pk: "y", n: 2 });
    await expect(saveCosmosSnapshot(first.endpoint, file)).resolves.toBe(2);
    await expect(restoreCosmosSnapshot(second.endpoint, file)).resolves.toBe(2);
    const restored = client(second.endpoint).database("snap").container("docs");
    const { resource } = await restored.read();
    expect(resource?.partitionKey?.paths).toEqual(["/pk"]);
    await expect(restored.item("b", "y").read()).resolves.toMatchObject({ resource: { id: "b", pk: "y", n: 2 } });
  } finally {
    await Promise.all([first.close(), second.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
});
