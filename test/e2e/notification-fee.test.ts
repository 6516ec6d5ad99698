// PUT …/paymentoptions/{nav}/notificationfee over HTTP (docs/domain/notification-fee.md): the fee is added to the
// option amount and to the EC's own transfer, replaces any earlier fee, survives an update of the position by the
// EC, and is refused for an unknown NAV (404) or an option that is not unpaid (422). Every answer is checked against
// our OpenAPI documents.
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { payPaymentOption } from "../../shared/domain/debt-positions/payments";
import { containers } from "../../shared/storage/definition";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { aFreshIuv, aPositionBody, callApi, registeredIban, type ApiResponse } from "../support/gpd-client";
import { expectResponseMatches, type ApiDocumentName } from "../support/openapi";
import { cosmosClient, testConfig } from "../support/stack";

const feePath = "/organizations/{organizationfiscalcode}/paymentoptions/{nav}/notificationfee";
const positionPath = "/organizations/{organizationfiscalcode}/debtpositions/{iupd}";

async function api(
  doc: ApiDocumentName,
  method: string,
  template: string,
  url: string,
  key: string,
  body?: unknown,
): Promise<ApiResponse> {
  const response = await callApi(method, url, { key, ...(body === undefined ? {} : { body }) });
  expectResponseMatches(doc, method, template, response.status, response.body ?? response.text, response.contentType);
  return response;
}

interface OptionView {
  nav: string;
  amount: number;
  notificationFee: number;
  transfer: { amount: number }[];
}

describe("notification fee through the local host", () => {
  const org = aFreshFiscalCode();
  let key = "";
  const setFee = (nav: string, body: unknown, k = key) =>
    api("receipts", "PUT", feePath, `/organizations/${org}/paymentoptions/${nav}/notificationfee`, k, body);

  async function aPublishedPosition(): Promise<{
    iupd: string;
    iuv: string;
    nav: string;
    body: Record<string, unknown>;
  }> {
    const iuv = aFreshIuv();
    const body = aPositionBody({ iuvs: [iuv], amount: 10_000 });
    const created = await api(
      "debt-positions",
      "POST",
      "/organizations/{organizationfiscalcode}/debtpositions",
      `/organizations/${org}/debtpositions?toPublish=true`,
      key,
      body,
    );
    expect(created.status).toBe(201);
    const nav = (created.body as { paymentOption: { nav: string }[] }).paymentOption[0]?.nav ?? "";
    return { iupd: body.iupd as string, iuv, nav, body };
  }

  beforeAll(async () => {
    await anOrganization(org, [registeredIban]);
    key = (await aKey({ organizations: [org], products: ["debt-positions", "notification-fee"] })).key;
  });

  it("adds the fee to the amount and the EC's transfer, replaces an earlier fee, and keeps it across an update", async () => {
    const { iupd, nav, body } = await aPublishedPosition();

    const first = await setFee(nav, { notificationFee: 150 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ nav, amount: 10_150, notificationFee: 150, transfer: [{ amount: 10_150 }] });

    const second = await setFee(nav, { notificationFee: 200 });
    expect(second.body).toMatchObject({ amount: 10_200, notificationFee: 200, transfer: [{ amount: 10_200 }] });

    // The EC sends net amounts on update; the stored fee is re-added (docs/domain/debt-positions.md#validation notificationFee 3).
    const updated = await api(
      "debt-positions",
      "PUT",
      positionPath,
      `/organizations/${org}/debtpositions/${iupd}?toPublish=true`,
      key,
      body,
    );
    expect(updated.status).toBe(200);
    const read = await api("debt-positions", "GET", positionPath, `/organizations/${org}/debtpositions/${iupd}`, key);
    const option = (read.body as { paymentOption: OptionView[] }).paymentOption[0];
    expect(option).toMatchObject({ amount: 10_200, notificationFee: 200, transfer: [{ amount: 10_200 }] });

    const cleared = await setFee(nav, { notificationFee: 0 });
    expect(cleared.body).toMatchObject({ amount: 10_000, notificationFee: 0, transfer: [{ amount: 10_000 }] });
  });

  it("finds the option by IUV too", async () => {
    const { iuv } = await aPublishedPosition();
    const r = await setFee(iuv, { notificationFee: 99 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ iuv, amount: 10_099, notificationFee: 99 });
  });

  it("answers 404 for an unknown NAV and 422 once the option is paid", async () => {
    expect((await setFee(`3${aFreshIuv()}`, { notificationFee: 100 })).status).toBe(404);

    const { iupd, iuv, nav } = await aPublishedPosition();
    const repository = new CosmosDebtPositionRepository(
      cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions),
    );
    const stored = await repository.get(org, iupd);
    if (stored === undefined) throw new Error("position not stored");
    const result = payPaymentOption(
      stored.value,
      { iuv },
      { paymentDate: new Date().toISOString(), pspCompany: "PSP", idReceipt: "R-1", fee: 0 },
      new Date(),
    );
    if (result.outcome !== "paid") throw new Error(`could not pay: ${result.outcome}`);
    await repository.replace(stored, result.position);

    const refused = await setFee(nav, { notificationFee: 100 });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ title: "Not in unpaid state for notification fee update" });
  });

  it.each([[{}], [{ notificationFee: -1 }], [{ notificationFee: 1.5 }], [{ notificationFee: "100" }]])(
    "answers 400 for %j",
    async (body) => {
      const { nav } = await aPublishedPosition();
      expect((await setFee(nav, body)).status).toBe(400);
    },
  );

  it("needs the notification-fee product (403)", async () => {
    const { nav } = await aPublishedPosition();
    const { key: positionsOnly } = await aKey({ organizations: [org], products: ["debt-positions"] });
    expect((await setFee(nav, { notificationFee: 100 }, positionsOnly)).status).toBe(403);
  });
});
