// The authorization matrix: every documented operation × every kind of key answers as docs/domain/api-surface.md says —
// missing, unknown, revoked or other-environment key → 401; organization or product not granted → 403; a granted
// key gets past authorization (whatever the operation then answers). The operations come from our OpenAPI documents,
// so a new operation is covered as soon as it is documented.
import { aFreshFiscalCode, aKey, anOrganization, subscriptionRepository } from "../support/keys";
import { callApi } from "../support/gpd-client";
import { apiDocumentNames, loadApiDocument } from "../support/openapi";
import { products, type Product } from "../../shared/domain/subscriptions/subscription";

interface Operation {
  method: string;
  template: string;
  product: Product | "any";
}

const operations: Operation[] = apiDocumentNames.flatMap((name) =>
  Object.entries(loadApiDocument(name).paths).flatMap(([template, item]) =>
    (["get", "put", "post", "delete", "patch"] as const)
      .filter((m) => item[m] !== undefined)
      .map((m) => ({
        method: m.toUpperCase(),
        template,
        product: ((item as Record<string, { "x-gpd-product"?: string }>)[m]?.["x-gpd-product"] ?? "any") as
          Product | "any",
      })),
  ),
);

const fill = (template: string, org: string) =>
  template
    .replace(/\{organizationfiscalcode\}|\{organizationId\}|\{organization-fiscal-code\}/g, org)
    .replace("{iupd}", "MATRIX-IUPD")
    .replace("{webhookId}", "wh_0123456789abcdef01234567")
    .replace("{iuv}", "01000000000000001")
    .replace("{nav}", "301000000000000001")
    .replace("{notice-number}", "301000000000000001")
    .replace("{transferid}", "1")
    .replace("{flowId}", "2026-11-22PSPTEST01-S000000001")
    .replace("{date}", "2026-11-22")
    // The massive-upload routes name the organization's registered broker (the organization is its own broker here).
    .replace("{brokercode}", org)
    .replace("{fileid}", "matrixfile");

const bodyFor = (op: Operation): unknown =>
  op.method === "PUT" || op.method === "POST" || op.method === "PATCH" ? {} : undefined;

describe("authorization matrix", () => {
  const org = aFreshFiscalCode();
  const otherOrg = aFreshFiscalCode();
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    await anOrganization(org, ["IT60X0542811101000000123456"], [], { brokerCode: org });
    keys.granted = (await aKey({ organizations: [org], products: [...products] })).key;
    keys.otherOrganization = (await aKey({ organizations: [otherOrg], products: [...products] })).key;
    keys.otherEnvironment = (await aKey({ organizations: [org], products: [...products], environment: "PROD" })).key;
    const revoked = await aKey({ organizations: [org], products: [...products] });
    await subscriptionRepository().revoke(revoked.name, new Date());
    keys.revoked = revoked.key;
    keys.unknown = "f".repeat(64);
    for (const product of products) {
      keys[`only-${product}`] = (
        await aKey({ organizations: [org], products: products.filter((p) => p !== product) })
      ).key;
    }
  });

  it("covers every documented operation", () => {
    expect(operations.length).toBeGreaterThanOrEqual(25);
    // The release-2 everyday operations, PATCH included, are part of the matrix.
    expect(operations.map((op) => `${op.method} ${op.template}`)).toEqual(
      expect.arrayContaining([
        "PATCH /organizations/{organizationfiscalcode}/debtpositions/transfers",
        "POST /organizations/{organizationfiscalcode}/paymentoptions/{nav}/pay",
        "POST /payment-options/organizations/{organization-fiscal-code}/notices/{notice-number}",
        "DELETE /v2/organizations/{organizationfiscalcode}/debtpositions",
      ]),
    );
  });

  test.each(operations.map((op) => [`${op.method} ${op.template}`, op] as const))("%s", async (_label, op) => {
    const path = fill(op.template, org);
    const body = bodyFor(op);
    const status = async (key: string | undefined) => (await callApi(op.method, path, { key, body })).status;
    const outcome: Record<string, number> = {};
    outcome.missing = await status(undefined);
    // The revoked key was never used before its revocation, so no warm cache entry can still accept it.
    for (const kind of ["unknown", "revoked", "otherEnvironment"]) outcome[kind] = await status(keys[kind]);
    const expected: Record<string, number> = { missing: 401, unknown: 401, revoked: 401, otherEnvironment: 401 };
    const usesOrganization = /\{organization(fiscalcode|Id|-fiscal-code)\}/.test(op.template);
    if (usesOrganization) {
      outcome.otherOrganization = await status(keys.otherOrganization);
      expected.otherOrganization = 403;
    }
    if (op.product !== "any") {
      outcome.productNotGranted = await status(keys[`only-${op.product}`]);
      expected.productNotGranted = 403;
    }
    expect(outcome).toEqual(expected);
    const granted = await status(keys.granted);
    expect([401, 403]).not.toContain(granted);
    expect(granted).toBeLessThan(500);
  });
});
