// Our OpenAPI documents (openapi/*.json) are well-formed OpenAPI 3.0 and stay consistent with the official contract
// (copied unchanged into test/contract/official/) for the operations both describe. Where GPD's published API description (docs/domain/debt-positions.md#list, docs/domain/receipts.md#api) or our extensions differ from the contract, the
// difference is listed below as allowed; anything else that drifts fails.
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { mergeOpenApiDocuments, openApiDocuments } from "../../functions/openapi/get-openapi";
import {
  apiDocumentNames,
  httpMethods,
  loadApiDocument,
  resolveRef,
  type ApiDocumentName,
  type OpenApiDoc,
  type OperationObject,
  type ResponseObject,
} from "../support/openapi";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function operationsOf(doc: OpenApiDoc): { path: string; method: string; op: OperationObject; pathParams: Obj[] }[] {
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([m]) => (httpMethods as readonly string[]).includes(m))
      .map(([m, op]) => ({
        path: p,
        method: m,
        op: op as OperationObject,
        pathParams: Array.isArray(item.parameters) ? (item.parameters as Obj[]) : [],
      })),
  );
}

function refsOf(node: unknown, at = "#"): { ref: string; at: string }[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => refsOf(v, `${at}/${i}`));
  if (!isObj(node)) return [];
  return Object.entries(node).flatMap(([k, v]) =>
    k === "$ref" && typeof v === "string" ? [{ ref: v, at }] : refsOf(v, `${at}/${k}`),
  );
}

const parametersOf = (doc: OpenApiDoc, op: OperationObject, pathParams: Obj[]) =>
  [...pathParams, ...(op.parameters ?? [])].map((p) => resolveRef<Obj>(doc, p));

const products = [
  "debt-positions",
  "receipts",
  "notification-fee",
  "reporting",
  "internal",
  "reconciliation",
  "events",
  "any",
];

// ------------------------------------------------------------------------------------------------ well-formedness
describe.each(apiDocumentNames)("openapi/%s.json is a valid OpenAPI 3.0 document", (name) => {
  const doc = loadApiDocument(name);
  const operations = operationsOf(doc);

  it("declares OpenAPI 3.0, a title, a version, the local server and an API Management server", () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(doc.info.title).toEqual(expect.any(String));
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
    const urls = (doc.servers as { url: string }[]).map((s) => s.url);
    expect(urls).toContain("http://localhost:7071");
    expect(urls.some((u) => u.startsWith("https://{apimGateway}/gpd/"))).toBe(true);
  });

  it("resolves every $ref", () => {
    const unresolved = refsOf(doc).filter(({ ref }) => {
      if (!ref.startsWith("#/")) return true;
      try {
        resolveRef(doc, { $ref: ref });
        return false;
      } catch {
        return true;
      }
    });
    expect(unresolved).toEqual([]);
  });

  it("compiles every component schema with ajv", () => {
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    ajv.addSchema(doc, name);
    for (const schema of Object.keys(doc.components?.schemas ?? {})) {
      expect(() => ajv.getSchema(`${name}#/components/schemas/${schema}`)).not.toThrow();
      expect(ajv.getSchema(`${name}#/components/schemas/${schema}`)).toBeDefined();
    }
  });

  it("has paths that start with a slash and operations with an operationId, responses and x-gpd-product", () => {
    expect(operations.length).toBeGreaterThan(0);
    for (const { path: p, method, op } of operations) {
      const where = `${method.toUpperCase()} ${p}`;
      expect([where, p.startsWith("/")]).toEqual([where, true]);
      expect([where, typeof op.operationId]).toEqual([where, "string"]);
      expect([where, Object.keys(op.responses).length > 0]).toEqual([where, true]);
      expect([where, products.includes(op["x-gpd-product"] as string)]).toEqual([where, true]);
    }
  });

  it("declares exactly the path parameters of each template", () => {
    for (const { path: p, method, op, pathParams } of operations) {
      const inTemplate = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = parametersOf(doc, op, pathParams)
        .filter((x) => x.in === "path")
        .map((x) => {
          expect([p, x.name, x.required]).toEqual([p, x.name, true]);
          return x.name as string;
        })
        .sort();
      expect([`${method} ${p}`, declared]).toEqual([`${method} ${p}`, inTemplate]);
    }
  });

  it("documents 401, 403 and 500 as ProblemJson on every operation, X-Request-Id on every response, the subscription key as security", () => {
    const schemes = Object.keys(doc.components?.securitySchemes ?? {});
    expect(doc.components?.securitySchemes).toMatchObject({
      ApiKey: { type: "apiKey", in: "header", name: "Ocp-Apim-Subscription-Key" },
      ApiKeyQuery: { type: "apiKey", in: "query", name: "subscription-key" },
    });
    for (const { path: p, method, op, pathParams } of operations) {
      const where = `${method.toUpperCase()} ${p}`;
      for (const status of ["401", "403", "500"]) expect([where, status in op.responses]).toEqual([where, true]);
      const security = (op.security ?? doc.security) as Record<string, unknown>[];
      expect([where, security.flatMap((s) => Object.keys(s)).every((s) => schemes.includes(s))]).toEqual([where, true]);
      expect(security.length).toBeGreaterThan(0);
      const requestIdParam = parametersOf(doc, op, pathParams).find(
        (x) => x.in === "header" && x.name === "X-Request-Id",
      );
      expect([where, requestIdParam?.required ?? false]).toEqual([where, false]);
      for (const [status, raw] of Object.entries(op.responses)) {
        const response = resolveRef<ResponseObject>(doc, raw);
        expect([where, status, response.headers?.["X-Request-Id"] !== undefined]).toEqual([where, status, true]);
        // Verify answers its own errors as orgs_payment_options.json ErrorResponse (ODP codes), as its contract says.
        const odp = op.operationId === "verifyPaymentOptions" && ["400", "404", "500"].includes(status);
        if (odp) {
          expect(response.content?.["application/json"]?.schema).toEqual({
            $ref: "#/components/schemas/OdPErrorResponse",
          });
        } else if (Number(status) >= 400) {
          expect([where, status, Object.keys(response.content ?? {})]).toEqual([
            where,
            status,
            ["application/problem+json"],
          ]);
          expect(response.content?.["application/problem+json"]?.schema).toEqual({
            $ref: "#/components/schemas/ProblemJson",
          });
        }
      }
      if (op.requestBody !== undefined) {
        for (const status of ["400", "413", "415"]) expect([where, status in op.responses]).toEqual([where, true]);
      }
    }
  });
});

describe("the three documents together", () => {
  const all = apiDocumentNames.flatMap((name) => operationsOf(loadApiDocument(name)).map((o) => ({ ...o, name })));

  it("use each operationId once", () => {
    const ids = all.map((o) => o.op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it("document each path and method once", () => {
    const keys = all.map((o) => `${o.method} ${o.path}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it("merge into one document (what GET /openapi.json answers) whose every $ref resolves", () => {
    const merged = mergeOpenApiDocuments(
      apiDocumentNames.map((n) => openApiDocuments[n]),
      "0.0.0",
    ) as unknown as OpenApiDoc;
    expect(Object.keys(merged.paths).sort()).toEqual(
      [...new Set(apiDocumentNames.flatMap((n) => Object.keys(loadApiDocument(n).paths)))].sort(),
    );
    for (const { ref } of refsOf(merged)) expect(() => resolveRef(merged, { $ref: ref })).not.toThrow();
  });

  it("are the files the function serves", () => {
    for (const name of apiDocumentNames) expect(openApiDocuments[name]).toEqual(loadApiDocument(name));
  });

  it("name the product of every operation as the app grants it (x-gpd-product)", () => {
    const byOperation = Object.fromEntries(all.map((o) => [o.op.operationId, o.op["x-gpd-product"]]));
    expect(byOperation).toEqual({
      healthCheck: "any",
      getOpenApi: "any",
      createPosition: "debt-positions",
      createMultiplePositions: "debt-positions",
      getOrganizationDebtPositions: "debt-positions",
      getOrganizationDebtPositionByIUPD: "debt-positions",
      updatePosition: "debt-positions",
      deletePosition: "debt-positions",
      publishPosition: "debt-positions",
      invalidatePosition: "debt-positions",
      createMultiplePositionsV2: "debt-positions",
      updateMultiplePositions: "debt-positions",
      deleteMultipleDebtPositions: "debt-positions",
      updateTransferIbanMassive: "debt-positions",
      setPaymentOptionAsAlreadyPaid: "debt-positions",
      getOrganizationPaymentOptionByNAV: "debt-positions",
      getDebtPositionByIUV: "debt-positions",
      verifyPaymentOptions: "debt-positions",
      payPaymentOption: "internal",
      reportTransfer: "internal",
      getOrganizationReceipts: "receipts",
      getReceiptByIUV: "receipts",
      updateNotificationFee: "notification-fee",
      getFlowList: "reporting",
      getFlow: "reporting",
      "create-debt-positions-by-file-upload": "debt-positions",
      "update-debt-positions-by-file-upload": "debt-positions",
      "delete-debt-positions-by-file-upload": "debt-positions",
      "get-debt-positions-upload-status": "debt-positions",
      "get-debt-positions-upload-report": "debt-positions",
      "get-debt-positions-fileids": "debt-positions",
      getFlowResult: "reconciliation",
      postStatement: "reconciliation",
      listReconciliations: "reconciliation",
      getPaymentNotice: "debt-positions",
      createNoticeJob: "debt-positions",
      getNoticeJob: "debt-positions",
      createWebhook: "events",
      listWebhooks: "events",
      getWebhook: "events",
      deleteWebhook: "events",
      pingWebhook: "events",
      listWebhookDeliveries: "events",
      replayWebhook: "events",
      listEvents: "events",
    });
  });
});

// ------------------------------------------------------------------------------------- consistency with contract
// Copies of the official SANP 3.6.1 documents (the handbook's contract/), kept beside this test so it runs anywhere.
const contractDir = path.join(__dirname, "official");
const loadContract = (file: string) => JSON.parse(readFileSync(path.join(contractDir, file), "utf8")) as OpenApiDoc;

/** Our documents derived from an official one (reconciliation, notices and events are new in release 2 and have none). */
const contractFiles: Partial<Record<ApiDocumentName, string>> = {
  "debt-positions": "openapi-gpd.json",
  receipts: "openapi-gpd_payments.json",
  reporting: "openapi-gpd_fdr.json",
};

/** Every difference from the official contract we make on purpose, and why. */
const allowed = {
  /** Contract operations documented in another of our documents. */
  movedOperations: { "get /info": "debt-positions" } as Record<string, ApiDocumentName>,
  /** Statuses a contract documents that we never answer. The payments contract's /info documents 400; ours has no
   * parameter that could be wrong (the debt-positions contract's /info agrees). */
  omittedStatuses: { "get /info": ["400"] } as Record<string, string[]>,
  /** Query parameters: [removed from the contract's, added by us] per operation. */
  queryParameters: {
    // Seed page: `page` (default 0) / `limit` (≤ 999) instead of pageNum/pageSize; from/to are our extension
    // (already in the contract); segregationCodes is APIM's hidden parameter — our keys carry segregation codes.
    "get /payments/{organizationfiscalcode}/receipts": {
      removed: ["pageNum", "pageSize", "segregationCodes"],
      added: ["page", "limit"],
    },
    "get /payments/{organizationfiscalcode}/receipts/{iuv}": { removed: ["segregationCodes"], added: [] },
  } as Record<string, { removed: string[]; added: string[] }>,
  /** Properties we add to a contract schema. */
  addedProperties: {
    PaymentPositionModel: ["payStandIn"], // the v1 implementation has it; the contract omits it
    TransferModel: ["companyName"], // beneficiary name, accepted and returned
    TransferModelResponse: ["companyName"],
    // Treasury reconciliation (openapi/reconciliation.json): read-only, additive.
    PaymentOptionModelResponse: ["reconciledDate", "reconciliationRef"],
    PaymentPositionModelBaseResponse: ["reconciledDate"],
  } as Record<string, string[]>,
  /** Schemas whose property names follow the published receipts API (docs/domain/receipts.md#api) instead of the contract. */
  seedShapes: ["ReceiptModelResponse", "ReceiptsInfo"],
};

const propertyNames = (doc: OpenApiDoc, schema: string): string[] => {
  const s = doc.components?.schemas?.[schema] as { properties?: Obj } | undefined;
  return Object.keys(s?.properties ?? {}).sort();
};
const requiredOf = (doc: OpenApiDoc, schema: string): string[] =>
  [...((doc.components?.schemas?.[schema] as { required?: string[] } | undefined)?.required ?? [])].sort();

describe("consistency with the official contract", () => {
  describe.each(apiDocumentNames.filter((n) => contractFiles[n] !== undefined))("openapi/%s.json", (name) => {
    const ours = loadApiDocument(name);
    const contract = loadContract(contractFiles[name] ?? "");
    const contractOps = operationsOf(contract);

    it("documents every path and method of the contract", () => {
      for (const { path: p, method } of contractOps) {
        const home = allowed.movedOperations[`${method} ${p}`];
        const doc = home === undefined ? ours : loadApiDocument(home);
        expect([`${method} ${p}`, doc.paths[p]?.[method] !== undefined]).toEqual([`${method} ${p}`, true]);
      }
    });

    it("keeps the contract's operationIds, statuses and query parameters (except the listed differences)", () => {
      for (const { path: p, method, op, pathParams } of contractOps) {
        const where = `${method} ${p}`;
        const home = allowed.movedOperations[where];
        const doc = home === undefined ? ours : loadApiDocument(home);
        const mine = doc.paths[p]?.[method] as OperationObject;
        if (op.operationId !== undefined) expect([where, mine.operationId]).toEqual([where, op.operationId]);
        const omitted = allowed.omittedStatuses[where] ?? [];
        const missingStatuses = Object.keys(op.responses).filter((s) => !(s in mine.responses) && !omitted.includes(s));
        expect([where, missingStatuses]).toEqual([where, []]);

        const query = (d: OpenApiDoc, o: OperationObject, pp: Obj[]) =>
          parametersOf(d, o, pp).filter((x) => x.in === "query");
        const theirs = query(contract, op, pathParams);
        const myItem = doc.paths[p] as Obj;
        const mineQ = query(doc, mine, Array.isArray(myItem.parameters) ? (myItem.parameters as Obj[]) : []);
        const diff = allowed.queryParameters[where] ?? { removed: [], added: [] };
        const theirNames = theirs.map((x) => x.name as string);
        const myNames = mineQ.map((x) => x.name as string);
        expect([where, theirNames.filter((n) => !myNames.includes(n)).sort()]).toEqual([
          where,
          [...diff.removed].sort(),
        ]);
        expect([where, myNames.filter((n) => !theirNames.includes(n)).sort()]).toEqual([where, [...diff.added].sort()]);
        for (const t of theirs) {
          const m = mineQ.find((x) => x.name === t.name);
          if (m !== undefined)
            expect([where, t.name, m.required ?? false]).toEqual([where, t.name, t.required ?? false]);
        }
        // Request bodies: same media type and schema name.
        const theirBody = op.requestBody?.content as Obj | undefined;
        const myBody = mine.requestBody?.content as Obj | undefined;
        expect([where, Object.keys(myBody ?? {})]).toEqual([where, Object.keys(theirBody ?? {})]);
      }
    });

    it("keeps the contract's required request fields and response property names", () => {
      const theirSchemas = Object.keys(contract.components?.schemas ?? {});
      for (const schema of theirSchemas) {
        if (allowed.seedShapes.includes(schema)) continue;
        // /info lives in debt-positions.json: AppInfo of the payments contract is checked there.
        const home = ours.components?.schemas?.[schema] === undefined ? loadApiDocument("debt-positions") : ours;
        expect([schema, home.components?.schemas?.[schema] !== undefined]).toEqual([schema, true]);
        const expected = [...propertyNames(contract, schema), ...(allowed.addedProperties[schema] ?? [])].sort();
        expect([schema, propertyNames(home, schema)]).toEqual([schema, expected]);
        const theirRequired = requiredOf(contract, schema);
        // Request models keep exactly the contract's required list; response models may require more (what we
        // always send), never less.
        if (schema.endsWith("Response") || ["ProblemJson", "AppInfo", "Flow"].includes(schema)) {
          expect([schema, theirRequired.filter((r) => !requiredOf(home, schema).includes(r))]).toEqual([schema, []]);
        } else {
          expect([schema, requiredOf(home, schema)]).toEqual([schema, theirRequired]);
        }
      }
    });
  });

  it("documents every operation of the massive-upload contract (gpd_massive_v2.json) with its id and statuses", () => {
    // Our routes name path parameters as the rest of the API does ({organizationfiscalcode}, not
    // {organization-fiscal-code}): paths are compared with their parameters' names left out.
    const shape = (p: string) => p.replace(/\{[^}]+\}/g, "{}");
    const contract = loadContract("gpd_massive_v2.json");
    const ours = loadApiDocument("uploads");
    const mine = new Map(operationsOf(ours).map((o) => [`${o.method} ${shape(o.path)}`, o.op]));
    const theirs = operationsOf(contract).filter((o) => o.path !== "/info");
    expect(theirs.length).toBe(6);
    for (const { path: p, method, op } of theirs) {
      const where = `${method} ${shape(p)}`;
      const found = mine.get(where);
      expect([where, found?.operationId]).toEqual([where, op.operationId]);
      const missing = Object.keys(op.responses).filter((s) => s !== "500" && !(s in (found?.responses ?? {})));
      expect([where, missing]).toEqual([where, []]);
    }
  });

  it("keeps the contract's shapes of PaymentPositionModelBaseResponse, PaymentPositionsInfo, PageInfo and ProblemJson exactly", () => {
    const contract = loadContract("openapi-gpd.json");
    const ours = loadApiDocument("debt-positions");
    for (const schema of ["PaymentPositionModelBaseResponse", "PaymentPositionsInfo", "PageInfo", "ProblemJson"]) {
      const expected = [...propertyNames(contract, schema), ...(allowed.addedProperties[schema] ?? [])].sort();
      expect([schema, propertyNames(ours, schema)]).toEqual([schema, expected]);
    }
    for (const name of apiDocumentNames) {
      expect(propertyNames(loadApiDocument(name), "ProblemJson")).toEqual(["detail", "status", "title"]);
    }
  });

  it("follows the published API description where it differs: list limit default 50 max 100, orderby default COMPANY_NAME, receipts page/limit ≤ 999 and its list shape", () => {
    const dp = loadApiDocument("debt-positions");
    const list = dp.paths["/organizations/{organizationfiscalcode}/debtpositions"]?.get as OperationObject;
    const param = (op: OperationObject, n: string) =>
      op.parameters?.map((x) => resolveRef<Obj>(dp, x)).find((x) => x.name === n);
    expect(param(list, "limit")).toMatchObject({ required: false, schema: { default: 50, maximum: 100, minimum: 1 } });
    expect(param(list, "page")).toMatchObject({ required: true, schema: { minimum: 0 } });
    expect(param(list, "orderby")).toMatchObject({ schema: { default: "COMPANY_NAME" } });
    expect((param(list, "orderby")?.schema as { enum: string[] }).enum.sort()).toEqual([
      "COMPANY_NAME",
      "INSERTED_DATE",
      "IUPD",
      "STATUS",
    ]);
    expect(param(list, "ordering")).toMatchObject({ schema: { default: "DESC", enum: ["ASC", "DESC"] } });
    for (const n of ["due_date_from", "due_date_to", "payment_date_from", "payment_date_to"]) {
      expect(param(list, n)).toMatchObject({ required: false, schema: { type: "string", format: "date" } });
    }

    const rc = loadApiDocument("receipts");
    const receipts = rc.paths["/payments/{organizationfiscalcode}/receipts"]?.get as OperationObject;
    const rparam = (n: string) => receipts.parameters?.map((x) => resolveRef<Obj>(rc, x)).find((x) => x.name === n);
    expect(rparam("page")).toMatchObject({ required: false, schema: { default: 0, minimum: 0 } });
    expect(rparam("limit")).toMatchObject({ required: false, schema: { default: 50, maximum: 999 } });
    expect(propertyNames(rc, "ReceiptsInfo")).toEqual(["page_info", "receipts_list"]);
    // The three documented fields, plus what intermediaries asked for (additive).
    expect(propertyNames(rc, "ReceiptModelResponse")).toEqual([
      "amount",
      "debtorFiscalCode",
      "iuv",
      "organizationFiscalCode",
      "paymentDateTime",
      "receiptId",
    ]);
    expect(requiredOf(rc, "ReceiptModelResponse")).toEqual(
      ["debtorFiscalCode", "iuv", "organizationFiscalCode"].sort(),
    );
    expect(propertyNames(rc, "ReceiptsPageInfo")).toEqual(["items_found", "limit", "more_pages", "page"]);
  });

  it("states our limits the contract leaves open: 1..49 payment options, 1..5 transfers, 1..100 bulk positions", () => {
    const schemas = loadApiDocument("debt-positions").components?.schemas as Record<string, { properties: Obj }>;
    expect(schemas.PaymentPositionModel?.properties.paymentOption).toMatchObject({ minItems: 1, maxItems: 49 });
    expect(schemas.PaymentOptionModel?.properties.transfer).toMatchObject({ minItems: 1, maxItems: 5 });
    expect(schemas.MultiplePaymentPositionModel?.properties.paymentPositions).toMatchObject({
      minItems: 1,
      maxItems: 100,
    });
    // nav is accepted on input (the contract marks it read-only); fee/notificationFee/status/paymentDate are read-only.
    expect(schemas.PaymentOptionModel?.properties.nav).not.toHaveProperty("readOnly");
    expect(schemas.PaymentOptionModel?.properties.notificationFee).toMatchObject({ readOnly: true });
    expect(schemas.PaymentOptionModel?.properties.fee).toMatchObject({ readOnly: true });
    expect(schemas.PaymentPositionModel?.properties.status).toMatchObject({ readOnly: true });
    expect(schemas.PaymentPositionModel?.properties.paymentDate).toMatchObject({ readOnly: true });
  });
});
