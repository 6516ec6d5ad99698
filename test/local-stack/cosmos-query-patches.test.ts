// The fixes applied to the emulator's query engine (local/cosmos-emulator.ts), checked through the SDK the app uses.
import type { Container } from "@azure/cosmos";
import { compileQuery, runQueryCode } from "../../local/cosmos-emulator";
import { probeContainer } from "./emulator-probe";

/** Documents with arrays, nesting and missing fields, so JOIN, EXISTS and IS_DEFINED have something to chew on. */
function probeDocuments(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `d${i}`,
    _rid: `rid${String(i).padStart(6, "0")}`,
    org: ["A", "B", "C"][i % 3],
    name: ["alpha", "beta", "cobalt", "copper", "delta"][i % 5],
    n: (i * 7) % 11,
    tags: i % 4 === 0 ? [] : ["x", "y", "z"].slice(0, i % 4),
    children: i % 2 === 0 ? [{ name: `c${i}`, pets: [{ kind: "cat" }, { kind: i % 3 === 0 ? "dog" : "fish" }] }] : [],
    nested: { deep: { level: i % 5 } },
    ...(i % 6 === 0 ? { optional: true } : {}),
  }));
}

const probeQueries: [string, { name: string; value: unknown }[]][] = [
  ["SELECT * FROM c", []],
  ["SELECT * FROM c WHERE c.org = 'A'", []],
  ["SELECT * FROM c WHERE c.org = @org", [{ name: "@org", value: "B" }]],
  ["SELECT c.id, c.n FROM c WHERE c.n > 5 ORDER BY c.n DESC", []],
  ["SELECT c.id, c.name FROM c ORDER BY c.name ASC", []],
  ["SELECT TOP 3 * FROM c ORDER BY c.n", []],
  ["SELECT VALUE COUNT(1) FROM c WHERE c.org = @org", [{ name: "@org", value: "A" }]],
  ["SELECT VALUE SUM(c.n) FROM c", []],
  ["SELECT VALUE MAX(c.n) FROM c WHERE c.org = 'C'", []],
  ["SELECT c.id, t FROM c JOIN t IN c.tags", []],
  ["SELECT c.id FROM c JOIN t IN c.tags WHERE t = 'y'", []],
  ["SELECT VALUE COUNT(1) FROM c JOIN t IN c.tags", []],
  ["SELECT c.id, ch.name, p.kind FROM c JOIN ch IN c.children JOIN p IN ch.pets", []],
  ["SELECT c.id FROM c JOIN ch IN c.children JOIN p IN ch.pets WHERE p.kind = 'dog'", []],
  ["SELECT c.id FROM c WHERE EXISTS(SELECT VALUE t FROM t IN c.tags WHERE t = 'z')", []],
  ["SELECT c.id FROM c JOIN (SELECT VALUE t FROM t IN c.tags WHERE t = 'x') x", []],
  ["SELECT c.id FROM c WHERE ARRAY_CONTAINS(c.tags, 'y')", []],
  ["SELECT c.id FROM c WHERE ARRAY_CONTAINS(c.children, { name: 'c4' }, true)", []],
  ["SELECT c.id FROM c WHERE STARTSWITH(c.name, 'co')", []],
  ["SELECT VALUE c.id FROM c WHERE IS_DEFINED(c.optional)", []],
  ["SELECT c.id FROM c WHERE c.nested.deep.level = @v", [{ name: "@v", value: 3 }]],
  ["SELECT c.id FROM c WHERE c.org IN ('A', 'C') AND c.n >= @min", [{ name: "@min", value: 4 }]],
  ["SELECT c.id, c.children[0].name AS first FROM c WHERE ARRAY_LENGTH(c.children) > 0", []],
  ["SELECT * FROM ch IN c.children", []],
  ["SELECT VALUE { id: c.id, tagCount: ARRAY_LENGTH(c.tags) } FROM c WHERE c.org = 'B' ORDER BY c.id", []],
];

describe("array spreads rewritten into pushes", () => {
  const docs = probeDocuments(120);

  it.each(probeQueries)("gives the engine's original results for %s", (sql, parameters) => {
    const original = compileQuery(sql, { rewriteSpreads: false });
    const rewritten = compileQuery(sql, { rewriteSpreads: true });
    expect(rewritten).not.toEqual(original);
    expect(rewritten).not.toContain("[...$");
    const expected = runQueryCode(original, docs, parameters);
    expect(expected.length).toBeGreaterThan(0);
    expect(runQueryCode(rewritten, docs, parameters)).toEqual(expected);
  });

  it("keeps a partition-filtered query linear: no accumulator copied per document (20k documents)", () => {
    const code = compileQuery("SELECT * FROM c WHERE c.org = 'A'", { rewriteSpreads: true });
    // The original code spreads its accumulator once per document (quadratic: about 5 s at 20k, docs/adr/0002-cosmos-emulator-gaps.md). The
    // rewritten code appends in place; its timings are measured by local/measure-emulator-query.ts, not asserted here.
    expect(code).not.toContain("[...$");
    expect(compileQuery("SELECT * FROM c WHERE c.org = 'A'", { rewriteSpreads: false })).toContain("[...$");
    expect(runQueryCode(code, probeDocuments(20_000))).toHaveLength(6667);
  });
});

describe("OFFSET/LIMIT and COUNT through @azure/cosmos", () => {
  let container: Container;
  const org = "77777777777";
  // 15 positions of one organization with distinct names, plus noise: another partition and another kind.
  const names = Array.from({ length: 15 }, (_, i) => `company-${String.fromCharCode(97 + ((i * 7) % 15))}`);
  const byNameDesc = [...names].sort().reverse();

  beforeAll(async () => {
    container = await probeContainer("offset-limit");
    for (const [i, companyName] of names.entries()) {
      await container.items.create({ id: `p${i}`, pk: org, kind: "position", companyName });
    }
    await container.items.create({ id: "option", pk: org, kind: "option", companyName: "company-zzz" });
    for (let i = 0; i < 5; i += 1) {
      await container.items.create({
        id: `other${i}`,
        pk: "11111111111",
        kind: "position",
        companyName: `company-z${i}`,
      });
    }
  });

  const pageQuery =
    "SELECT * FROM c WHERE c.pk = @org AND c.kind = 'position' ORDER BY c.companyName DESC OFFSET @offset LIMIT @limit";

  it.each([
    [0, 5],
    [5, 5],
    [10, 5],
    [12, 5],
    [15, 5],
    [0, 100],
    [3, 0],
  ])("returns the page at OFFSET %i LIMIT %i after ORDER BY DESC, with parameters", async (offset, limit) => {
    const { resources } = await container.items
      .query<{ companyName: string }>(
        {
          query: pageQuery,
          parameters: [
            { name: "@org", value: org },
            { name: "@offset", value: offset },
            { name: "@limit", value: limit },
          ],
        },
        { partitionKey: org },
      )
      .fetchAll();
    expect(resources.map((r) => r.companyName)).toEqual(byNameDesc.slice(offset, offset + limit));
  });

  it("takes literal OFFSET and LIMIT values", async () => {
    const { resources } = await container.items
      .query<{ id: string }>(
        `SELECT c.id, c.companyName FROM c WHERE c.pk = '${org}' AND c.kind = 'position' ORDER BY c.companyName ASC OFFSET 2 LIMIT 3`,
        { partitionKey: org },
      )
      .fetchAll();
    expect(resources).toEqual(
      [...names]
        .sort()
        .slice(2, 5)
        .map((companyName) => ({ id: `p${names.indexOf(companyName)}`, companyName })),
    );
  });

  it("pages a LIMIT with continuation tokens when maxItemCount is smaller", async () => {
    const iterator = container.items.query<{ companyName: string }>(
      {
        query: pageQuery,
        parameters: [
          { name: "@org", value: org },
          { name: "@offset", value: 1 },
          { name: "@limit", value: 7 },
        ],
      },
      { partitionKey: org, maxItemCount: 3 },
    );
    const pages: string[][] = [];
    while (iterator.hasMoreResults()) {
      const { resources } = await iterator.fetchNext();
      if (resources.length > 0) pages.push(resources.map((r) => r.companyName));
    }
    expect(pages).toEqual([byNameDesc.slice(1, 4), byNameDesc.slice(4, 7), byNameDesc.slice(7, 8)]);
  });

  it("counts with SELECT VALUE COUNT(1)", async () => {
    const { resources } = await container.items
      .query<number>(
        {
          query: "SELECT VALUE COUNT(1) FROM c WHERE c.pk = @org AND c.kind = 'position'",
          parameters: [{ name: "@org", value: org }],
        },
        { partitionKey: org },
      )
      .fetchAll();
    expect(resources).toEqual([15]);
  });

  it("answers 400 to a negative or missing OFFSET, as Cosmos does", async () => {
    const run = (parameters: { name: string; value: number }[]) =>
      container.items
        .query({ query: pageQuery, parameters: [{ name: "@org", value: org }, ...parameters] }, { partitionKey: org })
        .fetchAll();
    await expect(
      run([
        { name: "@offset", value: -1 },
        { name: "@limit", value: 5 },
      ]),
    ).rejects.toMatchObject({ code: 400 });
    await expect(run([{ name: "@limit", value: 5 }])).rejects.toMatchObject({ code: 400 });
  });

  it("honours the partitionKey option, as Cosmos does (the unpatched emulator searched every partition)", async () => {
    const { resources } = await container.items
      .query<{ id: string }>("SELECT c.id FROM c WHERE c.kind = 'position'", { partitionKey: "11111111111" })
      .fetchAll();
    expect(resources.map((r) => r.id).sort()).toEqual(["other0", "other1", "other2", "other3", "other4"]);
  });

  it("still searches every partition when the query names none", async () => {
    const { resources } = await container.items.query("SELECT c.id FROM c WHERE c.kind = 'position'").fetchAll();
    expect(resources).toHaveLength(20);
  });

  it("answers through every SDK iteration style although query plans are refused", async () => {
    const spec = { query: "SELECT c.id FROM c WHERE c.pk = @org", parameters: [{ name: "@org", value: org }] };
    const viaIterator: unknown[] = [];
    for await (const page of container.items
      .query<{ id: string }>(spec, { partitionKey: org, maxItemCount: 4 })
      .getAsyncIterator()) {
      viaIterator.push(...page.resources);
    }
    expect(viaIterator).toHaveLength(16);
    const { resources } = await container.items.query(spec).fetchAll();
    expect(resources).toHaveLength(16);
  });
});
