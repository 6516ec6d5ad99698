// Subscription keys, API-Management style (docs/domain/api-surface.md): a key is bound to organizations, products, optional
// segregation codes and one environment. Only the SHA-256 of a key is ever stored; keys are 256-bit random values,
// so a fast hash is enough (no password-style stretching is needed against guessing).
import { createHash, randomBytes } from "node:crypto";
import { DomainError } from "../errors";

export const products = [
  "debt-positions",
  "receipts",
  "reporting",
  "notification-fee",
  // The payment node's own key (paForNode); such keys are not bound to organizations.
  "node",
  // Operations pagoPA's own services call (pay, report); never granted by default.
  "internal",
  // Webhooks and the events feed.
  "events",
  // Bank statements and treasury reconciliation.
  "reconciliation",
] as const;
export type Product = (typeof products)[number];

/** Reporting must be requested explicitly, so it is never part of the default grant (docs/domain/api-surface.md#keys). */
export const defaultProducts: readonly Product[] = ["debt-positions", "receipts"];

export const environments = ["UAT", "PROD"] as const;
export type Environment = (typeof environments)[number];

export interface Subscription {
  keyHash: string;
  name: string;
  organizations: readonly string[];
  products: readonly Product[];
  /** Absent: every segregation code. Present: only IUVs starting with one of these two-digit codes. */
  segregationCodes?: readonly string[] | undefined;
  environment: Environment;
  createdAt: string;
  revokedAt?: string | undefined;
}

/** Who is calling, once the key has been checked: what the handlers may rely on. */
export interface Caller {
  subscriptionName: string;
  organizations: readonly string[];
  products: readonly Product[];
  segregationCodes?: readonly string[] | undefined;
}

export const hashKey = (key: string): string => createHash("sha256").update(key, "utf8").digest("hex");

/** 32 random bytes as 64 hex characters, like the length of an APIM subscription key pair. */
export const generateKey = (): string => randomBytes(32).toString("hex");

const fiscalCodePattern = /^\d{11}$/;
const segregationCodePattern = /^\d{2}$/;

export function newSubscription(input: {
  key: string;
  name: string;
  organizations: readonly string[];
  products?: readonly Product[] | undefined;
  segregationCodes?: readonly string[] | undefined;
  environment: Environment;
  now: Date;
}): Subscription {
  const problems: string[] = [];
  if (!/^[\w.-]{1,64}$/.test(input.name)) problems.push(`name must be 1-64 letters, digits, '.', '_' or '-'`);
  // The payment node calls for every organization (paForNode checks idPA, broker and station itself), so a key
  // granted only the `node` product needs no organization; every other key does.
  const nodeOnly =
    input.products !== undefined && input.products.length > 0 && input.products.every((p) => p === "node");
  if (input.organizations.length === 0 && !nodeOnly) problems.push("at least one organization is required");
  for (const org of input.organizations) {
    if (!fiscalCodePattern.test(org)) problems.push(`organization fiscal code must be 11 digits: ${org}`);
  }
  for (const code of input.segregationCodes ?? []) {
    if (!segregationCodePattern.test(code)) problems.push(`segregation code must be 2 digits: ${code}`);
  }
  if (input.segregationCodes?.length === 0) problems.push("segregation codes, when given, cannot be empty");
  if (problems.length > 0) throw new DomainError("BAD_REQUEST", problems.join("; "));
  return {
    keyHash: hashKey(input.key),
    name: input.name,
    organizations: [...new Set(input.organizations)],
    products: [...new Set(input.products ?? defaultProducts)],
    segregationCodes: input.segregationCodes ? [...new Set(input.segregationCodes)] : undefined,
    environment: input.environment,
    createdAt: input.now.toISOString(),
  };
}

export interface AccessRequest {
  environment: Environment;
  product: Product | "any";
  /** The organization named by the path, when the operation is about one. */
  organizationFiscalCode?: string | undefined;
}

/**
 * Decides whether a looked-up subscription may make a request. Missing, unknown, revoked or other-environment
 * keys are 401 (the key is not valid here at all); a valid key used outside its grant is 403.
 */
export function authorize(subscription: Subscription | undefined, request: AccessRequest): Caller {
  if (subscription === undefined || subscription.revokedAt !== undefined) {
    throw new DomainError("UNAUTHORIZED", "Access denied due to invalid subscription key.");
  }
  if (subscription.environment !== request.environment) {
    throw new DomainError("UNAUTHORIZED", "Access denied due to invalid subscription key.");
  }
  if (request.product !== "any" && !subscription.products.includes(request.product)) {
    throw new DomainError("FORBIDDEN", `The subscription is not enabled for the product ${request.product}.`);
  }
  if (
    request.organizationFiscalCode !== undefined &&
    !subscription.organizations.includes(request.organizationFiscalCode)
  ) {
    throw new DomainError(
      "FORBIDDEN",
      `The subscription is not enabled for the organization ${request.organizationFiscalCode}.`,
    );
  }
  return {
    subscriptionName: subscription.name,
    organizations: subscription.organizations,
    products: subscription.products,
    segregationCodes: subscription.segregationCodes,
  };
}

/** Whether an IUV falls within the caller's segregation codes (no codes: everything). */
export const withinSegregation = (caller: Pick<Caller, "segregationCodes">, iuv: string): boolean =>
  caller.segregationCodes === undefined || caller.segregationCodes.includes(iuv.slice(0, 2));
