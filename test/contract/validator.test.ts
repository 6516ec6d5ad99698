// test/support/openapi.ts itself: it accepts what our encoders produce and fails, readably, on what the documents
// do not allow. Encoding the builders' positions here also keeps openapi/debt-positions.json and
// functions/debt-positions/encoders.ts in step (response objects are checked closed: no undocumented property).
import { toBaseResponse, toPageInfo, toPaymentPositionModel } from "../../functions/debt-positions/encoders";
import { aDebtPosition, aPaymentOption, aTransfer, fixtureInstant } from "../support/builders";
import {
  expectOfficialContractMatches,
  expectResponseMatches,
  findPathTemplate,
  loadApiDocument,
  readCheckedResponse,
} from "../support/openapi";

const item = "/organizations/{organizationfiscalcode}/debtpositions/{iupd}";
const collection = "/organizations/{organizationfiscalcode}/debtpositions";
const json = "application/json; charset=utf-8";
const problem = "application/problem+json";
const aProblem = (status: number) => ({
  title: "Not found the debt position",
  status,
  detail: "No debt position found",
});

const aRichPosition = () =>
  aDebtPosition({
    payStandIn: true,
    email: "someone@localhost",
    country: "IT",
    paymentDate: fixtureInstant,
    publishDate: fixtureInstant,
    validityDate: fixtureInstant,
    paymentOption: [
      aPaymentOption({
        paymentOptionMetadata: [{ key: "k", value: "v" }, { key: "only-key" }],
        retentionDate: fixtureInstant,
        paymentDate: fixtureInstant,
        reportingDate: fixtureInstant,
        paymentMethod: "CP",
        pspCompany: "PSP",
        idReceipt: "r-1",
        idFlowReporting: "f-1",
        transfer: [
          aTransfer({ transferMetadata: [{ key: "a", value: "b" }] }),
          aTransfer({
            idTransfer: "2",
            iban: undefined,
            stamp: { hashDocument: "aGFzaA==", stampType: "01", provincialResidence: "RM" },
          }),
        ],
      }),
    ],
  });

describe("expectResponseMatches", () => {
  it("accepts what the encoders answer for create/update/publish/invalidate, get and list", () => {
    for (const position of [aDebtPosition(), aRichPosition()]) {
      const model = JSON.parse(JSON.stringify(toPaymentPositionModel(position))) as unknown;
      const base = JSON.parse(JSON.stringify(toBaseResponse(position))) as unknown;
      expectResponseMatches("debt-positions", "POST", collection, 201, model, json);
      expectResponseMatches("debt-positions", "PUT", item, 200, model, json);
      expectResponseMatches("debt-positions", "POST", `${item}/publish`, 200, model, json);
      expectResponseMatches("debt-positions", "POST", `${item}/invalidate`, 200, model, json);
      expectResponseMatches("debt-positions", "GET", item, 200, base, json);
      const page = { payment_position_list: [base], page_info: toPageInfo(0, 50, 1, 1) };
      expectResponseMatches("debt-positions", "GET", collection, 200, page, json);
    }
  });

  it("accepts the delete string, the empty bulk 201 and ProblemJson errors", () => {
    expectResponseMatches("debt-positions", "DELETE", item, 200, "The debt position was successfully deleted", json);
    expectResponseMatches("debt-positions", "POST", `${collection}/bulk`, 201, undefined, null);
    expectResponseMatches("debt-positions", "GET", item, 404, aProblem(404), problem);
    expectResponseMatches("debt-positions", "GET", "/info", 401, aProblem(401), problem);
  });

  it("accepts a concrete path instead of the template, literals first", () => {
    const doc = loadApiDocument("debt-positions");
    expect(findPathTemplate(doc, "/organizations/77777777777/debtpositions/bulk?toPublish=true")).toBe(
      `${collection}/bulk`,
    );
    expect(findPathTemplate(doc, "/organizations/77777777777/debtpositions/A-1")).toBe(item);
    expectResponseMatches(
      "debt-positions",
      "GET",
      "/organizations/77777777777/debtpositions/A-1",
      404,
      aProblem(404),
      problem,
    );
  });

  it("checks the receipts and reporting documents too", () => {
    const receipts = {
      receipts_list: [{ organizationFiscalCode: "7", iuv: "01", debtorFiscalCode: "X" }],
      page_info: { page: 0, limit: 50, items_found: 1, more_pages: false },
    };
    expectResponseMatches(
      "receipts",
      "GET",
      "/payments/{organizationfiscalcode}/receipts",
      200,
      receipts,
      "application/json",
    );
    expectResponseMatches("receipts", "GET", "/payments/7/receipts/01", 200, "<paSendRTV2Request/>", "application/xml");
    expectResponseMatches(
      "reporting",
      "GET",
      "/organizations/7/reportings",
      200,
      [{ flowId: "f", flowDate: "2026-01-01T00:00:00Z" }],
      "application/json",
    );
    expectResponseMatches(
      "reporting",
      "GET",
      "/organizations/7/reportings/f/date/2026-01-01",
      200,
      "<FlussoRiversamento/>",
      "application/xml",
    );
  });

  test.each([
    [
      "an undocumented status",
      () => {
        expectResponseMatches("debt-positions", "GET", item, 418, aProblem(418), problem);
      },
      /answered 418, which is not documented \(documented: 200, 400, 401, 403, 404, 409, 429, 500, 503\)/,
    ],
    [
      "an undocumented operation",
      () => {
        expectResponseMatches("debt-positions", "PATCH", item, 200, {}, json);
      },
      /PATCH .* is not an operation of openapi\/debt-positions.json/,
    ],
    [
      "another content type",
      () => {
        expectResponseMatches("debt-positions", "GET", item, 404, aProblem(404), "application/json");
      },
      /Content-Type application\/json is not the documented application\/problem\+json/,
    ],
    [
      "no content type",
      () => {
        expectResponseMatches("debt-positions", "GET", item, 200, {}, null);
      },
      /Content-Type \(none\)/,
    ],
    [
      "a body where none is documented",
      () => {
        expectResponseMatches("debt-positions", "POST", `${collection}/bulk`, 201, { a: 1 }, json);
      },
      /documented without a body/,
    ],
    [
      "a missing required property",
      () => {
        expectResponseMatches("debt-positions", "GET", item, 404, { title: "x", status: 404 }, problem);
      },
      /must have required property 'detail'/,
    ],
    [
      "an undocumented property",
      () => {
        expectResponseMatches("debt-positions", "GET", item, 404, { ...aProblem(404), stack: "at …" }, problem);
      },
      /must NOT have additional properties 'stack'/,
    ],
    [
      "a wrong format",
      () => {
        expectResponseMatches(
          "reporting",
          "GET",
          "/organizations/7/reportings",
          200,
          [{ flowId: "f", flowDate: "2026-01-01" }],
          json,
        );
      },
      /\/0\/flowDate: must match format "date-time"/,
    ],
    [
      "a wrong enum value",
      () => {
        expectResponseMatches(
          "debt-positions",
          "GET",
          item,
          200,
          { ...(JSON.parse(JSON.stringify(toBaseResponse(aDebtPosition()))) as object), status: "LOST" },
          json,
        );
      },
      /\/status: must be equal to one of the allowed values/,
    ],
  ])("fails readably on %s", (_name, check, message) => {
    expect(check).toThrow(message);
  });
});

describe("readCheckedResponse", () => {
  it("parses JSON, checks the response and requires X-Request-Id", async () => {
    const ok = new Response(JSON.stringify(aProblem(404)), {
      status: 404,
      headers: { "content-type": problem, "x-request-id": "r-1" },
    });
    await expect(readCheckedResponse("debt-positions", "GET", item, ok)).resolves.toMatchObject({
      status: 404,
      body: aProblem(404),
      requestId: "r-1",
    });
    const noId = new Response(JSON.stringify(aProblem(404)), { status: 404, headers: { "content-type": problem } });
    await expect(readCheckedResponse("debt-positions", "GET", item, noId)).rejects.toThrow(
      /X-Request-Id header is missing/,
    );
    const empty = new Response(null, { status: 201, headers: { "x-request-id": "r-2" } });
    await expect(readCheckedResponse("debt-positions", "POST", `${collection}/bulk`, empty)).resolves.toMatchObject({
      status: 201,
      body: undefined,
    });
  });
});

describe("the official contract check", () => {
  const list = "organizations/{organizationfiscalcode}/debtpositions";
  it("accepts a list page as the official PaymentPositionsInfo describes it", () => {
    expect(() => {
      expectOfficialContractMatches("get", list, 200, {
        payment_position_list: [],
        page_info: { page: 0, limit: 50, items_found: 0, total_pages: 0 },
      });
    }).not.toThrow();
  });
  it("fails when a field the official contract requires is missing", () => {
    expect(() => {
      expectOfficialContractMatches("get", list, 200, {
        payment_position_list: [],
        page_info: { page: 0, limit: 50, items_found: 0 },
      });
    }).toThrow(/official contract/);
  });
});
