// The debt-position API end to end: real HTTP against the local host running the compiled app, over the Cosmos
// emulator. Storage claims are checked by reading the emulator directly.
import { containers } from "../../shared/storage/definition";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { aFreshIuv, aPositionBody, callApi as rawCallApi, inDays, registeredIban } from "../support/gpd-client";
import { expectResponseMatches } from "../support/openapi";
import { cosmosClient, testConfig } from "../support/stack";

/** Every response of this file is checked against openapi/debt-positions.json and the official contract. */
async function callApi(...args: Parameters<typeof rawCallApi>): ReturnType<typeof rawCallApi> {
  const [method, path] = args;
  const response = await rawCallApi(...args);
  const body = response.body ?? (response.text.length > 0 ? response.text : undefined);
  expectResponseMatches(
    "debt-positions",
    method,
    path.split("?")[0] ?? path,
    response.status,
    body,
    response.contentType,
  );
  return response;
}

const positionsContainer = () =>
  cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions);

/** The position's own documents (position and claims); its events stay, as history (docs/adr/0040). */
async function storedDocuments(org: string) {
  const { resources } = await positionsContainer()
    .items.query<{ id: string; kind: string; iupd: string }>({
      query: "SELECT c.id, c.kind, c.iupd FROM c WHERE c.organizationFiscalCode = @org AND c.kind != 'events'",
      parameters: [{ name: "@org", value: org }],
    })
    .fetchAll();
  return resources;
}

describe("debt positions over HTTP", () => {
  const org = aFreshFiscalCode();
  let key: string;
  const path = (suffix = "") => `/organizations/${org}/debtpositions${suffix}`;

  beforeAll(async () => {
    await anOrganization(org, [registeredIban]);
    key = (await aKey({ organizations: [org] })).key;
  });

  it("runs create → list → get → update → publish → invalidate → delete", async () => {
    const iuv = aFreshIuv();
    const body = aPositionBody({ iuvs: [iuv] });
    const iupd = body.iupd as string;

    const created = await callApi("POST", path(), { key, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      iupd,
      status: "DRAFT",
      paymentOption: [{ iuv, nav: `3${iuv}`, amount: 12_345 }],
    });

    const listed = await callApi("GET", path("?page=0&limit=100"), { key });
    expect(listed.status).toBe(200);
    const list = listed.body as { payment_position_list: { iupd: string }[]; page_info: Record<string, number> };
    expect(list.payment_position_list.map((p) => p.iupd)).toContain(iupd);
    expect(list.page_info).toMatchObject({ page: 0, limit: 100, total_pages: 1 });

    const got = await callApi("GET", path(`/${iupd}`), { key });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ iupd, organizationFiscalCode: org, status: "DRAFT" });
    expect(got.body).not.toHaveProperty("fiscalCode");

    const updated = await callApi("PUT", path(`/${iupd}`), {
      key,
      body: aPositionBody({ iupd, iuvs: [iuv], amount: 20_000 }),
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ status: "DRAFT", paymentOption: [{ amount: 20_000 }] });

    const published = await callApi("POST", path(`/${iupd}/publish`), { key });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: "VALID" });

    const invalidated = await callApi("POST", path(`/${iupd}/invalidate`), { key });
    expect(invalidated.status).toBe(200);
    expect(invalidated.body).toMatchObject({ status: "INVALID" });

    const deleted = await callApi("DELETE", path(`/${iupd}`), { key });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toBe("The debt position was successfully deleted");
    expect((await callApi("GET", path(`/${iupd}`), { key })).status).toBe(404);
    expect((await storedDocuments(org)).filter((d) => d.iupd === iupd)).toEqual([]);
  });

  it("creates VALID at once with toPublish=true and no validity date", async () => {
    const r = await callApi("POST", path("?toPublish=true"), { key, body: aPositionBody() });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: "VALID" });
  });

  it("creates PUBLISHED with toPublish=true and a future validity date, read as VALID once it begins", async () => {
    const body = aPositionBody({ validityDate: new Date(Date.now() + 1500).toISOString() });
    const r = await callApi("POST", path("?toPublish=true"), { key, body });
    expect(r.body).toMatchObject({ status: "PUBLISHED" });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const got = await callApi("GET", path(`/${body.iupd as string}`), { key });
    expect(got.body).toMatchObject({ status: "VALID" });
  });

  it("never takes notificationFee from the caller", async () => {
    const body = aPositionBody();
    (body.paymentOption as Record<string, unknown>[])[0]!.notificationFee = 500;
    const r = await callApi("POST", path(), { key, body });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ paymentOption: [{ notificationFee: 0, amount: 12_345 }] });
  });

  describe("refusals", () => {
    test.each([
      ["unknown position", "GET", "/NO-SUCH-IUPD", undefined, 404, "Not found the debt position"],
      ["malformed JSON", "POST", "", "{not json", 400, "BAD REQUEST"],
      ["missing body", "POST", "", "", 400, "BAD REQUEST"],
      ["wrong type", "POST", "", JSON.stringify({ ...aPositionBody(), type: "X" }), 400, "BAD REQUEST"],
      [
        "missing required field",
        "POST",
        "",
        JSON.stringify({ ...aPositionBody(), companyName: undefined }),
        400,
        "BAD REQUEST",
      ],
      ["bad toPublish", "POST", "?toPublish=maybe", JSON.stringify(aPositionBody()), 400, "BAD REQUEST"],
      ["list without page", "GET", "", undefined, 400, undefined],
      ["list limit over 100", "GET", "?page=0&limit=101", undefined, 400, undefined],
      [
        "list with both date groups",
        "GET",
        "?page=0&due_date_from=2026-01-01&payment_date_from=2026-01-01",
        undefined,
        400,
        "Exclusive Parameters",
      ],
      [
        "list window over 30 days",
        "GET",
        "?page=0&due_date_from=2026-01-01&due_date_to=2026-03-01",
        undefined,
        400,
        "The debt positions cannot be recovered",
      ],
      ["list unknown status", "GET", "?page=0&status=SOLD", undefined, 400, undefined],
    ])("%s", async (_name, method, suffix, rawBody, status, title) => {
      const r = await callApi(method, path(suffix), {
        key,
        rawBody,
        headers: rawBody === undefined ? {} : { "Content-Type": "application/json" },
      });
      expect(r.status).toBe(status);
      expect(r.contentType).toMatch(/^application\/problem\+json/);
      if (title !== undefined) expect(r.body).toMatchObject({ title, status });
      expect(r.requestId).toBeTruthy();
    });

    it("answers 413 for a body over 1 MB and writes nothing", async () => {
      const body = aPositionBody({ extra: { officeName: "x".repeat(1024 * 1024) } });
      const r = await callApi("POST", path(), { key, body });
      expect(r.status).toBe(413);
      expect((await storedDocuments(org)).some((d) => d.iupd === body.iupd)).toBe(false);
    });

    it("refuses an IBAN not registered for the beneficiary (400)", async () => {
      const body = aPositionBody();
      const option = (body.paymentOption as { transfer: Record<string, unknown>[] }[])[0]!;
      option.transfer[0]!.iban = "IT02L1234512345123456789012";
      const r = await callApi("POST", path(), { key, body });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ title: "Error in the debt position request data" });
    });

    it("refuses a duplicate IUPD (409) and a duplicate IUV across positions (409)", async () => {
      const first = aPositionBody();
      expect((await callApi("POST", path(), { key, body: first })).status).toBe(201);
      const sameIupd = await callApi("POST", path(), { key, body: aPositionBody({ iupd: first.iupd as string }) });
      expect(sameIupd.status).toBe(409);
      expect(sameIupd.body).toMatchObject({ title: "The debt position violated constraints of uniqueness" });
      const iuv = (first.paymentOption as { iuv: string }[])[0]!.iuv;
      expect((await callApi("POST", path(), { key, body: aPositionBody({ iuvs: [iuv] }) })).status).toBe(409);
    });

    it("applies the status rules: publish twice, invalidate a draft, update an invalid position (409)", async () => {
      const body = aPositionBody();
      const iupd = body.iupd as string;
      await callApi("POST", path(), { key, body });
      expect((await callApi("POST", path(`/${iupd}/invalidate`), { key })).status).toBe(409);
      expect((await callApi("POST", path(`/${iupd}/publish`), { key })).status).toBe(200);
      const again = await callApi("POST", path(`/${iupd}/publish`), { key });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ title: "Existing related payment found or not in publishable state" });
      expect((await callApi("POST", path(`/${iupd}/invalidate`), { key })).status).toBe(200);
      const update = await callApi("PUT", path(`/${iupd}`), { key, body });
      expect(update.status).toBe(409);
      expect(update.body).toMatchObject({ title: "Existing related payment found or not in updatable state" });
    });

    it("refuses a body IUPD different from the path IUPD (400)", async () => {
      const body = aPositionBody();
      await callApi("POST", path(), { key, body });
      const r = await callApi("PUT", path(`/${body.iupd as string}`), { key, body: { ...body, iupd: "OTHER" } });
      expect(r.status).toBe(400);
      expect((r.body as { detail: string }).detail).toMatch(/IUPD mistmatch error/);
    });
  });

  describe("under concurrency", () => {
    it("lets exactly one of 50 parallel creates sharing an IUV win, leaving nothing partial", async () => {
      const iuv = aFreshIuv();
      const bodies = Array.from({ length: 50 }, () => aPositionBody({ iuvs: [iuv] }));
      const statuses = await Promise.all(
        bodies.map(async (body) => (await callApi("POST", path(), { key, body })).status),
      );
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(49);
      const iupds = new Set(bodies.map((b) => b.iupd as string));
      const docs = (await storedDocuments(org)).filter((d) => iupds.has(d.iupd));
      const winner = bodies[statuses.indexOf(201)]!.iupd as string;
      expect(docs.map((d) => `${d.kind}:${d.iupd}`).sort()).toEqual([
        `iuv:${winner}`,
        `nav:${winner}`,
        `position:${winner}`,
      ]);
    });

    it("ends 20 parallel updates of one position in the state of one of them, never a mix", async () => {
      const iuvs = [aFreshIuv(), aFreshIuv()];
      const body = aPositionBody({ iuvs });
      const iupd = body.iupd as string;
      await callApi("POST", path(), { key, body });
      const variants = Array.from({ length: 20 }, (_, i) =>
        aPositionBody({ iupd, iuvs, amount: 1000 + i, description: `v${i}` }),
      );
      const statuses = await Promise.all(
        variants.map(async (v) => (await callApi("PUT", path(`/${iupd}`), { key, body: v })).status),
      );
      expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
      const final = (await callApi("GET", path(`/${iupd}`), { key })).body as {
        paymentOption: { amount: number; description: string }[];
      };
      const [a, b] = final.paymentOption;
      expect(a!.description).toBe(b!.description);
      expect(a!.amount).toBe(b!.amount);
      expect(a!.amount).toBe(1000 + Number(a!.description.slice(1)));
    });
  });

  describe("bulk create", () => {
    it("creates every position, or none when one collides", async () => {
      const ok = [aPositionBody(), aPositionBody()];
      expect((await callApi("POST", path("/bulk"), { key, body: { paymentPositions: ok } })).status).toBe(201);
      for (const p of ok) expect((await callApi("GET", path(`/${p.iupd as string}`), { key })).status).toBe(200);

      const taken = (ok[0]!.paymentOption as { iuv: string }[])[0]!.iuv;
      const batch = [aPositionBody(), aPositionBody(), aPositionBody({ iuvs: [taken] })];
      const r = await callApi("POST", path("/bulk"), { key, body: { paymentPositions: batch } });
      expect(r.status).toBe(409);
      const iupds = new Set(batch.map((b) => b.iupd as string));
      expect((await storedDocuments(org)).filter((d) => iupds.has(d.iupd))).toEqual([]);
    });

    it("refuses more than 100 positions (400)", async () => {
      const many = Array.from({ length: 101 }, () => aPositionBody());
      expect((await callApi("POST", path("/bulk"), { key, body: { paymentPositions: many } })).status).toBe(400);
    });
  });

  describe("segregation codes", () => {
    let restricted: string;
    const iupdOutside = `SEG-${Date.now()}`;

    beforeAll(async () => {
      restricted = (await aKey({ organizations: [org], segregationCodes: ["01"] })).key;
      const r = await callApi("POST", path(), {
        key,
        body: aPositionBody({ iupd: iupdOutside, iuvs: [aFreshIuv("02")] }),
      });
      expect(r.status).toBe(201);
    });

    it("refuses to create, read, change or delete a position outside the key's codes (403)", async () => {
      expect(
        (await callApi("POST", path(), { key: restricted, body: aPositionBody({ iuvs: [aFreshIuv("02")] }) })).status,
      ).toBe(403);
      const get = await callApi("GET", path(`/${iupdOutside}`), { key: restricted });
      expect(get.status).toBe(403);
      expect(get.body).toMatchObject({ title: "The payment position is forbidden" });
      expect((await callApi("POST", path(`/${iupdOutside}/publish`), { key: restricted })).status).toBe(403);
      expect((await callApi("DELETE", path(`/${iupdOutside}`), { key: restricted })).status).toBe(403);
    });

    it("lists only positions within the key's codes", async () => {
      const inside = aPositionBody({ iuvs: [aFreshIuv("01")] });
      expect((await callApi("POST", path(), { key: restricted, body: inside })).status).toBe(201);
      const listed = (await callApi("GET", path("?page=0&limit=100"), { key: restricted })).body as {
        payment_position_list: { iupd: string }[];
      };
      const iupds = listed.payment_position_list.map((p) => p.iupd);
      expect(iupds).toContain(inside.iupd);
      expect(iupds).not.toContain(iupdOutside);
    });
  });

  describe("list", () => {
    const listOrg = aFreshFiscalCode();
    let listKey: string;
    beforeAll(async () => {
      await anOrganization(listOrg, [registeredIban]);
      listKey = (await aKey({ organizations: [listOrg] })).key;
      for (const [i, name] of ["Bravo", "Alfa", "Delta", "Charlie", "Echo"].entries()) {
        const r = await callApi(
          "POST",
          `/organizations/${listOrg}/debtpositions${i % 2 === 0 ? "?toPublish=true" : ""}`,
          {
            key: listKey,
            body: aPositionBody({ companyName: name, dueDate: inDays(10 + i) }),
          },
        );
        expect(r.status).toBe(201);
      }
    });
    const list = async (query: string) =>
      (await callApi("GET", `/organizations/${listOrg}/debtpositions?${query}`, { key: listKey })).body as {
        payment_position_list: { companyName: string; status: string }[];
        page_info: { page: number; limit: number; items_found: number; total_pages: number };
      };

    it("orders by company name descending by default and pages without overlap", async () => {
      const first = await list("page=0&limit=2");
      const second = await list("page=1&limit=2");
      const third = await list("page=2&limit=2");
      expect(first.payment_position_list.map((p) => p.companyName)).toEqual(["Echo", "Delta"]);
      expect(second.payment_position_list.map((p) => p.companyName)).toEqual(["Charlie", "Bravo"]);
      expect(third.payment_position_list.map((p) => p.companyName)).toEqual(["Alfa"]);
      expect(third.page_info).toEqual({ page: 2, limit: 2, items_found: 1, total_pages: 3 });
      const beyond = await list("page=9&limit=2");
      expect(beyond.payment_position_list).toEqual([]);
    });

    it("filters by status and by due-date window, and orders ascending on request", async () => {
      const valid = await list("page=0&status=VALID");
      expect(valid.payment_position_list.map((p) => p.companyName).sort()).toEqual(["Bravo", "Delta", "Echo"]);
      const from = inDays(10.5).slice(0, 10);
      const to = inDays(12.5).slice(0, 10);
      const windowed = await list(`page=0&due_date_from=${from}&due_date_to=${to}&orderby=COMPANY_NAME&ordering=ASC`);
      expect(windowed.payment_position_list.length).toBeGreaterThan(0);
      const names = windowed.payment_position_list.map((p) => p.companyName);
      expect(names).toEqual([...names].sort());
    });
  });
});
