// Random mutations of valid bodies and odd path parameters always answer 4xx ProblemJson (or succeed when
// the mutation happens to be valid), never 5xx, and a refused create leaves nothing behind. Deterministic: the seed
// is printed on failure, and FUZZ_SEED reproduces a run.
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { aFreshIuv, aPositionBody, callApi, registeredIban, type ApiResponse } from "../support/gpd-client";

const seed = Number(process.env.FUZZ_SEED ?? "20261122");

/** mulberry32: a tiny seeded PRNG, so a failing case can be replayed exactly. */
function prng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const replacements: ((random: () => number) => Json)[] = [
  () => null,
  () => "",
  () => "x",
  () => "x".repeat(10_000),
  () => -1,
  () => 0,
  () => 1.5,
  () => 1e20,
  () => true,
  () => [],
  () => ({}),
  () => "2026-13-45T99:99:99Z",
  () => "\u0000\u202e<script>",
  (random) => Math.floor(random() * 1e6),
];

function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const children = Array.isArray(value)
    ? value.flatMap((v, i) => paths(v, [...prefix, i]))
    : Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]));
  return prefix.length > 0 ? [prefix, ...children] : children;
}

function mutate(body: Json, random: () => number): { body: Json; description: string } {
  const copy = JSON.parse(JSON.stringify(body)) as Json;
  const all = paths(copy);
  const target = all[Math.floor(random() * all.length)] ?? [];
  const remove = random() < 0.25;
  const replacement = replacements[Math.floor(random() * replacements.length)]!(random);
  let node: Json = copy;
  for (const step of target.slice(0, -1)) node = (node as Record<string | number, Json>)[step] as Json;
  const last = target.at(-1);
  if (last === undefined || node === null || typeof node !== "object") return { body: copy, description: "unchanged" };
  if (remove) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else Reflect.deleteProperty(node, last);
  } else {
    (node as Record<string | number, Json>)[last] = replacement;
  }
  return {
    body: copy,
    description: `${remove ? "removed" : `set ${JSON.stringify(replacement).slice(0, 30)} at`} ${target.join(".")}`,
  };
}

function expectNoServerError(r: ApiResponse, what: string): void {
  if (r.status >= 500) throw new Error(`seed ${seed}: ${what} → ${r.status} ${r.text.slice(0, 300)}`);
  if (r.status >= 400) {
    expect(r.contentType).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ title: expect.any(String), status: r.status, detail: expect.any(String) });
  }
}

describe("bad input never causes a 5xx", () => {
  const org = aFreshFiscalCode();
  let key: string;
  const path = (suffix = "") => `/organizations/${org}/debtpositions${suffix}`;

  beforeAll(async () => {
    await anOrganization(org, [registeredIban]);
    key = (await aKey({ organizations: [org] })).key;
  });

  it("answers 150 mutated create bodies with 201 or a 4xx ProblemJson, and refused ones write nothing", async () => {
    const random = prng(seed);
    const refusedIupds: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 150; i += 1) {
      const iupd = `FUZZ-${seed}-${i}`;
      const { body, description } = mutate(aPositionBody({ iupd, iuvs: [aFreshIuv(), aFreshIuv()] }) as Json, random);
      const r = await callApi("POST", path(), { key, body });
      expectNoServerError(r, `create #${i}: ${description}`);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (
        r.status >= 400 &&
        typeof (body as { iupd?: unknown }).iupd === "string" &&
        (body as { iupd: string }).iupd === iupd
      ) {
        refusedIupds.push(iupd);
      }
    }
    // A mutation fuzzer that never hits a refusal or never leaves a body valid tests little: check both happened.
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
    expect(statuses.get(201) ?? 0).toBeGreaterThan(0);
    for (const iupd of refusedIupds) expect((await callApi("GET", path(`/${iupd}`), { key })).status).toBe(404);
  }, 120_000);

  it("answers 60 mutated update bodies without a 5xx", async () => {
    const random = prng(seed + 1);
    const iuvs = [aFreshIuv()];
    const iupd = `FUZZ-UPD-${seed}`;
    expect((await callApi("POST", path(), { key, body: aPositionBody({ iupd, iuvs }) })).status).toBe(201);
    for (let i = 0; i < 60; i += 1) {
      const { body, description } = mutate(aPositionBody({ iupd, iuvs }) as Json, random);
      expectNoServerError(await callApi("PUT", path(`/${iupd}`), { key, body }), `update #${i}: ${description}`);
    }
  }, 60_000);

  test.each([
    ["percent-encoded slash", "/a%2Fb"],
    ["question mark", "/a%3Fb"],
    ["NUL", "/a%00b"],
    ["2,000 characters", `/${"x".repeat(2000)}`],
    ["unicode", "/%E2%80%AE%F0%9F%92%A5"],
    ["dot segments", "/..%2F..%2Fetc"],
    ["spaces only", "/%20%20"],
  ])("odd iupd in the path (%s) → 4xx", async (_name, suffix) => {
    for (const [method, tail] of [
      ["GET", ""],
      ["DELETE", ""],
      ["POST", "/publish"],
      ["POST", "/invalidate"],
    ] as const) {
      const r = await callApi(method, path(`${suffix}${tail}`), { key });
      expectNoServerError(r, `${method} ${suffix}${tail}`);
      expect(r.status).toBeGreaterThanOrEqual(400);
    }
  });

  it("odd list parameters → 4xx", async () => {
    for (const query of [
      "page=-1",
      "page=abc",
      "page=0&limit=0",
      "page=0&limit=1e3",
      "page=0&due_date_from=2026-02-30",
      "page=99999999999999999999",
    ]) {
      const r = await callApi("GET", path(`?${query}`), { key });
      expectNoServerError(r, `list ${query}`);
      expect({ query, status: r.status }).toEqual({ query, status: 400 });
    }
  });
});
