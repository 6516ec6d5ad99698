// The everyday operations around v1, end to end over real HTTP against the local host (compiled app, Cosmos
// emulator): paid outside pagoPA, the IBAN change, lookups by NAV and IUV, verify, the v2 bulk operations, the
// internal pay and report, Spring's booleans and the segregationCodes parameter. Every response is checked against
// openapi/debt-positions.json (strict) and against the reference's own document for that operation.
import { containers } from "../../shared/storage/definition";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { aFreshIuv, aPositionBody, callApi as rawCallApi, inDays, registeredIban } from "../support/gpd-client";
import type { ApiResponse } from "../support/gpd-client";
import { expectResponseMatches, findPathTemplate, loadApiDocument } from "../support/openapi";
import { expectReferenceMatches, type ReferenceDocument } from "../support/reference-contracts";
import { cosmosClient, testConfig } from "../support/stack";

/** Where the reference documents each of our operations (our template → its document and template). */
const v2Collection = "/organizations/{organizationfiscalcode}/debtpositions";
const referenceOf: Record<string, [ReferenceDocument, string]> = {
  "/organizations/{organizationfiscalcode}/debtpositions/transfers": [
    "debt-position-openapi_external_v1.json",
    "/organizations/{organizationfiscalcode}/debtpositions/transfers",
  ],
  "/organizations/{organizationfiscalcode}/paymentoptions/paids/{nav}": [
    "debt-position-openapi_external_v1.json",
    "/organizations/{organizationfiscalcode}/paymentoptions/paids/{nav}",
  ],
  "/organizations/{organizationfiscalcode}/paymentoptions/{nav}": [
    "debt-position-openapi_internal_v1.json",
    "/organizations/{organizationfiscalcode}/paymentoptions/{nav}",
  ],
  "/organizations/{organizationfiscalcode}/paymentoptions/{iuv}/debtposition": [
    "debt-position-openapi_internal_v1.json",
    "/organizations/{organizationfiscalcode}/paymentoptions/{iuv}/debtposition",
  ],
  "/organizations/{organizationfiscalcode}/paymentoptions/{nav}/pay": [
    "debt-position-openapi_internal_v1.json",
    "/organizations/{organizationfiscalcode}/paymentoptions/{nav}/pay",
  ],
  "/organizations/{organizationfiscalcode}/paymentoptions/{iuv}/transfers/{transferid}/report": [
    "debt-position-openapi_internal_v1.json",
    "/organizations/{organizationfiscalcode}/paymentoptions/{iuv}/transfers/{transferid}/report",
  ],
  "/payment-options/organizations/{organization-fiscal-code}/notices/{notice-number}": [
    "orgs_payment_options.json",
    "/payment-options/organizations/{organization-fiscal-code}/notices/{notice-number}",
  ],
  "/v2/organizations/{organizationfiscalcode}/debtpositions": ["debt-position-openapi_external_v2.json", v2Collection],
};

let referenceChecks = 0;

/** Calls the API and checks the answer against our document and, where it documents the operation, the reference's. */
async function callApi(...args: Parameters<typeof rawCallApi>): Promise<ApiResponse> {
  const [method, path] = args;
  const response = await rawCallApi(...args);
  const body = response.body ?? (response.text.length > 0 ? response.text : undefined);
  const concrete = path.split("?")[0] ?? path;
  expectResponseMatches("debt-positions", method, concrete, response.status, body, response.contentType);
  const template = findPathTemplate(loadApiDocument("debt-positions"), concrete);
  const reference = template === undefined ? undefined : referenceOf[template];
  if (reference !== undefined) {
    expectReferenceMatches(reference[0], method, reference[1], response.status, body);
    referenceChecks += 1;
  }
  return response;
}

const NEW_IBAN = "IT07X0542811101000000654321";
const OTHER_IBAN = "IT46A0306909606100000063921";

const positionsContainer = () =>
  cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions);

/** Installments of one plan (isPartialPayment) instead of single options. */
function installments(body: Record<string, unknown>): Record<string, unknown> {
  for (const option of body.paymentOption as Record<string, unknown>[]) option.isPartialPayment = true;
  return body;
}

interface Created {
  iupd: string;
  iuvs: string[];
}

describe("the everyday API", () => {
  const org = aFreshFiscalCode();
  let key: string;
  const positions = (suffix = "") => `/organizations/${org}/debtpositions${suffix}`;
  const options = (suffix: string) => `/organizations/${org}/paymentoptions${suffix}`;

  async function create(
    opts: { iuvs?: string[]; toPublish?: string; plan?: "installments"; iban?: string; k?: string } = {},
  ): Promise<Created> {
    const iuvs = opts.iuvs ?? [aFreshIuv()];
    const body = aPositionBody({ iuvs, amount: 10_000 });
    if (opts.plan === "installments") installments(body);
    if (opts.iban !== undefined) {
      for (const o of body.paymentOption as { transfer: Record<string, unknown>[] }[]) o.transfer[0]!.iban = opts.iban;
    }
    const query = opts.toPublish === undefined ? "" : `?toPublish=${opts.toPublish}`;
    const r = await callApi("POST", positions(query), { key: opts.k ?? key, body });
    expect(r.status).toBe(201);
    return { iupd: body.iupd as string, iuvs };
  }

  const get = async (iupd: string) =>
    (await callApi("GET", positions(`/${iupd}`), { key })).body as {
      status: string;
      paymentOption: { iuv: string; status: string; amount: number; transfer: { iban?: string; status: string }[] }[];
    };

  beforeAll(async () => {
    await anOrganization(org, [registeredIban, NEW_IBAN]);
    key = (await aKey({ organizations: [org], products: ["debt-positions", "internal"] })).key;
  });

  afterAll(() => {
    // Every test below calls at least one operation the reference documents.
    expect(referenceChecks).toBeGreaterThan(20);
  });

  describe("paid outside pagoPA", () => {
    it("marks the option paid by the organization and recomputes the position", async () => {
      const { iupd, iuvs } = await create({
        iuvs: [aFreshIuv(), aFreshIuv()],
        toPublish: "true",
        plan: "installments",
      });
      const paidAt = "2026-11-20T09:30:00Z";
      const r = await callApi("POST", options(`/paids/3${iuvs[0]!}`), { key, body: { paymentDate: paidAt } });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        nav: `3${iuvs[0]!}`,
        status: "PO_PAID",
        idReceipt: "CLOSED_AS_ALREADY_PAID_BY_EC",
        pspCompany: "CLOSED_AS_ALREADY_PAID_BY_EC",
        paymentDate: "2026-11-20T09:30:00.000Z",
        serviceType: "GPD",
      });
      expect((await get(iupd)).status).toBe("PARTIALLY_PAID");

      const again = await callApi("POST", options(`/paids/3${iuvs[0]!}`), { key, body: {} });
      expect(again.status).toBe(409);

      const last = await callApi("POST", options(`/paids/3${iuvs[1]!}`), { key, body: {} });
      expect(last.status).toBe(200);
      expect((await get(iupd)).status).toBe("PAID");
    });

    it("answers 404 for an unknown notice, 422 for a position that is not payable, 400 for a bad date", async () => {
      expect((await callApi("POST", options(`/paids/3${aFreshIuv()}`), { key, body: {} })).status).toBe(404);
      const draft = await create();
      const r = await callApi("POST", options(`/paids/3${draft.iuvs[0]!}`), { key, body: {} });
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ title: "The payment option is not in payable state" });
      expect((await get(draft.iupd)).paymentOption[0]?.status).toBe("PO_UNPAID");
      const invalid = await create({ toPublish: "true" });
      expect((await callApi("POST", positions(`/${invalid.iupd}/invalidate`), { key })).status).toBe(200);
      expect((await callApi("POST", options(`/paids/3${invalid.iuvs[0]!}`), { key, body: {} })).status).toBe(422);
      const bad = await callApi("POST", options(`/paids/3${draft.iuvs[0]!}`), {
        key,
        body: { paymentDate: "yesterday" },
      });
      expect(bad.status).toBe(400);
    });
  });

  describe("lookups by notice number and IUV", () => {
    let position: Created;
    beforeAll(async () => {
      position = await create({ toPublish: "true" });
    });

    it("returns the option with its debtor and the position's effective status", async () => {
      const r = await callApi("GET", options(`/3${position.iuvs[0]!}`), { key });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        nav: `3${position.iuvs[0]!}`,
        iuv: position.iuvs[0],
        iupd: position.iupd,
        fiscalCode: "RSSMRA80A01H501U",
        fullName: "Mario Rossi",
        debtPositionStatus: "VALID",
        status: "PO_UNPAID",
      });
      // The IUV is accepted in place of the NAV.
      expect((await callApi("GET", options(`/${position.iuvs[0]!}`), { key })).status).toBe(200);
    });

    it("returns the position holding an IUV", async () => {
      const r = await callApi("GET", options(`/${position.iuvs[0]!}/debtposition`), { key });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ iupd: position.iupd, status: "VALID", organizationFiscalCode: org });
      expect(r.body).not.toHaveProperty("fiscalCode");
    });

    it("answers 404 for what does not exist and 403 outside the key's segregation codes", async () => {
      expect((await callApi("GET", options(`/3${aFreshIuv()}`), { key })).status).toBe(404);
      expect((await callApi("GET", options(`/${aFreshIuv()}/debtposition`), { key })).status).toBe(404);
      const only02 = (await aKey({ organizations: [org], segregationCodes: ["02"] })).key;
      expect((await callApi("GET", options(`/3${position.iuvs[0]!}`), { key: only02 })).status).toBe(403);
      expect((await callApi("GET", options(`/${position.iuvs[0]!}/debtposition`), { key: only02 })).status).toBe(403);
      expect((await callApi("GET", options("/bad%20nav"), { key })).status).toBe(400);
    });
  });

  describe("verify payment options", () => {
    const verify = (nav: string, fc = org) => `/payment-options/organizations/${fc}/notices/${nav}`;

    it("answers the plans of the notice's position, sorted by due date", async () => {
      const iuvs = [aFreshIuv(), aFreshIuv()];
      const body = installments(aPositionBody({ iuvs, amount: 5_000 }));
      (body.paymentOption as Record<string, unknown>[])[1]!.dueDate = inDays(60);
      expect((await callApi("POST", positions("?toPublish=true"), { key, body })).status).toBe(201);
      const r = await callApi("POST", verify(`3${iuvs[1]!}`), { key });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        organizationFiscalCode: org,
        companyName: "Comune di Prova",
        standin: true,
        paymentOptions: [
          {
            numberOfInstallments: 2,
            amount: 10_000,
            status: "PO_UNPAID",
            allCCP: false,
            installments: [
              { nav: `3${iuvs[0]!}`, status: "POI_UNPAID" },
              { nav: `3${iuvs[1]!}`, status: "POI_UNPAID" },
            ],
          },
        ],
      });
    });

    it("answers ODP error bodies: 404 ODP-107 unknown or DRAFT, 400 ODP-101 malformed, 400 ODP-104 unknown organization", async () => {
      const unknown = await callApi("POST", verify(`3${aFreshIuv()}`), { key });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({
        httpStatusCode: 404,
        appErrorCode: "ODP-107",
        errorMessage: expect.stringMatching(/^PAA_PAGAMENTO_SCONOSCIUTO /) as string,
      });
      const draft = await create();
      expect((await callApi("POST", verify(`3${draft.iuvs[0]!}`), { key })).body).toMatchObject({
        appErrorCode: "ODP-107",
      });
      const malformed = await callApi("POST", verify("30100000000000000X"), { key });
      expect([malformed.status, (malformed.body as { appErrorCode: string }).appErrorCode]).toEqual([400, "ODP-101"]);
      const unregistered = aFreshFiscalCode();
      const otherKey = (await aKey({ organizations: [unregistered] })).key;
      const r = await callApi("POST", verify("301000000000000001", unregistered), { key: otherKey });
      expect([r.status, (r.body as { appErrorCode: string }).appErrorCode]).toEqual([400, "ODP-104"]);
    });
  });

  describe("v2 bulk operations", () => {
    const v2 = `/v2/organizations/${org}/debtpositions`;

    it("creates, updates and deletes several positions at once", async () => {
      const bodies = [aPositionBody(), aPositionBody()];
      expect((await callApi("POST", v2, { key, body: { paymentPositions: bodies } })).status).toBe(201);
      const iupds = bodies.map((b) => b.iupd as string);
      for (const iupd of iupds) expect((await get(iupd)).status).toBe("DRAFT");

      const updates = bodies.map((b) =>
        aPositionBody({ iupd: b.iupd as string, iuvs: [(b.paymentOption as { iuv: string }[])[0]!.iuv], amount: 777 }),
      );
      const put = await callApi("PUT", `${v2}?toPublish=TRUE`, { key, body: { paymentPositions: updates } });
      expect(put.status).toBe(200);
      for (const iupd of iupds)
        expect(await get(iupd)).toMatchObject({ status: "VALID", paymentOption: [{ amount: 777 }] });

      const del = await callApi("DELETE", v2, { key, body: { paymentPositionIUPDs: iupds } });
      expect(del.status).toBe(200);
      expect(del.body).toBe("The debt position was successfully deleted");
      for (const iupd of iupds) expect((await callApi("GET", positions(`/${iupd}`), { key })).status).toBe(404);
    });

    it("is all or nothing: one missing or refused position leaves every other one as it was", async () => {
      const kept = await create();
      const paidOne = await create({ toPublish: "true" });
      expect((await callApi("POST", options(`/paids/3${paidOne.iuvs[0]!}`), { key, body: {} })).status).toBe(200);

      const missing = aPositionBody();
      const update = aPositionBody({ iupd: kept.iupd, iuvs: kept.iuvs, amount: 555 });
      const put = await callApi("PUT", v2, { key, body: { paymentPositions: [update, missing] } });
      expect(put.status).toBe(404);
      const refused = aPositionBody({ iupd: paidOne.iupd, iuvs: paidOne.iuvs });
      expect((await callApi("PUT", v2, { key, body: { paymentPositions: [update, refused] } })).status).toBe(409);
      expect((await get(kept.iupd)).paymentOption[0]?.amount).toBe(10_000);

      const del = await callApi("DELETE", v2, { key, body: { paymentPositionIUPDs: [kept.iupd, paidOne.iupd] } });
      expect(del.status).toBe(409);
      expect(
        (await callApi("DELETE", v2, { key, body: { paymentPositionIUPDs: [kept.iupd, "NO-SUCH"] } })).status,
      ).toBe(404);
      expect((await get(kept.iupd)).status).toBe("DRAFT");

      const fresh = aPositionBody();
      const clash = aPositionBody({ iupd: kept.iupd });
      expect((await callApi("POST", v2, { key, body: { paymentPositions: [fresh, clash] } })).status).toBe(409);
      expect((await callApi("GET", positions(`/${fresh.iupd as string}`), { key })).status).toBe(404);
    });

    it("refuses more than 20 IUPDs to delete, duplicates and empty lists (400)", async () => {
      const many = Array.from({ length: 21 }, (_, i) => `IUPD-${i}`);
      expect((await callApi("DELETE", v2, { key, body: { paymentPositionIUPDs: many } })).status).toBe(400);
      expect((await callApi("DELETE", v2, { key, body: { paymentPositionIUPDs: [] } })).status).toBe(400);
      expect((await callApi("DELETE", v2, { key, body: { paymentPositionIUPDs: ["A", "A"] } })).status).toBe(400);
      expect((await callApi("POST", v2, { key, body: { paymentPositions: [] } })).status).toBe(400);
    });
  });

  describe("internal pay and report", () => {
    it("pays like a receipt, then reports each transfer like a flow", async () => {
      const { iupd, iuvs } = await create({ toPublish: "true" });
      const payment = { pspCompany: "Banca Test", idReceipt: "RCPT-INT-1", fee: "150", paymentMethod: "CP" };
      const paid = await callApi("POST", options(`/3${iuvs[0]!}/pay`), { key, body: payment });
      expect(paid.status).toBe(200);
      expect(paid.body).toMatchObject({
        status: "PO_PAID",
        idReceipt: "RCPT-INT-1",
        fee: 150,
        pspCompany: "Banca Test",
      });
      expect((await callApi("POST", options(`/3${iuvs[0]!}/pay`), { key, body: payment })).status).toBe(409);
      expect((await get(iupd)).status).toBe("PAID");

      const reported = await callApi("POST", options(`/${iuvs[0]!}/transfers/1/report`), { key });
      expect(reported.status).toBe(200);
      expect(reported.body).toMatchObject({ idTransfer: "1", status: "T_REPORTED" });
      expect(await get(iupd)).toMatchObject({ status: "REPORTED", paymentOption: [{ status: "PO_REPORTED" }] });
      expect((await callApi("POST", options(`/${iuvs[0]!}/transfers/1/report`), { key })).status).toBe(409);
      expect((await callApi("POST", options(`/${iuvs[0]!}/transfers/2/report`), { key })).status).toBe(404);
    });

    it("refuses what cannot be paid or reported", async () => {
      const unpaid = await create({ toPublish: "true" });
      expect((await callApi("POST", options(`/${unpaid.iuvs[0]!}/transfers/1/report`), { key })).status).toBe(409);
      expect(
        (await callApi("POST", options(`/3${aFreshIuv()}/pay`), { key, body: { pspCompany: "P", idReceipt: "R" } }))
          .status,
      ).toBe(404);
      const noReceipt = await callApi("POST", options(`/3${unpaid.iuvs[0]!}/pay`), { key, body: { pspCompany: "P" } });
      expect(noReceipt.status).toBe(400);
      expect(noReceipt.body).toMatchObject({ detail: expect.stringContaining("idReceipt is required") as string });
    });

    it("needs the internal product", async () => {
      const plain = (await aKey({ organizations: [org] })).key;
      const r = await callApi("POST", options(`/3${aFreshIuv()}/pay`), { key: plain, body: {} });
      expect(r.status).toBe(403);
    });
  });

  describe("query parameters as the reference accepts them", () => {
    it.each(["True", "TRUE", "1", "yes", "on"])("toPublish=%s publishes", async (value) => {
      const r = await callApi("POST", positions(`?toPublish=${value}`), { key, body: aPositionBody() });
      expect(r.body).toMatchObject({ status: "VALID" });
    });

    it.each(["False", "0", "no", "off"])("toPublish=%s does not", async (value) => {
      const r = await callApi("POST", positions(`?toPublish=${value}`), { key, body: aPositionBody() });
      expect(r.body).toMatchObject({ status: "DRAFT" });
    });

    it("segregationCodes narrows the key's codes and never widens them", async () => {
      const in01 = await create({ iuvs: [aFreshIuv("01")] });
      const in02 = await create({ iuvs: [aFreshIuv("02")] });
      expect((await callApi("GET", positions(`/${in01.iupd}?segregationCodes=02`), { key })).status).toBe(403);
      expect((await callApi("GET", positions(`/${in02.iupd}?segregationCodes=02,03`), { key })).status).toBe(200);
      const only01 = (await aKey({ organizations: [org], segregationCodes: ["01"] })).key;
      expect((await callApi("GET", positions(`/${in02.iupd}?segregationCodes=01,02`), { key: only01 })).status).toBe(
        403,
      );
      expect((await callApi("GET", positions(`/${in01.iupd}?segregationCodes=01,02`), { key: only01 })).status).toBe(
        200,
      );
      const listed = await callApi("GET", positions("?page=0&limit=100&segregationCodes=02"), { key });
      const iupds = (listed.body as { payment_position_list: { iupd: string }[] }).payment_position_list.map(
        (p) => p.iupd,
      );
      expect(iupds).toContain(in02.iupd);
      expect(iupds).not.toContain(in01.iupd);
      for (const bad of ["1", "01,", "01;02", "ab"]) {
        const r = await callApi("GET", positions(`/${in01.iupd}?segregationCodes=${bad}`), { key });
        expect([bad, r.status]).toEqual([bad, 400]);
      }
    });
  });
});

describe("the IBAN change across positions", () => {
  const org = aFreshFiscalCode();
  let key: string;
  const patch = (query: string, newIban: string, k = key) =>
    callApi("PATCH", `/organizations/${org}/debtpositions/transfers${query}`, { key: k, body: { newIban } });

  /** The IBAN of every transfer of the organization, per position, read straight from the emulator. */
  async function storedIbans(): Promise<Map<string, (string | undefined)[]>> {
    const { resources } = await positionsContainer()
      .items.query<{ iupd: string; paymentOption: { transfer: { iban?: string }[] }[] }>({
        query: "SELECT c.iupd, c.paymentOption FROM c WHERE c.organizationFiscalCode = @org AND c.kind = 'position'",
        parameters: [{ name: "@org", value: org }],
      })
      .fetchAll();
    return new Map(resources.map((r) => [r.iupd, r.paymentOption.flatMap((o) => o.transfer.map((t) => t.iban))]));
  }

  const valid: string[] = [];
  let draft: string;
  let paid: string;
  let invalid: string;

  beforeAll(async () => {
    await anOrganization(org, [registeredIban, NEW_IBAN]);
    key = (await aKey({ organizations: [org] })).key;
    const post = async (query: string, body: Record<string, unknown>) => {
      expect((await callApi("POST", `/organizations/${org}/debtpositions${query}`, { key, body })).status).toBe(201);
      return body.iupd as string;
    };
    // Three VALID positions with two options each (4 transfers on the old IBAN), a DRAFT one, one PAID, one INVALID.
    for (let i = 0; i < 3; i++)
      valid.push(await post("?toPublish=true", aPositionBody({ iuvs: [aFreshIuv(), aFreshIuv()] })));
    draft = await post("", aPositionBody());
    const paidBody = aPositionBody();
    paid = await post("?toPublish=true", paidBody);
    const paidIuv = (paidBody.paymentOption as { iuv: string }[])[0]!.iuv;
    expect(
      (await callApi("POST", `/organizations/${org}/paymentoptions/paids/3${paidIuv}`, { key, body: {} })).status,
    ).toBe(200);
    invalid = await post("?toPublish=true", aPositionBody());
    expect((await callApi("POST", `/organizations/${org}/debtpositions/${invalid}/invalidate`, { key })).status).toBe(
      200,
    );
  });

  it("replaces the IBAN on at most `limit` transfers per call; calling again continues; paid and invalid stay", async () => {
    const first = await patch(`?oldIban=${registeredIban}&limit=3`, NEW_IBAN);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ description: "Updated IBAN on 3 Transfers", updatedTransfers: 3 });
    const second = await patch(`?oldIban=${registeredIban.toLowerCase()}`, NEW_IBAN.toLowerCase());
    expect(second.body).toEqual({ description: "Updated IBAN on 4 Transfers", updatedTransfers: 4 });
    const third = await patch(`?oldIban=${registeredIban}`, NEW_IBAN);
    expect(third.body).toEqual({ description: "Updated IBAN on 0 Transfers", updatedTransfers: 0 });

    const ibans = await storedIbans();
    for (const iupd of [...valid, draft])
      expect([iupd, ibans.get(iupd)]).toEqual([iupd, expect.arrayContaining([NEW_IBAN])]);
    for (const iupd of [...valid, draft]) expect(ibans.get(iupd)).not.toContain(registeredIban);
    expect(ibans.get(paid)).toEqual([registeredIban]);
    expect(ibans.get(invalid)).toEqual([registeredIban]);
  });

  it("refuses an invalid or unregistered new IBAN, a missing oldIban and a limit out of 1..1000 (400)", async () => {
    expect((await patch(`?oldIban=${registeredIban}`, "IT00X0542811101000000123456")).status).toBe(400);
    const unregistered = await patch(`?oldIban=${registeredIban}`, OTHER_IBAN);
    expect(unregistered.status).toBe(400);
    expect(unregistered.body).toMatchObject({ detail: expect.stringContaining("not registered") as string });
    expect((await patch("", NEW_IBAN)).status).toBe(400);
    expect((await patch(`?oldIban=${registeredIban}&limit=1001`, NEW_IBAN)).status).toBe(400);
    expect((await patch(`?oldIban=${registeredIban}&limit=0`, NEW_IBAN)).status).toBe(400);
    const noBody = await callApi("PATCH", `/organizations/${org}/debtpositions/transfers?oldIban=${registeredIban}`, {
      key,
    });
    expect(noBody.status).toBe(400);
  });
});
