// Every documented operation takes exactly the query parameters its openapi/*.json names: called through the host
// with one it does not take, it answers 400 naming that parameter and listing the documented ones (the key's
// `subscription-key` and `segregationCodes` are taken everywhere, see shared/http/query-parameters.ts).
import { products } from "../../shared/domain/subscriptions/subscription";
import { callApi, registeredIban } from "../support/gpd-client";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { apiDocumentNames, httpMethods, loadApiDocument, type OpenApiDoc } from "../support/openapi";

interface Documented {
  method: string;
  path: string;
  query: string[];
}

function queryOf(doc: OpenApiDoc, parameters: unknown[]): string[] {
  return parameters
    .map((p) => {
      const ref = (p as { $ref?: string }).$ref;
      const resolved = ref === undefined ? p : doc.components?.parameters?.[ref.split("/").at(-1) ?? ""];
      return resolved as { in?: string; name?: string } | undefined;
    })
    .filter((p) => p?.in === "query")
    .map((p) => p?.name ?? "");
}

const documented: Documented[] = apiDocumentNames.flatMap((name) => {
  const doc = loadApiDocument(name);
  return Object.entries(doc.paths).flatMap(([path, item]) => {
    const common = (item.parameters as unknown[] | undefined) ?? [];
    return httpMethods
      .filter((method) => item[method] !== undefined)
      .map((method) => {
        const operation = item[method] as { parameters?: unknown[] };
        return {
          method: method.toUpperCase(),
          path,
          query: queryOf(doc, [...(operation.parameters ?? []), ...common]),
        };
      });
  });
});

let org: string;
let key: string;

beforeAll(async () => {
  org = aFreshFiscalCode();
  await anOrganization(org, [registeredIban]);
  key = (await aKey({ organizations: [org], products })).key;
});

test("the documents describe operations with and without query parameters", () => {
  expect(documented.length).toBeGreaterThan(40);
  expect(documented.filter((o) => o.query.length > 0).length).toBeGreaterThan(10);
});

test.each(documented.map((o) => [`${o.method} ${o.path}`, o] as const))(
  "%s refuses a query parameter it does not take, and names the ones it takes",
  async (_, operation) => {
    const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
      /organization/i.test(name) ? org : "X0000000001",
    );
    const answer = await callApi(operation.method, `${path}?zzUnknown=1`, { key });
    expect(answer.status).toBe(400);
    const detail = (answer.body as { detail?: string }).detail ?? "";
    const match = /^Unknown query parameter zzUnknown: this operation takes (.*)$/.exec(detail);
    expect(match).not.toBeNull();
    const takes = match?.[1] === "none" ? [] : (match?.[1] ?? "").split(", ");
    expect([...takes].sort()).toEqual([...operation.query].sort());
  },
);
