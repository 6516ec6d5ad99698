// A stored position that no longer parses, read by one caller (docs/adr/0065-unreadable-stored-positions.md): the
// document is written straight into the Cosmos emulator the way the old notification fee left it (an amount beyond a
// safe integer), then every operation that reads that one position is called over HTTP and SOAP against the local
// host. Each answers the documented refusal — 409 ProblemJson naming the position, ODP-103 on the payment-options
// verify, a PAA_SYSTEM_ERROR fault on the node's SOAP service — never a 500 ProblemJson, and nothing is changed.
import { containers } from "../../shared/storage/definition";
import { newOrganization } from "../../shared/domain/organizations/organization";
import { aFreshFiscalCode, aKey, organizationRepository } from "../support/keys";
import { aFreshIuv, aPositionBody, callApi, registeredIban, type ApiResponse } from "../support/gpd-client";
import { aNodeClient, getPaymentArgs, verifyArgs, type NodeAnswer, type Station } from "../support/node-soap";
import { expectResponseMatches, type ApiDocumentName } from "../support/openapi";
import { xsdErrorsOf } from "../support/pa-for-node-xsd";
import { cosmosClient, testConfig } from "../support/stack";

jest.setTimeout(120_000);

const container = () => cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions);

/** What the notification fee wrote before amounts had a maximum: 2^53 − 1 plus the option's amount. */
const BEYOND_SAFE_INTEGER = 9007199254750992;

async function call(
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

describe("a stored position that no longer parses", () => {
  const org = aFreshFiscalCode();
  const broker = aFreshFiscalCode();
  const station: Station = { organization: org, broker, station: `${broker}_01` };
  const iuv = aFreshIuv();
  const nav = `3${iuv}`;
  const body = aPositionBody({ iuvs: [iuv] });
  const iupd = body.iupd as string;
  const readable = aPositionBody();
  let key = "";
  let nodeKey = "";
  let etagAfterDamage = "";

  beforeAll(async () => {
    await organizationRepository().upsert(
      newOrganization({
        fiscalCode: org,
        companyName: "Comune di Prova",
        ibans: [registeredIban],
        brokerCode: broker,
        stationCodes: [station.station],
        now: new Date(),
      }),
    );
    key = (await aKey({ organizations: [org], products: ["debt-positions", "receipts", "notification-fee"] })).key;
    nodeKey = (await aKey({ organizations: [], products: ["node"] })).key;
    for (const b of [body, readable]) {
      expect(
        (await callApi("POST", `/organizations/${org}/debtpositions?toPublish=true`, { key, body: b })).status,
      ).toBe(201);
    }
    // Damage the stored document as the old notification fee did; its IUV and NAV claims stay as they were.
    const item = container().item(`position:${iupd}`, org);
    const { resource } = await item.read<Record<string, unknown>>();
    if (resource === undefined) throw new Error("the position was not stored");
    const options = resource.paymentOption as Record<string, unknown>[];
    options[0] = { ...options[0], amount: BEYOND_SAFE_INTEGER };
    const replaced = await item.replace(resource);
    etagAfterDamage = replaced.etag;
  });

  const expectUnreadable = (r: ApiResponse) => {
    expect(r.status).toBe(409);
    expect(r.contentType).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({
      status: 409,
      title: "The debt position is stored in a form that can no longer be read",
    });
    const detail = (r.body as { detail: string }).detail;
    expect(detail).toContain(iupd);
    expect(detail).toContain("paymentOption.0.amount");
  };

  const positionPath = "/organizations/{organizationfiscalcode}/debtpositions/{iupd}";

  it("GET of the position is 409 ProblemJson naming it; the organization's list still answers the rest", async () => {
    expectUnreadable(
      await call("debt-positions", "GET", positionPath, `/organizations/${org}/debtpositions/${iupd}`, key),
    );
    const list = await call(
      "debt-positions",
      "GET",
      "/organizations/{organizationfiscalcode}/debtpositions",
      `/organizations/${org}/debtpositions?page=0&limit=50`,
      key,
    );
    expect(list.status).toBe(200);
    const iupds = (list.body as { payment_position_list: { iupd: string }[] }).payment_position_list.map((p) => p.iupd);
    expect(iupds).toEqual([readable.iupd]);
  });

  it("update, delete, publish and invalidate are refused the same way", async () => {
    const url = `/organizations/${org}/debtpositions/${iupd}`;
    expectUnreadable(await call("debt-positions", "PUT", positionPath, url, key, body));
    expectUnreadable(await call("debt-positions", "DELETE", positionPath, url, key));
    expectUnreadable(await call("debt-positions", "POST", `${positionPath}/publish`, `${url}/publish`, key));
    expectUnreadable(await call("debt-positions", "POST", `${positionPath}/invalidate`, `${url}/invalidate`, key));
    const v2 = "/v2/organizations/{organizationfiscalcode}/debtpositions";
    expectUnreadable(
      await call("debt-positions", "PUT", v2, `/v2/organizations/${org}/debtpositions`, key, {
        paymentPositions: [body],
      }),
    );
  });

  it("the payment option's reads and writes are refused the same way", async () => {
    const options = "/organizations/{organizationfiscalcode}/paymentoptions";
    expectUnreadable(
      await call("debt-positions", "GET", `${options}/{nav}`, `/organizations/${org}/paymentoptions/${nav}`, key),
    );
    expectUnreadable(
      await call(
        "debt-positions",
        "GET",
        `${options}/{iuv}/debtposition`,
        `/organizations/${org}/paymentoptions/${iuv}/debtposition`,
        key,
      ),
    );
    expectUnreadable(
      await call(
        "receipts",
        "PUT",
        `${options}/{nav}/notificationfee`,
        `/organizations/${org}/paymentoptions/${nav}/notificationfee`,
        key,
        { notificationFee: 100 },
      ),
    );
    expectUnreadable(
      await call("notices", "GET", `${positionPath}/notice`, `/organizations/${org}/debtpositions/${iupd}/notice`, key),
    );
  });

  it("the payment-options verify answers its contract's system error, ODP-103", async () => {
    const r = await call(
      "debt-positions",
      "POST",
      "/payment-options/organizations/{organization-fiscal-code}/notices/{notice-number}",
      `/payment-options/organizations/${org}/notices/${nav}`,
      key,
    );
    expect(r.body).toMatchObject({ appErrorCode: "ODP-103" });
    expect((r.body as { errorMessage: string }).errorMessage).toMatch(/^PAA_SYSTEM_ERROR .*cannot be read/);
  });

  it("the node's verify and get answer a PAA_SYSTEM_ERROR fault that does not ask for a retry", async () => {
    const node = await aNodeClient(nodeKey);
    const faultOf = async (answer: NodeAnswer) => {
      expect(answer.result).toMatchObject({ outcome: "KO", fault: { faultCode: "PAA_SYSTEM_ERROR", id: org } });
      expect(await xsdErrorsOf(answer.xml)).toEqual([]);
      return (answer.result.fault as { description: string }).description;
    };
    const verified = await faultOf(await node.call("paVerifyPaymentNotice", verifyArgs(station, nav)));
    expect(verified).toMatch(/cannot be read/);
    expect(verified).not.toMatch(/try again/);
    await faultOf(await node.call("paGetPaymentV2", getPaymentArgs(station, nav)));
    await faultOf(await node.call("paGetPayment", getPaymentArgs(station, nav)));
  });

  it("nothing refused above changed the stored document", async () => {
    const { resource, etag } = await container().item(`position:${iupd}`, org).read<Record<string, unknown>>();
    expect(etag).toBe(etagAfterDamage);
    expect((resource?.paymentOption as { amount: number }[])[0]?.amount).toBe(BEYOND_SAFE_INTEGER);
  });
});
