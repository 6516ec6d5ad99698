// The events API over HTTP against the local host (openapi/events.json, product `events`): webhooks registered,
// read, pinged (the ping verified by an independent Standard Webhooks implementation), deleted; the pull feed after a
// position is written over HTTP and the dispatcher has run; bad input refused with a 400 and nothing written.
import { callApi, aFreshIuv, aPositionBody, registeredIban, type ApiResponse } from "../support/gpd-client";
import { runJobNow } from "../support/jobs";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { expectResponseMatches } from "../support/openapi";
import { startReceiver, type TestReceiver } from "../support/webhook-receiver";

const checked = (method: string, template: string, r: ApiResponse) => {
  expectResponseMatches("events", method, template, r.status, r.body, r.contentType);
  return r;
};

describe("events API over HTTP", () => {
  const org = aFreshFiscalCode();
  const webhooksPath = `/organizations/${org}/webhooks`;
  const webhooksTemplate = "/organizations/{organizationfiscalcode}/webhooks";
  let key: string;
  let receiver: TestReceiver;

  beforeAll(async () => {
    await anOrganization(org, [registeredIban]);
    key = (await aKey({ organizations: [org], products: ["debt-positions", "events"] })).key;
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });

  test.each([
    ["an unknown type", { url: "https://hooks.example.org/", types: ["debt-position.nope"] }, /unknown event types/],
    ["no type", { url: "https://hooks.example.org/", types: [] }, /types/],
    ["http to another host", { url: "http://hooks.example.org/", types: ["receipt.created"] }, /https/],
    ["a private address", { url: "https://10.0.0.7/hook", types: ["receipt.created"] }, /private/],
    ["the metadata endpoint", { url: "https://169.254.169.254/", types: ["receipt.created"] }, /private/],
    ["an unknown field", { url: "https://hooks.example.org/", types: ["receipt.created"], secret: "x" }, /secret/],
    ["no url", { types: ["receipt.created"] }, /url/],
  ])("refuses %s with a 400 and registers nothing", async (_label, body, detail) => {
    const r = checked("POST", webhooksTemplate, await callApi("POST", webhooksPath, { key, body }));
    expect(r.status).toBe(400);
    expect((r.body as { detail: string }).detail).toMatch(detail);
    const list = await callApi("GET", webhooksPath, { key });
    expect((list.body as { webhooks: unknown[] }).webhooks).toEqual([]);
  });

  it("registers, lists, pings and deletes a webhook; the secret is shown once", async () => {
    const created = checked(
      "POST",
      webhooksTemplate,
      await callApi("POST", webhooksPath, {
        key,
        body: { url: receiver.url, types: ["debt-position.created", "receipt.created"], description: "ERP" },
      }),
    );
    expect(created.status).toBe(201);
    const webhook = created.body as { id: string; secret: string; status: string };
    expect(webhook).toMatchObject({ status: "active", url: receiver.url, description: "ERP" });
    expect(webhook.secret).toMatch(/^whsec_/);
    receiver.setSecret(webhook.secret);
    const itemTemplate = `${webhooksTemplate}/{webhookId}`;

    const listed = checked("GET", webhooksTemplate, await callApi("GET", webhooksPath, { key }));
    expect((listed.body as { webhooks: { id: string }[] }).webhooks.map((w) => w.id)).toEqual([webhook.id]);
    expect(listed.text).not.toContain(webhook.secret);
    const one = checked("GET", itemTemplate, await callApi("GET", `${webhooksPath}/${webhook.id}`, { key }));
    expect(one.body).toMatchObject({ id: webhook.id, types: ["debt-position.created", "receipt.created"] });
    expect(one.text).not.toContain(webhook.secret);

    const ping = checked(
      "POST",
      `${itemTemplate}/ping`,
      await callApi("POST", `${webhooksPath}/${webhook.id}/ping`, { key }),
    );
    expect(ping.body).toMatchObject({ delivered: true, responseStatus: 204 });
    expect(receiver.accepted.map((e) => e.type)).toEqual(["webhook.ping"]);

    const deliveries = await callApi("GET", `${webhooksPath}/${webhook.id}/deliveries?status=failed`, { key });
    checked("GET", `${itemTemplate}/deliveries`, deliveries);
    expect(deliveries.body).toEqual({ deliveries: [] });
    const badStatus = await callApi("GET", `${webhooksPath}/${webhook.id}/deliveries?status=lost`, { key });
    expect(checked("GET", `${itemTemplate}/deliveries`, badStatus).status).toBe(400);

    const badReplay = await callApi("POST", `${webhooksPath}/${webhook.id}/replay?from=yesterday`, { key });
    expect(checked("POST", `${itemTemplate}/replay`, badReplay).status).toBe(400);
    const replay = await callApi("POST", `${webhooksPath}/${webhook.id}/replay?from=2026-01-01T00:00:00Z`, { key });
    expect(checked("POST", `${itemTemplate}/replay`, replay).status).toBe(202);

    expect((await callApi("DELETE", `${webhooksPath}/${webhook.id}`, { key })).status).toBe(204);
    expect(checked("GET", itemTemplate, await callApi("GET", `${webhooksPath}/${webhook.id}`, { key })).status).toBe(
      404,
    );
    expect((await callApi("DELETE", `${webhooksPath}/${webhook.id}`, { key })).status).toBe(404);
    expect((await callApi("GET", `${webhooksPath}/not-an-id`, { key })).status).toBe(404);
  });

  it("announces the positions of a bulk create once the bulk is committed", async () => {
    const bulkOrg = aFreshFiscalCode();
    await anOrganization(bulkOrg, [registeredIban]);
    const bulkKey = (await aKey({ organizations: [bulkOrg], products: ["debt-positions", "events"] })).key;
    const paymentPositions = [aPositionBody(), aPositionBody(), aPositionBody()];
    const created = await callApi("POST", `/organizations/${bulkOrg}/debtpositions/bulk?toPublish=true`, {
      key: bulkKey,
      body: { paymentPositions },
    });
    expect(created.status).toBe(201);
    expect(await runJobNow("dispatchEvents")).toMatchObject({ status: "succeeded" });
    const feed = (await callApi("GET", `/organizations/${bulkOrg}/events`, { key: bulkKey })).body as {
      events: { type: string; subject: string }[];
    };
    for (const position of paymentPositions) {
      expect(feed.events.filter((e) => e.subject === position.iupd).map((e) => e.type)).toEqual([
        "debt-position.created",
        "debt-position.published",
        "debt-position.valid",
      ]);
    }
    expect(feed.events).toHaveLength(9);
  });

  it("serves the feed in order with a cursor, only within the key's segregation codes", async () => {
    const feedTemplate = "/organizations/{organizationfiscalcode}/events";
    const body = aPositionBody({ iuvs: [aFreshIuv("01")] });
    expect((await callApi("POST", `/organizations/${org}/debtpositions?toPublish=true`, { key, body })).status).toBe(
      201,
    );
    expect(
      (await callApi("DELETE", `/organizations/${org}/debtpositions/${body.iupd as string}`, { key })).status,
    ).toBe(200);
    expect(await runJobNow("dispatchEvents")).toMatchObject({ status: "succeeded" });

    const page = checked("GET", feedTemplate, await callApi("GET", `/organizations/${org}/events?limit=2`, { key }));
    const first = page.body as { events: { type: string; subject: string; sequence: string }[]; cursor: string };
    expect(first.events.map((e) => e.type)).toEqual(["debt-position.created", "debt-position.published"]);
    const rest = checked(
      "GET",
      feedTemplate,
      await callApi("GET", `/organizations/${org}/events?after=${first.cursor}`, { key }),
    ).body as typeof first;
    expect(rest.events.map((e) => e.type)).toEqual(["debt-position.valid", "debt-position.deleted"]);
    expect([...first.events, ...rest.events].every((e) => e.subject === body.iupd)).toBe(true);
    const end = (await callApi("GET", `/organizations/${org}/events?after=${rest.cursor}`, { key })).body;
    expect(end).toEqual({ events: [], cursor: rest.cursor });

    const limited = (await aKey({ organizations: [org], products: ["events"], segregationCodes: ["02"] })).key;
    expect((await callApi("GET", `/organizations/${org}/events`, { key: limited })).body).toMatchObject({
      events: [],
    });
    for (const bad of ["after=-1", "after=abc", "limit=0", "limit=501"]) {
      const r = checked("GET", feedTemplate, await callApi("GET", `/organizations/${org}/events?${bad}`, { key }));
      expect([bad, r.status]).toEqual([bad, 400]);
    }
  });
});
