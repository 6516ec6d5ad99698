// Every kind of answer the running debt-position API gives (successes and errors) matches openapi/debt-positions.json:
// a walk through one position's life over HTTP, each response checked with readCheckedResponse.
import { aDebtPositionInput, aPaymentOptionInput, aRegisteredIban } from "../support/builders";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { readCheckedResponse } from "../support/openapi";
import { testBaseUrl } from "../support/stack";

const baseUrl = (): string => {
  const url = testBaseUrl();
  if (url === undefined) throw new Error("no test host: run `npm run build` first");
  return url;
};

const collection = "/organizations/{organizationfiscalcode}/debtpositions";
const item = `${collection}/{iupd}`;

describe("debt-position API answers as openapi/debt-positions.json documents", () => {
  const org = aFreshFiscalCode();
  const otherOrg = aFreshFiscalCode();
  let key: string;
  const iupd = `IUPD-${org}`;
  const due = new Date(Date.now() + 180 * 24 * 3600 * 1000).toISOString();
  const body = () =>
    aDebtPositionInput({ iupd, paymentOption: [aPaymentOptionInput({ iuv: `01${org.slice(1)}00001`, dueDate: due })] });

  const call = async (
    method: string,
    template: string,
    url: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ) =>
    readCheckedResponse<Record<string, unknown>>(
      "debt-positions",
      method,
      template,
      await fetch(`${baseUrl()}${url}`, {
        method,
        body: init.body,
        headers: { "Ocp-Apim-Subscription-Key": key, "Content-Type": "application/json", ...init.headers },
      }),
    );

  beforeAll(async () => {
    await anOrganization(org, [aRegisteredIban]);
    key = (await aKey({ organizations: [org] })).key;
  });

  it("create, get, list, update, publish, invalidate, delete", async () => {
    const base = `/organizations/${org}/debtpositions`;
    expect((await call("POST", collection, base, { body: JSON.stringify(body()) })).status).toBe(201);
    expect((await call("GET", item, `${base}/${iupd}`)).status).toBe(200);
    expect((await call("GET", collection, `${base}?page=0&limit=10&orderby=IUPD&ordering=ASC`)).status).toBe(200);
    expect((await call("PUT", item, `${base}/${iupd}`, { body: JSON.stringify(body()) })).status).toBe(200);
    expect((await call("POST", `${item}/publish`, `${base}/${iupd}/publish`)).status).toBe(200);
    expect((await call("POST", `${item}/invalidate`, `${base}/${iupd}/invalidate`)).status).toBe(200);
    expect((await call("DELETE", item, `${base}/${iupd}`)).status).toBe(200);
  });

  it("bulk create (published at once) answers 201 with no body", async () => {
    const positions = [1, 2].map((n) =>
      aDebtPositionInput({
        iupd: `BULK-${n}-${org}`,
        paymentOption: [aPaymentOptionInput({ iuv: `02${org.slice(1)}0000${n}`, dueDate: due })],
      }),
    );
    const r = await call("POST", `${collection}/bulk`, `/organizations/${org}/debtpositions/bulk?toPublish=true`, {
      body: JSON.stringify({ paymentPositions: positions }),
    });
    expect(r.status).toBe(201);
  });

  test.each([
    ["400 on a bad query", "GET", collection, () => `/organizations/${org}/debtpositions?page=-1`, {}, 400],
    ["400 on an invalid body", "POST", collection, () => `/organizations/${org}/debtpositions`, { body: "{}" }, 400],
    [
      "401 without a key",
      "GET",
      item,
      () => `/organizations/${org}/debtpositions/X`,
      { headers: { "Ocp-Apim-Subscription-Key": "" } },
      401,
    ],
    ["403 for another organization", "GET", item, () => `/organizations/${otherOrg}/debtpositions/X`, {}, 403],
    ["404 for an unknown position", "GET", item, () => `/organizations/${org}/debtpositions/UNKNOWN`, {}, 404],
    ["404 deleting an unknown position", "DELETE", item, () => `/organizations/${org}/debtpositions/UNKNOWN`, {}, 404],
    [
      "409 publishing a published position",
      "POST",
      `${item}/publish`,
      () => `/organizations/${org}/debtpositions/BULK-1-${org}/publish`,
      {},
      409,
    ],
    [
      "415 for a non-JSON body",
      "POST",
      collection,
      () => `/organizations/${org}/debtpositions`,
      { body: "x", headers: { "Content-Type": "text/plain" } },
      415,
    ],
    [
      "413 for a body over the limit",
      "POST",
      collection,
      () => `/organizations/${org}/debtpositions`,
      { body: `{"a":"${"x".repeat(1024 * 1024 + 10)}"}` },
      413,
    ],
  ])("%s", async (_name, method, template, url, init, status) => {
    const r = await call(method, template, url(), init);
    expect(r.status).toBe(status);
    expect(r.contentType).toMatch(/^application\/problem\+json/);
  });
});
