// What the app relies on from Cosmos, as the local emulator does it (patched, docs/adr/0002-cosmos-emulator-gaps.md):
// a failed transactional batch writes nothing, as on Cosmos, so the app needs no compensation of its own.
import type { Container, OperationInput } from "@azure/cosmos";
import { probeContainer } from "./emulator-probe";

let container: Container;
const pk = "77777777777";

beforeAll(async () => {
  container = await probeContainer("behaviour");
});

describe("point operations", () => {
  it("creates, reads, replaces with IfMatch and deletes", async () => {
    const { resource: created } = await container.items.create({ id: "a", pk, version: 1 });
    expect(created?._etag).toEqual(expect.any(String));
    const { resource: read, statusCode } = await container.item("a", pk).read<{ version: number }>();
    expect([statusCode, read?.version]).toEqual([200, 1]);
    const { resource: replaced } = await container
      .item("a", pk)
      .replace({ id: "a", pk, version: 2 }, { accessCondition: { type: "IfMatch", condition: created!._etag } });
    expect(replaced?._etag).not.toEqual(created?._etag);
    await container.item("a", pk).delete({ accessCondition: { type: "IfMatch", condition: replaced!._etag } });
    await expect(container.item("a", pk).read()).resolves.toMatchObject({ statusCode: 404 });
  });

  it("answers 409 to a duplicate id in the same partition only", async () => {
    await container.items.create({ id: "dup", pk });
    await expect(container.items.create({ id: "dup", pk })).rejects.toMatchObject({ code: 409 });
    await expect(container.items.create({ id: "dup", pk: "other" })).resolves.toMatchObject({ statusCode: 201 });
  });

  it("answers 404 when the partition key is wrong", async () => {
    await container.items.create({ id: "wrong-pk", pk });
    await expect(container.item("wrong-pk", "other").read()).resolves.toMatchObject({ statusCode: 404 });
  });

  it("answers 412 to replace, delete and patch with a stale ETag", async () => {
    const { resource } = await container.items.create({ id: "stale", pk, n: 0 });
    await container.item("stale", pk).replace({ id: "stale", pk, n: 1 });
    const stale = { accessCondition: { type: "IfMatch", condition: resource!._etag } };
    await expect(container.item("stale", pk).replace({ id: "stale", pk, n: 2 }, stale)).rejects.toMatchObject({
      code: 412,
    });
    await expect(container.item("stale", pk).delete(stale)).rejects.toMatchObject({ code: 412 });
    await expect(
      container.item("stale", pk).patch([{ op: "incr", path: "/n", value: 1 }], stale),
    ).rejects.toMatchObject({ code: 412 });
  });

  it("patches only when the filter condition holds (412 otherwise)", async () => {
    await container.items.create({ id: "patched", pk, status: "DRAFT", n: 1 });
    await expect(
      container.item("patched", pk).patch({
        condition: "FROM c WHERE c.status = 'VALID'",
        operations: [{ op: "set", path: "/status", value: "PUBLISHED" }],
      }),
    ).rejects.toMatchObject({ code: 412 });
    const { resource } = await container.item("patched", pk).patch<{ status: string; n: number }>({
      condition: "FROM c WHERE c.status = 'DRAFT'",
      operations: [
        { op: "set", path: "/status", value: "PUBLISHED" },
        { op: "incr", path: "/n", value: 2 },
      ],
    });
    expect([resource?.status, resource?.n]).toEqual(["PUBLISHED", 3]);
  });
});

describe("transactional batch", () => {
  it("applies a batch that succeeds", async () => {
    const operations: OperationInput[] = [
      { operationType: "Create", resourceBody: { id: "b-ok-1", pk } },
      { operationType: "Upsert", resourceBody: { id: "b-ok-2", pk } },
    ];
    const response = await container.items.batch(operations, pk);
    expect(response.result?.map((r) => r.statusCode)).toEqual([201, 201]);
  });

  it("is atomic: when an operation fails, nothing of the batch stays and the others answer 424", async () => {
    const operations: OperationInput[] = [
      { operationType: "Create", resourceBody: { id: "b-kept", pk } },
      { operationType: "Create", resourceBody: { id: "b-kept", pk } },
      { operationType: "Create", resourceBody: { id: "b-never", pk } },
    ];
    const response = await container.items.batch(operations, pk);
    expect(response.result?.map((r) => r.statusCode)).toEqual([424, 409, 424]);
    await expect(container.item("b-kept", pk).read()).resolves.toMatchObject({ statusCode: 404 });
    await expect(container.item("b-never", pk).read()).resolves.toMatchObject({ statusCode: 404 });
  });

  it("puts replaced and deleted documents back exactly (same ETag) when a later operation fails", async () => {
    const { resource: kept } = await container.items.create({ id: "b-replaced", pk, n: 0 });
    const { resource: gone } = await container.items.create({ id: "b-deleted", pk, n: 0 });
    await container.items.create({ id: "b-taken", pk });
    const operations: OperationInput[] = [
      { operationType: "Replace", id: "b-replaced", resourceBody: { id: "b-replaced", pk, n: 1 } },
      { operationType: "Delete", id: "b-deleted" },
      { operationType: "Upsert", resourceBody: { id: "b-upserted", pk } },
      { operationType: "Create", resourceBody: { id: "b-taken", pk } },
    ];
    const response = await container.items.batch(operations, pk);
    expect(response.result?.map((r) => r.statusCode)).toEqual([424, 424, 424, 409]);
    const replaced = await container.item("b-replaced", pk).read<{ n: number }>();
    expect([replaced.resource?.n, replaced.resource?._etag]).toEqual([0, kept?._etag]);
    const deleted = await container.item("b-deleted", pk).read<{ n: number }>();
    expect([deleted.resource?.n, deleted.resource?._etag]).toEqual([0, gone?._etag]);
    await expect(container.item("b-upserted", pk).read()).resolves.toMatchObject({ statusCode: 404 });
    const { resources } = await container.items
      .query(
        {
          query: "SELECT VALUE c.id FROM c WHERE c.pk = @pk AND STARTSWITH(c.id, 'b-')",
          parameters: [{ name: "@pk", value: pk }],
        },
        { partitionKey: pk },
      )
      .fetchAll();
    expect(resources.filter((id) => id === "b-replaced" || id === "b-deleted")).toHaveLength(2);
  });

  it("stops at a failing guard placed first, which is how the app orders its batches", async () => {
    const { resource } = await container.items.create({ id: "b-guard", pk, n: 0 });
    await container.item("b-guard", pk).replace({ id: "b-guard", pk, n: 1 });
    const operations: OperationInput[] = [
      { operationType: "Replace", id: "b-guard", resourceBody: { id: "b-guard", pk, n: 2 }, ifMatch: resource!._etag },
      { operationType: "Create", resourceBody: { id: "b-after-guard", pk } },
    ];
    const response = await container.items.batch(operations, pk);
    expect(response.result?.map((r) => r.statusCode)).toEqual([412, 424]);
    await expect(container.item("b-after-guard", pk).read()).resolves.toMatchObject({ statusCode: 404 });
  });
});

describe("queries", () => {
  beforeAll(async () => {
    for (let i = 0; i < 7; i += 1) await container.items.create({ id: `q${i}`, pk: "query-org", kind: "q", n: i });
  });

  it("resumes from a continuation token in a new iterator, also with ORDER BY", async () => {
    const query = "SELECT c.id FROM c WHERE c.pk = 'query-org' AND c.kind = 'q' ORDER BY c.n DESC";
    const first = await container.items
      .query<{ id: string }>(query, { partitionKey: "query-org", maxItemCount: 3 })
      .fetchNext();
    expect(first.resources.map((r) => r.id)).toEqual(["q6", "q5", "q4"]);
    expect(first.continuationToken).toEqual(expect.any(String));
    const rest = await container.items
      .query<{ id: string }>(query, { partitionKey: "query-org", continuationToken: first.continuationToken })
      .fetchAll();
    expect(rest.resources.map((r) => r.id)).toEqual(["q3", "q2", "q1", "q0"]);
  });

  it("rejects the features the emulator lacks with 400 (DISTINCT, GROUP BY, LIKE)", async () => {
    for (const query of [
      "SELECT DISTINCT c.kind FROM c WHERE c.pk = 'query-org'",
      "SELECT c.kind, COUNT(1) AS n FROM c WHERE c.pk = 'query-org' GROUP BY c.kind",
      "SELECT c.id FROM c WHERE c.pk = 'query-org' AND c.id LIKE 'q%'",
    ]) {
      await expect(container.items.query(query, { partitionKey: "query-org" }).fetchAll()).rejects.toMatchObject({
        code: 400,
      });
    }
  });
});

describe("ORDER BY over several paths", () => {
  // One ascending composite index, as storage-definition.json declares them: Cosmos serves both the declared
  // directions and their exact reverse from it, and refuses a mix of directions.
  let indexed: Container;
  const org = "order-org";

  beforeAll(async () => {
    indexed = await probeContainer("composite", {
      compositeIndexes: [
        [
          { path: "/name", order: "ascending" },
          { path: "/id", order: "ascending" },
        ],
      ],
    });
    for (const [id, name] of [
      ["a", "Rossi"],
      ["b", "Bianchi"],
      ["c", "Rossi"],
      ["d", "Verdi"],
    ]) {
      await indexed.items.create({ id, pk: org, name });
    }
  });

  const ids = async (order: string) =>
    (
      await indexed.items
        .query<{ id: string }>(`SELECT c.id FROM c WHERE c.pk = '${org}' ORDER BY ${order}`, { partitionKey: org })
        .fetchAll()
    ).resources.map((r) => r.id);

  it("is served from the ascending composite index in the declared directions and in the exact reverse", async () => {
    await expect(ids("c.name ASC, c.id ASC")).resolves.toEqual(["b", "a", "c", "d"]);
    await expect(ids("c.name DESC, c.id DESC")).resolves.toEqual(["d", "c", "a", "b"]);
  });

  it("is refused when the directions are mixed or no composite index covers the paths", async () => {
    await expect(ids("c.name ASC, c.id DESC")).rejects.toMatchObject({ code: 400 });
    await expect(ids("c.pk ASC, c.id ASC")).rejects.toMatchObject({ code: 400 });
  });
});
