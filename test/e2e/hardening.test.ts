// The reproductions of the hostile-input findings, over HTTP against the local host: each answers 400/422 ProblemJson
// quickly and small, and the service keeps serving (docs/adr/0017-hostile-input-limits.md).
import { products, type Product } from "../../shared/domain/subscriptions/subscription";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { aPositionBody, callApi, registeredIban, type ApiResponse } from "../support/gpd-client";

const expectProblem = (r: ApiResponse, status: number) => {
  expect(r.status).toBe(status);
  expect(r.contentType).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ status, title: expect.any(String) as string, detail: expect.any(String) as string });
};

describe("hostile input over HTTP", () => {
  const org = aFreshFiscalCode();
  let key: string;
  beforeAll(async () => {
    await anOrganization(org, [registeredIban]);
    key = (await aKey({ organizations: [org], products: [...products] as Product[] })).key;
  });

  it("a notification fee beyond the maximum is refused and the position stays readable", async () => {
    const body = aPositionBody();
    const iuv = (body.paymentOption as { iuv: string }[])[0]?.iuv ?? "";
    expect((await callApi("POST", `/organizations/${org}/debtpositions?toPublish=true`, { key, body })).status).toBe(
      201,
    );
    const fee = (notificationFee: number) =>
      callApi("PUT", `/organizations/${org}/paymentoptions/3${iuv}/notificationfee`, {
        key,
        body: { notificationFee },
      });
    expectProblem(await fee(9007199254740991), 400);
    expectProblem(await fee(99_999_999_999), 422);
    expect((await fee(150)).status).toBe(200);
    expect((await callApi("GET", `/organizations/${org}/debtpositions/${body.iupd as string}`, { key })).status).toBe(
      200,
    );
    expect((await callApi("GET", `/organizations/${org}/debtpositions?page=0`, { key })).status).toBe(200);
  });

  it("20,000 empty options are refused by their count with a short answer", async () => {
    const body = { ...aPositionBody(), paymentOption: Array.from({ length: 20_000 }, () => ({})) };
    const r = await callApi("POST", `/organizations/${org}/debtpositions`, { key, body });
    expectProblem(r, 400);
    expect(r.text.length).toBeLessThan(1000);
  });

  it.each(["x", "2026-13-45"])("receipts from=%s and to=%s are 400, not 500", async (value) => {
    expectProblem(await callApi("GET", `/payments/${org}/receipts?from=${value}`, { key }), 400);
    expectProblem(await callApi("GET", `/payments/${org}/receipts?to=${value}`, { key }), 400);
  });

  it("a description of 50,000 nested objects is 400, not 500", async () => {
    const nested = `${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`;
    const body = JSON.stringify(aPositionBody()).replace('"description":"TARI 2026"', `"description":${nested}`);
    expectProblem(
      await callApi("POST", `/organizations/${org}/debtpositions`, {
        key,
        rawBody: body,
        headers: { "Content-Type": "application/json" },
      }),
      400,
    );
  });

  it("a transfer array of 150,000 numbers is 400, not 500", async () => {
    const body = aPositionBody();
    const [option] = body.paymentOption as Record<string, unknown>[];
    if (option) option.transfer = Array.from({ length: 150_000 }, (_, i) => i);
    expectProblem(await callApi("POST", `/organizations/${org}/debtpositions`, { key, body }), 400);
    expect((await callApi("GET", "/info", { key })).status).toBe(200);
  });
});
