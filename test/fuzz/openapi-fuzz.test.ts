// Property-based fuzz over our OpenAPI documents (fast-check, fixed seed, bounded count): for every documented
// operation, requests are generated from its parameters and request-body schema — values that follow the schema,
// values that break it, and arbitrary JSON — and sent over HTTP to the local host. Properties: never a 5xx; every
// 4xx is a ProblemJson; a refused request writes nothing (the organization's documents and their ETags are the same
// before and after). FUZZ_SEED replays another sequence.
import fc from "fast-check";
import { products, type Product } from "../../shared/domain/subscriptions/subscription";
import { containers } from "../../shared/storage/definition";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { aPositionBody, callApi, registeredIban } from "../support/gpd-client";
import { apiDocumentNames, loadApiDocument, resolveRef, type OpenApiDoc } from "../support/openapi";
import { cosmosClient, testConfig } from "../support/stack";

const SEED = Number(process.env.FUZZ_SEED ?? "20261130");
const RUNS_PER_OPERATION = 20;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Strings that have broken parsers before: dates out of range, huge numbers as text, markup, controls. */
const nastyString = fc.constantFrom(
  "",
  " ",
  "x",
  "2026-13-45",
  "2026-02-30",
  "2026-13-45T99:99:99Z",
  "9999999999999999999999",
  "-1",
  "1e309",
  "NaN",
  "true",
  "null",
  "../../etc/passwd",
  "%00",
  "<script>",
  "\u202e",
  "x".repeat(300),
);

const anyJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

/** A value following `schema` most of the time, breaking it sometimes (depth-bounded, arrays short). */
function fromSchema(doc: OpenApiDoc, schemaOrRef: unknown, depth = 0): fc.Arbitrary<Json> {
  const schema = resolveRef<Schema>(doc, schemaOrRef as Schema);
  if (!isObject(schema) || depth > 6) return anyJson;
  const follow = followSchema(doc, schema, depth);
  return fc.oneof(
    { weight: 8, arbitrary: follow },
    { weight: 1, arbitrary: anyJson },
    { weight: 1, arbitrary: nastyString },
  );
}

function followSchema(doc: OpenApiDoc, schema: Schema, depth: number): fc.Arbitrary<Json> {
  const variants = (schema.oneOf ?? schema.anyOf ?? schema.allOf) as unknown[] | undefined;
  if (Array.isArray(variants) && variants.length > 0)
    return fc.oneof(...variants.map((v) => fromSchema(doc, v, depth + 1)));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as Json[]));
  const type = Array.isArray(schema.type) ? (schema.type as string[])[0] : (schema.type as string | undefined);
  switch (type) {
    case "object": {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      const entries = Object.entries(properties).filter(([, p]) => !(isObject(p) && p.readOnly === true));
      const record: Record<string, fc.Arbitrary<Json | undefined>> = {};
      for (const [name, property] of entries) {
        const value = fromSchema(doc, property, depth + 1);
        record[name] = required.has(name) ? value : fc.option(value, { nil: undefined, freq: 3 });
      }
      return fc.record(record).map((o) => {
        const out: Record<string, Json> = {};
        for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
        return out;
      });
    }
    case "array": {
      const maxItems = typeof schema.maxItems === "number" ? Math.min(schema.maxItems, 3) : 3;
      return fc.array(fromSchema(doc, schema.items, depth + 1), { maxLength: maxItems });
    }
    case "integer":
      return fc.oneof(
        fc.integer({
          min: typeof schema.minimum === "number" ? schema.minimum : -10,
          max: typeof schema.maximum === "number" ? Math.min(schema.maximum, 2 ** 31) : 100_000,
        }),
        fc.constantFrom(0, -1, 99_999_999_999, 100_000_000_000, Number.MAX_SAFE_INTEGER, 1e20, 1.5),
      );
    case "number":
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    case "string": {
      if (schema.format === "date-time")
        return fc
          .date({ min: new Date("2020-01-01"), max: new Date("2035-01-01"), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (schema.format === "date")
        return fc
          .date({ min: new Date("2020-01-01"), max: new Date("2035-01-01"), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      const maxLength = typeof schema.maxLength === "number" ? Math.min(schema.maxLength, 40) : 40;
      return fc.oneof(fc.string({ maxLength }), nastyString);
    }
    default:
      return anyJson;
  }
}

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  schema?: Schema;
}

interface Operation {
  document: (typeof apiDocumentNames)[number];
  method: string;
  template: string;
  parameters: Parameter[];
  body?: Schema | undefined;
}

function operations(): Operation[] {
  return apiDocumentNames.flatMap((document) => {
    const doc = loadApiDocument(document);
    return Object.entries(doc.paths).flatMap(([template, item]) =>
      Object.entries(item)
        .filter(([method]) => ["get", "put", "post", "delete"].includes(method))
        .map(([method, raw]) => {
          const op = raw as { parameters?: unknown[]; requestBody?: unknown };
          const shared = Array.isArray(item.parameters) ? (item.parameters as unknown[]) : [];
          const parameters = [...shared, ...(op.parameters ?? [])].map((p) =>
            resolveRef<Parameter>(doc, p as Parameter),
          );
          const requestBody =
            op.requestBody === undefined ? undefined : resolveRef<Schema>(doc, op.requestBody as Schema);
          const content = isObject(requestBody?.content) ? requestBody.content : {};
          const json = content["application/json"];
          return {
            document,
            method: method.toUpperCase(),
            template,
            parameters,
            body: isObject(json) ? (json.schema as Schema) : undefined,
          };
        }),
    );
  });
}

const documents = async (org: string) => {
  const { resources } = await cosmosClient()
    .database(testConfig().cosmos.database)
    .container(containers.debtpositions)
    .items.query<{ id: string; _etag: string }>(
      {
        query: "SELECT c.id, c._etag FROM c WHERE c.organizationFiscalCode = @org",
        parameters: [{ name: "@org", value: org }],
      },
      { partitionKey: org },
    )
    .fetchAll();
  // The event dispatcher (run by other tests on the shared host) sequences outbox documents and keeps a feed
  // document: for those, only their existence is the request's doing, not their version.
  return resources
    .filter((r) => !r.id.startsWith("feed"))
    .map((r) => (r.id.startsWith("events:") ? r.id : `${r.id}@${r._etag}`))
    .sort();
};

describe("OpenAPI-driven property-based fuzz", () => {
  const org = aFreshFiscalCode();
  let key: string;
  const seeded = aPositionBody();
  const seededIupd = seeded.iupd as string;
  const seededIuv = (seeded.paymentOption as { iuv: string }[])[0]?.iuv ?? "";

  beforeAll(async () => {
    await anOrganization(org, [registeredIban]);
    key = (await aKey({ organizations: [org], products: [...products] as Product[] })).key;
    expect(
      (await callApi("POST", `/organizations/${org}/debtpositions?toPublish=true`, { key, body: seeded })).status,
    ).toBe(201);
  });

  const all = operations();

  test("every documented operation is fuzzed", () => {
    // 10 debt-position operations, 3 of receipts and notification fee, 2 of reporting.
    expect(all.length).toBeGreaterThanOrEqual(15);
  });

  test.each(all.map((o) => [`${o.method} ${o.template}`, o] as const))(
    "%s: no 5xx, 4xx are ProblemJson, refusals write nothing",
    async (_name, operation) => {
      const doc = loadApiDocument(operation.document);
      const pathValue = (name: string, schema: Schema | undefined): fc.Arbitrary<string> => {
        if (/organization/i.test(name))
          return fc.oneof(
            { weight: 9, arbitrary: fc.constant(org) },
            { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) },
          );
        const known =
          name === "iupd" ? seededIupd : name === "nav" ? `3${seededIuv}` : name === "iuv" ? seededIuv : undefined;
        const random = fc.oneof(
          fc.string({ minLength: 1, maxLength: 40 }),
          nastyString.filter((s) => s.length > 0),
        );
        const typed =
          schema === undefined
            ? random
            : fromSchema(doc, schema).map((v) => (typeof v === "string" && v.length > 0 ? v : JSON.stringify(v)));
        return known === undefined ? fc.oneof(typed, random) : fc.oneof(fc.constant(known), typed, random);
      };
      const request = fc.record({
        path: fc.tuple(
          ...operation.parameters
            .filter((p) => p.in === "path")
            .map((p) => pathValue(p.name, p.schema).map((v) => [p.name, v] as const)),
        ),
        query: fc.tuple(
          ...operation.parameters
            .filter((p) => p.in === "query")
            .map((p) =>
              fc.option(
                fc
                  .oneof(fromSchema(doc, p.schema ?? {}), nastyString)
                  .map((v) => [p.name, typeof v === "string" ? v : JSON.stringify(v)] as const),
                { nil: undefined },
              ),
            ),
        ),
        body: operation.body === undefined ? fc.constant(undefined) : fromSchema(doc, operation.body),
      });

      await fc.assert(
        fc.asyncProperty(request, async ({ path, query, body }) => {
          let url = operation.template;
          for (const [name, value] of path) url = url.replace(`{${name}}`, encodeURIComponent(value));
          const search = new URLSearchParams();
          for (const entry of query) if (entry !== undefined) search.append(entry[0], entry[1]);
          const target = search.size > 0 ? `${url}?${search.toString()}` : url;
          const before = operation.method === "GET" ? undefined : await documents(org);
          const response = await callApi(operation.method, target, { key, ...(body === undefined ? {} : { body }) });
          const what = `${operation.method} ${target} ${JSON.stringify(body ?? null).slice(0, 300)}`;
          if (response.status >= 500) throw new Error(`${what} → ${response.status} ${response.text.slice(0, 300)}`);
          if (response.status >= 400) {
            // An operation may document its own error model (the payment-options verify answers the ODP errors of
            // orgs_payment_options.json as application/json): then the answer must be of that media type.
            const documented = documentedErrorMediaTypes(doc, operation.template, operation.method, response.status);
            if (documented !== undefined && !documented.some((t) => t.includes("problem+json"))) {
              expect(documented.some((t) => (response.contentType ?? "").startsWith(t))).toBe(true);
            } else {
              expect(response.contentType).toMatch(/^application\/problem\+json/);
              expect(response.body).toMatchObject({
                title: expect.any(String),
                status: response.status,
                detail: expect.any(String),
              });
            }
            if (before !== undefined) expect(await documents(org)).toEqual(before);
          }
        }),
        { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
    },
    120_000,
  );
});

/** The media types an operation documents for an error status, when it documents them inline (not by $ref). */
function documentedErrorMediaTypes(
  doc: unknown,
  template: string,
  method: string,
  status: number,
): string[] | undefined {
  const paths = (doc as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  const operation = paths[template]?.[method.toLowerCase()] as { responses?: Record<string, unknown> } | undefined;
  const response = operation?.responses?.[String(status)] as { content?: Record<string, unknown> } | undefined;
  return response?.content === undefined ? undefined : Object.keys(response.content);
}
