import { bootstrapStorage } from "../../local/bootstrap-storage";
import { storageDefinition } from "../../shared/storage/definition";
import { blobService, cosmosClient, testConfig } from "../support/stack";

const deps = () => ({ cosmos: cosmosClient(), blobService: blobService(), databaseId: testConfig().cosmos.database });

describe("bootstrapStorage", () => {
  it("creates nothing when run again after the global setup", async () => {
    await expect(bootstrapStorage(deps())).resolves.toEqual({ created: [] });
  });

  it("creates exactly what is missing, once", async () => {
    const databaseId = `bootstrap-probe-${Date.now()}`;
    const fresh = { ...deps(), databaseId };
    await expect(bootstrapStorage(fresh)).resolves.toEqual({
      created: [`cosmos:${databaseId}`, ...storageDefinition.containers.map((c) => `cosmos:${databaseId}/${c.id}`)],
    });
    await expect(bootstrapStorage(fresh)).resolves.toEqual({ created: [] });
    await cosmosClient().database(databaseId).delete();
  });

  it.each(storageDefinition.containers.map((c) => [c.id, c] as const))(
    "gives container %s the definition's partition key and unique keys",
    async (id, definition) => {
      const { resource } = await cosmosClient().database(testConfig().cosmos.database).container(id).read();
      expect(resource?.partitionKey?.paths).toEqual(definition.partitionKey.paths);
      expect(resource?.uniqueKeyPolicy?.uniqueKeys ?? []).toEqual(definition.uniqueKeyPolicy.uniqueKeys);
      expect(resource?.indexingPolicy?.compositeIndexes ?? []).toEqual(
        definition.indexingPolicy.compositeIndexes ?? [],
      );
    },
  );

  it("creates every blob container of the definition", async () => {
    const names: string[] = [];
    for await (const container of blobService().listContainers()) names.push(container.name);
    // Other test files add scratch containers of their own to the shared Azurite: check inclusion, not equality.
    expect(names).toEqual(expect.arrayContaining(storageDefinition.blobContainers.map((c) => c.name)));
  });
});
