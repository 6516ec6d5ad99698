// The key matrix of docs/domain/api-surface.md over real HTTP against the local host running the compiled app.
import { startExtraHost, testBaseUrl } from "../support/stack";
import { aFreshFiscalCode, aKey, subscriptionRepository } from "../support/keys";

const baseUrl = (): string => {
  const url = testBaseUrl();
  if (url === undefined) throw new Error("no test host: run `npm run build` first");
  return url;
};

async function call(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    requestId: response.headers.get("x-request-id"),
    body: text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

describe("subscription keys over HTTP", () => {
  const org = aFreshFiscalCode();
  const otherOrg = aFreshFiscalCode();
  let valid: string;
  let receiptsOnly: string;
  let prodKey: string;

  beforeAll(async () => {
    valid = (await aKey({ organizations: [org] })).key;
    receiptsOnly = (await aKey({ organizations: [org], products: ["receipts"] })).key;
    prodKey = (await aKey({ organizations: [org], environment: "PROD" })).key;
  });

  it("answers /info to a valid key with name, version and environment", async () => {
    const r = await call(`${baseUrl()}/info`, { "Ocp-Apim-Subscription-Key": valid });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      name: "gpd-functions",
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      environment: "UAT",
    });
  });

  it("accepts the key in the subscription-key query parameter, as API Management does", async () => {
    const r = await call(`${baseUrl()}/info?subscription-key=${valid}`);
    expect(r.status).toBe(200);
  });

  test.each([
    ["no key", {}],
    ["an unknown key", { "Ocp-Apim-Subscription-Key": "0".repeat(64) }],
    ["an empty key", { "Ocp-Apim-Subscription-Key": "" }],
  ])("refuses %s with 401 ProblemJson", async (_name, headers) => {
    const r = await call(`${baseUrl()}/info`, headers);
    expect(r.status).toBe(401);
    expect(r.contentType).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 401, title: expect.any(String), detail: expect.any(String) });
    expect(r.requestId).toBeTruthy();
  });

  it("refuses a PROD key on a UAT deployment (401)", async () => {
    const r = await call(`${baseUrl()}/info`, { "Ocp-Apim-Subscription-Key": prodKey });
    expect(r.status).toBe(401);
  });

  it("refuses an organization the key is not bound to (403)", async () => {
    const r = await call(`${baseUrl()}/organizations/${otherOrg}/debtpositions?page=0`, {
      "Ocp-Apim-Subscription-Key": valid,
    });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ status: 403 });
  });

  it("refuses a product the key is not granted (403)", async () => {
    const r = await call(`${baseUrl()}/organizations/${org}/debtpositions?page=0`, {
      "Ocp-Apim-Subscription-Key": receiptsOnly,
    });
    expect(r.status).toBe(403);
  });

  it("lets the granted organization and product through", async () => {
    const r = await call(`${baseUrl()}/organizations/${org}/debtpositions?page=0`, {
      "Ocp-Apim-Subscription-Key": valid,
    });
    expect(r.status).toBe(200);
  });

  it("echoes X-Request-Id on success and on errors, and generates one when absent", async () => {
    const ok = await call(`${baseUrl()}/info`, { "Ocp-Apim-Subscription-Key": valid, "X-Request-Id": "my-id-1" });
    expect(ok.requestId).toBe("my-id-1");
    const denied = await call(`${baseUrl()}/info`, { "X-Request-Id": "my-id-2" });
    expect(denied.requestId).toBe("my-id-2");
    const generated = await call(`${baseUrl()}/info`, { "Ocp-Apim-Subscription-Key": valid });
    expect(generated.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await call(`${baseUrl()}/info`, { "Ocp-Apim-Subscription-Key": valid, "X-Request-Id": "a b\tc" });
    expect(unsafe.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe("on a PROD deployment with no key cache", () => {
    let prod: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      prod = await startExtraHost({ GPD_ENVIRONMENT: "PROD", SUBSCRIPTION_CACHE_TTL_SECONDS: "0" });
    });
    afterAll(async () => {
      await prod.close();
    });

    it("refuses a UAT key and accepts a PROD key", async () => {
      expect((await call(`${prod.url}/info`, { "Ocp-Apim-Subscription-Key": valid })).status).toBe(401);
      const r = await call(`${prod.url}/info`, { "Ocp-Apim-Subscription-Key": prodKey });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ environment: "PROD" });
    });

    it("stops accepting a key once it is revoked", async () => {
      const { key, name } = await aKey({ organizations: [org], environment: "PROD" });
      expect((await call(`${prod.url}/info`, { "Ocp-Apim-Subscription-Key": key })).status).toBe(200);
      await subscriptionRepository().revoke(name, new Date());
      expect((await call(`${prod.url}/info`, { "Ocp-Apim-Subscription-Key": key })).status).toBe(401);
    });
  });
});
