import { DomainError } from "../../../shared/domain/errors";
import {
  authorize,
  generateKey,
  hashKey,
  newSubscription,
  withinSegregation,
  type AccessRequest,
  type Subscription,
} from "../../../shared/domain/subscriptions/subscription";

const now = new Date("2026-11-22T10:00:00.000Z");
const aSubscription = (overrides: Partial<Subscription> = {}): Subscription => ({
  ...newSubscription({
    key: "k",
    name: "intermediary",
    organizations: ["77777777777", "88888888888"],
    environment: "UAT",
    now,
  }),
  ...overrides,
});

function outcome(subscription: Subscription | undefined, request: AccessRequest): number {
  try {
    authorize(subscription, request);
    return 200;
  } catch (e) {
    if (e instanceof DomainError) return e.status;
    throw e;
  }
}

describe("subscription keys", () => {
  it("stores only the SHA-256 of a key, never the key", () => {
    const key = generateKey();
    const s = newSubscription({ key, name: "a", organizations: ["77777777777"], environment: "UAT", now });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(s.keyHash).toBe(hashKey(key));
    expect(JSON.stringify(s)).not.toContain(key);
  });

  it("grants debt-positions and receipts by default, never reporting", () => {
    expect(aSubscription().products).toEqual(["debt-positions", "receipts"]);
  });

  it("refuses malformed bindings with every problem listed", () => {
    expect(() =>
      newSubscription({
        key: "k",
        name: "a b",
        organizations: ["123"],
        segregationCodes: ["1"],
        environment: "UAT",
        now,
      }),
    ).toThrow(/name must be.*11 digits: 123.*2 digits: 1/);
  });

  it("lets the node's own key (product node only) be bound to no organization, and no other key", () => {
    const node = newSubscription({
      key: "k",
      name: "node",
      organizations: [],
      products: ["node"],
      environment: "UAT",
      now,
    });
    expect(node).toMatchObject({ organizations: [], products: ["node"] });
    expect(outcome(node, { environment: "UAT", product: "node" })).toBe(200);
    expect(outcome(node, { environment: "UAT", product: "debt-positions" })).toBe(403);
    for (const products of [undefined, ["node", "receipts"] as const, ["debt-positions"] as const]) {
      expect(() =>
        newSubscription({ key: "k", name: "x", organizations: [], products, environment: "UAT", now }),
      ).toThrow(/at least one organization is required/);
    }
  });

  const uat = (over: Partial<AccessRequest> = {}): AccessRequest => ({
    environment: "UAT",
    product: "debt-positions",
    organizationFiscalCode: "77777777777",
    ...over,
  });

  test.each<[string, Subscription | undefined, AccessRequest, number]>([
    ["unknown key", undefined, uat(), 401],
    ["revoked key", aSubscription({ revokedAt: now.toISOString() }), uat(), 401],
    ["UAT key in PROD", aSubscription(), uat({ environment: "PROD" }), 401],
    ["PROD key in UAT", aSubscription({ environment: "PROD" }), uat(), 401],
    ["organization not granted", aSubscription(), uat({ organizationFiscalCode: "99999999999" }), 403],
    ["product not granted", aSubscription(), uat({ product: "reporting" }), 403],
    ["granted organization and product", aSubscription(), uat(), 200],
    ["second organization of an intermediary", aSubscription(), uat({ organizationFiscalCode: "88888888888" }), 200],
    [
      "any product (info)",
      aSubscription({ products: ["reporting"] }),
      uat({ product: "any", organizationFiscalCode: undefined }),
      200,
    ],
    ["reporting when granted", aSubscription({ products: ["reporting"] }), uat({ product: "reporting" }), 200],
  ])("%s → %i", (_name, subscription, request, status) => {
    expect(outcome(subscription, request)).toBe(status);
  });

  it("limits IUVs to the segregation codes of the key, when it has any", () => {
    expect(withinSegregation({ segregationCodes: undefined }, "01000000000000001")).toBe(true);
    expect(withinSegregation({ segregationCodes: ["01", "02"] }, "02000000000000001")).toBe(true);
    expect(withinSegregation({ segregationCodes: ["01", "02"] }, "03000000000000001")).toBe(false);
  });
});
