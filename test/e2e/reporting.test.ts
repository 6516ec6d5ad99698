// Issue 5's walk-through against the local host: a position paid (here by the domain's payPaymentOption and a
// conditional write; receipt ingestion is another area) is REPORTED once a flow for its IUV is dropped into
// flows-inbox and ingestReportingFlows runs through the admin endpoint; the flow is then listed and downloadable with
// a key holding the `reporting` product, and refused (403) with a key that lacks it. Every response is checked against
// openapi/*.json.
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { payPaymentOption } from "../../shared/domain/debt-positions/payments";
import { blobContainers, containers } from "../../shared/storage/definition";
import { aPositionBody, callApi, registeredIban, type ApiResponse } from "../support/gpd-client";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { expectResponseMatches, type ApiDocumentName } from "../support/openapi";
import { blobService, cosmosClient, testConfig } from "../support/stack";
import { aFlowXml } from "../support/xml-builders";
import { runJobNow } from "../support/jobs";

/** Calls the API and checks the answer against the document before returning it. */
async function checked(
  doc: ApiDocumentName,
  method: string,
  path: string,
  options: Parameters<typeof callApi>[2] = {},
): Promise<ApiResponse> {
  const r = await callApi(method, path, options);
  expectResponseMatches(doc, method, path, r.status, r.body ?? (r.text === "" ? undefined : r.text), r.contentType);
  expect(r.requestId).toBeTruthy();
  return r;
}

const repository = () =>
  new CosmosDebtPositionRepository(
    cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions),
  );

const dropIntoInbox = async (name: string, xml: string) => {
  await blobService()
    .getContainerClient(blobContainers["flows-inbox"])
    .getBlockBlobClient(name)
    .upload(xml, Buffer.byteLength(xml));
};

describe("reporting flows through the local host", () => {
  const org = aFreshFiscalCode();
  let reportingKey: string;
  let plainKey: string;

  beforeAll(async () => {
    await anOrganization(org, [registeredIban]);
    reportingKey = (await aKey({ organizations: [org], products: ["debt-positions", "reporting"] })).key;
    // The default grant: debt positions and receipts, never reporting (docs/domain/api-surface.md).
    plainKey = (await aKey({ organizations: [org] })).key;
  });

  it("turns a PAID position REPORTED after ingestReportingFlows, and serves the flow to reporting keys only", async () => {
    const body = aPositionBody({ amount: 12_345 });
    const iupd = body.iupd as string;
    const iuv = (body.paymentOption as { iuv: string }[])[0]!.iuv;
    const positionPath = `/organizations/${org}/debtpositions/${iupd}`;
    expect(
      (
        await checked("debt-positions", "POST", `/organizations/${org}/debtpositions?toPublish=true`, {
          key: plainKey,
          body,
        })
      ).status,
    ).toBe(201);

    const repo = repository();
    const stored = await repo.get(org, iupd);
    const paid = payPaymentOption(
      stored!.value,
      { iuv },
      { paymentDate: new Date().toISOString(), pspCompany: "Banca di Prova", idReceipt: `R-${iuv}`, fee: 0 },
      new Date(),
    );
    if (paid.outcome !== "paid") throw new Error(`cannot pay: ${paid.outcome}`);
    await repo.replace(stored!, paid.position);
    expect((await checked("debt-positions", "GET", positionPath, { key: plainKey })).body).toMatchObject({
      status: "PAID",
    });

    const flowId = `2026-03-12PSPTEST01-E${Date.now() % 1e9}`;
    const xml = aFlowXml({
      receiver: org,
      flowId,
      flowDateTime: "2026-03-12T06:00:00Z",
      payments: [{ iuv, transferIndex: 1, amountCents: 12_345 }],
    });
    await dropIntoInbox(`${flowId}.xml`, xml);
    expect(await runJobNow("ingestReportingFlows")).toMatchObject({ status: "succeeded" });

    const after = await checked("debt-positions", "GET", positionPath, { key: plainKey });
    expect(after.body).toMatchObject({
      status: "REPORTED",
      paymentOption: [{ status: "PO_REPORTED", idFlowReporting: flowId, reportingDate: "2026-03-12T06:00:00.000Z" }],
    });

    const listPath = `/organizations/${org}/reportings`;
    const listed = await checked("reporting", "GET", listPath, { key: reportingKey });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([{ flowId, flowDate: "2026-03-12T06:00:00.000Z" }]);
    expect((await checked("reporting", "GET", `${listPath}?flowDate=2026-03-12`, { key: reportingKey })).body).toEqual([
      { flowId, flowDate: "2026-03-12T06:00:00.000Z" },
    ]);
    expect((await checked("reporting", "GET", `${listPath}?flowDate=2026-03-11`, { key: reportingKey })).body).toEqual(
      [],
    );

    const flowPath = `/organizations/${org}/reportings/${flowId}/date/2026-03-12`;
    const flow = await checked("reporting", "GET", flowPath, { key: reportingKey });
    expect(flow.status).toBe(200);
    expect(flow.contentType).toMatch(/^application\/xml/);
    expect(flow.text).toBe(xml);
    // The listed flowDate itself, as the official contract's example passes it.
    const byDateTime = await checked(
      "reporting",
      "GET",
      `/organizations/${org}/reportings/${flowId}/date/2026-03-12T06:00:00.000Z`,
      {
        key: reportingKey,
      },
    );
    expect(byDateTime.text).toBe(xml);

    const listRefused = await checked("reporting", "GET", listPath, { key: plainKey });
    expect(listRefused.status).toBe(403);
    expect(listRefused.contentType).toMatch(/^application\/problem\+json/);
    expect((await checked("reporting", "GET", flowPath, { key: plainKey })).status).toBe(403);
    expect((await checked("reporting", "GET", flowPath)).status).toBe(401);
  });

  it("answers 404 for an absent flow and 400 for malformed dates or flow ids, as ProblemJson", async () => {
    const base = `/organizations/${org}/reportings`;
    const absent = await checked("reporting", "GET", `${base}/2026-01-01PSPTEST01-NONE/date/2026-01-01`, {
      key: reportingKey,
    });
    expect(absent.status).toBe(404);
    expect(absent.body).toMatchObject({ title: "Not found the reporting flow", status: 404 });
    expect((await checked("reporting", "GET", `${base}?flowDate=2026-02-30`, { key: reportingKey })).status).toBe(400);
    expect((await checked("reporting", "GET", `${base}?flowDate=yesterday`, { key: reportingKey })).status).toBe(400);
    expect((await checked("reporting", "GET", `${base}/F-1/date/12-03-2026`, { key: reportingKey })).status).toBe(400);
    expect((await checked("reporting", "GET", `${base}/bad.id/date/2026-03-12`, { key: reportingKey })).status).toBe(
      400,
    );
    // A key for another organization, even with the reporting product.
    const other = (await aKey({ organizations: [aFreshFiscalCode()], products: ["reporting"] })).key;
    expect((await checked("reporting", "GET", base, { key: other })).status).toBe(403);
  });

  it("moves a hostile flow to flows-rejected with the reason in its metadata", async () => {
    const name = `hostile-${org}.xml`;
    await dropIntoInbox(
      name,
      `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/">&x;</FlussoRiversamento>`,
    );
    expect(await runJobNow("ingestReportingFlows")).toMatchObject({ status: "succeeded" });
    const rejected = blobService().getContainerClient(blobContainers["flows-rejected"]).getBlobClient(name);
    const properties = await rejected.getProperties();
    expect(properties.metadata?.reason).toMatch(/^dtd-forbidden/);
    expect(await blobService().getContainerClient(blobContainers["flows-inbox"]).getBlobClient(name).exists()).toBe(
      false,
    );
  });
});
