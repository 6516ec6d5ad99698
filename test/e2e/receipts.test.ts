// Issue 7's walk-through over HTTP against the local host: receipts dropped into `receipts-inbox` are ingested by
// POST /admin/functions/ingestReceipts (positions become PAID, hostile files land in `receipts-rejected`), then
// listed with every filter and paging, and returned as XML by the detail endpoint. Every answer is checked against
// openapi/receipts.json (or debt-positions.json).
import { readFileSync } from "node:fs";
import path from "node:path";
import { blobContainers } from "../../shared/storage/definition";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { aFreshIuv, aPositionBody, callApi, registeredIban, type ApiResponse } from "../support/gpd-client";
import { expectResponseMatches, type ApiDocumentName } from "../support/openapi";
import { blobService } from "../support/stack";
import { aReceiptXml } from "../support/xml-builders";
import { runJobNow } from "../support/jobs";

const listPath = "/payments/{organizationfiscalcode}/receipts";
const itemPath = "/payments/{organizationfiscalcode}/receipts/{iuv}";

/** Calls the API and checks the answer against our OpenAPI document (status, content type, body). */
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
  expect(response.requestId).toBeTruthy();
  return response;
}

const inbox = () => blobService().getContainerClient(blobContainers["receipts-inbox"]);
const rejected = () => blobService().getContainerClient(blobContainers["receipts-rejected"]);

/** The host's own timer may be working on the inbox too: wait until it holds none of our files. */
async function untilTaken(prefix: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const left: string[] = [];
    for await (const b of inbox().listBlobsFlat({ prefix })) left.push(b.name);
    if (left.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`files ${prefix}* are still in the inbox`);
}

interface Paid {
  iuv: string;
  iupd: string;
  debtor: string;
  paymentDateTime: string;
  xml: string;
}

describe("receipts through the local host", () => {
  const org = aFreshFiscalCode();
  let key = "";
  let segregatedKey = "";
  const paid: Paid[] = [];
  // Segregation codes 01, 01, 02, 02, 03; C is paid 2026-03-03 at 00:30 in Rome, i.e. 2026-03-02 in UTC.
  const plan = [
    { code: "01", debtor: "DBTAAA80A01H501A", at: "2026-03-01T10:00:00Z" },
    { code: "01", debtor: "DBTAAA80A01H501A", at: "2026-03-02T12:00:00Z" },
    { code: "02", debtor: "DBTBBB80A01H501B", at: "2026-03-03T00:30:00+01:00" },
    { code: "02", debtor: "DBTBBB80A01H501B", at: "2026-03-04T09:00:00Z" },
    { code: "03", debtor: "DBTCCC80A01H501C", at: "2026-03-05T09:00:00Z" },
  ];
  const sorted = () => [...paid].sort((a, b) => a.iuv.localeCompare(b.iuv));
  const iuvsOf = (r: ApiResponse) => (r.body as { receipts_list: { iuv: string }[] }).receipts_list.map((x) => x.iuv);
  const list = (query: string, k = key) => api("receipts", "GET", listPath, `/payments/${org}/receipts${query}`, k);

  beforeAll(async () => {
    await anOrganization(org, [registeredIban]);
    key = (await aKey({ organizations: [org], products: ["debt-positions", "receipts"] })).key;
    segregatedKey = (await aKey({ organizations: [org], products: ["receipts"], segregationCodes: ["02"] })).key;
    for (const p of plan) {
      const iuv = aFreshIuv(p.code);
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
      const xml = aReceiptXml({
        idPA: org,
        iuv,
        receiptId: `R-${iuv}`,
        amountCents: 10_000,
        debtorFiscalCode: p.debtor,
        paymentDateTime: p.at,
        soapEnvelope: p.code === "02",
      });
      paid.push({ iuv, iupd: body.iupd as string, debtor: p.debtor, paymentDateTime: p.at, xml });
      await inbox().getBlockBlobClient(`${org}-${iuv}.xml`).uploadData(Buffer.from(xml));
    }
    const fixtures = path.resolve(__dirname, "../fixtures/xml");
    await inbox()
      .getBlockBlobClient(`${org}-billion-laughs.xml`)
      .uploadData(readFileSync(path.join(fixtures, "billion-laughs.xml")));
    await inbox()
      .getBlockBlobClient(`${org}-xxe.xml`)
      .uploadData(readFileSync(path.join(fixtures, "xxe-file.xml")));

    expect(await runJobNow("ingestReceipts")).toMatchObject({ status: "succeeded" });
    await untilTaken(org);
  }, 60_000);

  it("makes each position PAID", async () => {
    for (const p of paid) {
      const r = await api(
        "debt-positions",
        "GET",
        "/organizations/{organizationfiscalcode}/debtpositions/{iupd}",
        `/organizations/${org}/debtpositions/${p.iupd}`,
        key,
      );
      expect(r.body).toMatchObject({ status: "PAID", paymentOption: [{ status: "PO_PAID", idReceipt: `R-${p.iuv}` }] });
    }
  });

  it("moves hostile files to receipts-rejected with the reason in the metadata", async () => {
    for (const name of [`${org}-billion-laughs.xml`, `${org}-xxe.xml`]) {
      const properties = await rejected().getBlobClient(name).getProperties();
      expect(properties.metadata?.reason).toMatch(/^xml-dtd-forbidden/);
    }
  });

  it("returns the stored XML as application/xml, 404 when there is none, 403 outside the segregation codes", async () => {
    const [first] = paid;
    const r = await api("receipts", "GET", itemPath, `/payments/${org}/receipts/${first?.iuv ?? ""}`, key);
    expect(r.status).toBe(200);
    expect(r.contentType).toMatch(/^application\/xml/);
    expect(r.text).toBe(first?.xml);

    const missing = await api("receipts", "GET", itemPath, `/payments/${org}/receipts/${aFreshIuv()}`, key);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ title: "Not found the receipt" });

    const outside = await api(
      "receipts",
      "GET",
      itemPath,
      `/payments/${org}/receipts/${first?.iuv ?? ""}`,
      segregatedKey,
    );
    expect(outside.status).toBe(403);
    const inside = await api(
      "receipts",
      "GET",
      itemPath,
      `/payments/${org}/receipts/${paid[2]?.iuv ?? ""}`,
      segregatedKey,
    );
    expect(inside.text).toBe(paid[2]?.xml);
  });

  it("lists every receipt in IUV order with the default page", async () => {
    const r = await list("");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      receipts_list: sorted().map((p) => ({
        organizationFiscalCode: org,
        iuv: p.iuv,
        debtorFiscalCode: p.debtor,
        receiptId: `R-${p.iuv}`,
        amount: 10_000,
        paymentDateTime: new Date(p.paymentDateTime).toISOString(),
      })),
      page_info: { page: 0, limit: 50, items_found: 5, more_pages: false },
    });
  });

  it("filters by debtor, service (IUV prefix), payment days in UTC, and segregation codes", async () => {
    expect(iuvsOf(await list("?debtor=DBTAAA80A01H501A"))).toEqual([paid[0]?.iuv, paid[1]?.iuv].sort());
    expect(iuvsOf(await list("?service=02"))).toEqual([paid[2]?.iuv, paid[3]?.iuv].sort());
    expect(iuvsOf(await list(`?service=${paid[4]?.iuv ?? ""}`))).toEqual([paid[4]?.iuv]);
    expect(iuvsOf(await list("?from=2026-03-02&to=2026-03-02"))).toEqual([paid[1]?.iuv, paid[2]?.iuv].sort());
    expect(iuvsOf(await list("?from=2026-03-04"))).toEqual([paid[3]?.iuv, paid[4]?.iuv].sort());
    expect(iuvsOf(await list("?to=2026-03-01"))).toEqual([paid[0]?.iuv]);
    expect(iuvsOf(await list("?debtor=DBTBBB80A01H501B&from=2026-03-04"))).toEqual([paid[3]?.iuv]);
    expect(iuvsOf(await list("?debtor=NOBODY"))).toEqual([]);
    expect(iuvsOf(await list("", segregatedKey))).toEqual([paid[2]?.iuv, paid[3]?.iuv].sort());
  });

  it("pages with more_pages, and a page past the end is empty", async () => {
    const all = sorted().map((p) => p.iuv);
    const pages = [
      await list("?limit=2"),
      await list("?limit=2&page=1"),
      await list("?limit=2&page=2"),
      await list("?limit=2&page=3"),
    ];
    expect(pages.map(iuvsOf)).toEqual([all.slice(0, 2), all.slice(2, 4), all.slice(4), []]);
    expect(pages.map((p) => (p.body as { page_info: unknown }).page_info)).toEqual([
      { page: 0, limit: 2, items_found: 2, more_pages: true },
      { page: 1, limit: 2, items_found: 2, more_pages: true },
      { page: 2, limit: 2, items_found: 1, more_pages: false },
      { page: 3, limit: 2, items_found: 0, more_pages: false },
    ]);
    expect((await list("?limit=999")).status).toBe(200);
  });

  it.each([
    ["?limit=1000"],
    ["?limit=0"],
    ["?page=-1"],
    ["?page=x"],
    ["?from=2026-02-30"],
    ["?from=2026-03-05&to=2026-03-01"],
    ["?debtor=a%2Fb"],
  ])("answers 400 for %s", async (query) => {
    const r = await list(query);
    expect(r.status).toBe(400);
  });

  it("refuses keys without the receipts product (403) and without a key (401)", async () => {
    const { key: positionsOnly } = await aKey({ organizations: [org], products: ["debt-positions"] });
    expect((await list("", positionsOnly)).status).toBe(403);
    const anonymous = await callApi("GET", `/payments/${org}/receipts`);
    expectResponseMatches("receipts", "GET", listPath, anonymous.status, anonymous.body, anonymous.contentType);
    expect(anonymous.status).toBe(401);
  });
});
