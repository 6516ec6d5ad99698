// The reference-document check used by the everyday e2e tests really checks: a body the reference's schema refuses
// fails, one it accepts passes, an operation it does not document is a test bug.
import { expectReferenceMatches } from "../support/reference-contracts";

describe("expectReferenceMatches", () => {
  const patch = [
    "debt-position-openapi_external_v1.json",
    "PATCH",
    "/organizations/{organizationfiscalcode}/debtpositions/transfers",
  ] as const;

  it("accepts what the reference documents and refuses a wrong type", () => {
    expect(() => {
      expectReferenceMatches(...patch, 200, { description: "Updated IBAN on 1 Transfers", updatedTransfers: 1 });
    }).not.toThrow();
    expect(() => {
      expectReferenceMatches(...patch, 200, { description: "x", updatedTransfers: "one" });
    }).toThrow(/updatedTransfers/);
  });

  it("checks the ODP error body of verify against orgs_payment_options.json", () => {
    const verify = [
      "orgs_payment_options.json",
      "POST",
      "/payment-options/organizations/{organization-fiscal-code}/notices/{notice-number}",
    ] as const;
    expect(() => {
      expectReferenceMatches(...verify, 404, { appErrorCode: "ODP-107", timestamp: 1 });
    }).not.toThrow();
    expect(() => {
      expectReferenceMatches(...verify, 404, { appErrorCode: 107 });
    }).toThrow(/appErrorCode/);
  });

  it("refuses an operation the reference does not document", () => {
    expect(() => {
      expectReferenceMatches("debt-position-openapi_external_v2.json", "PATCH", "/nowhere", 200, {});
    }).toThrow(/not an operation/);
  });
});
