// Test keys and organizations written straight into the emulator, the way the operator CLI writes them.
import { randomInt } from "node:crypto";
import { CosmosOrganizationRepository } from "../../shared/adapters/cosmos/cosmos-organization-repository";
import { CosmosSubscriptionRepository } from "../../shared/adapters/cosmos/cosmos-subscription-repository";
import { newOrganization } from "../../shared/domain/organizations/organization";
import {
  generateKey,
  newSubscription,
  type Environment,
  type Product,
} from "../../shared/domain/subscriptions/subscription";
import type { Database } from "@azure/cosmos";
import { containers } from "../../shared/storage/definition";
import { cosmosClient, testConfig } from "./stack";

const suiteDatabase = (): Database => cosmosClient().database(testConfig().cosmos.database);
export const subscriptionRepository = (database = suiteDatabase()) =>
  new CosmosSubscriptionRepository(database.container(containers.subscriptions));
export const organizationRepository = (database = suiteDatabase()) =>
  new CosmosOrganizationRepository(database.container(containers.organizations));

/** A fresh 11-digit fiscal code, so tests sharing the emulator never see each other's data. */
export const aFreshFiscalCode = (): string => `9${String(randomInt(0, 10_000_000_000)).padStart(10, "0")}`;

let counter = 0;

export async function aKey(options: {
  organizations: readonly string[];
  products?: readonly Product[];
  segregationCodes?: readonly string[];
  environment?: Environment;
  /** Another stack's database (test/support/isolated-stack.ts); the suite's by default. */
  database?: Database;
}): Promise<{ key: string; name: string }> {
  const key = generateKey();
  counter += 1;
  const name = `test-${process.pid}-${counter}-${randomInt(0, 1_000_000)}`;
  await subscriptionRepository(options.database).create(
    newSubscription({
      key,
      name,
      organizations: options.organizations,
      products: options.products,
      segregationCodes: options.segregationCodes,
      environment: options.environment ?? "UAT",
      now: new Date(),
    }),
  );
  return { key, name };
}

export async function anOrganization(
  fiscalCode: string,
  ibans: readonly string[],
  postalIbans: readonly string[] = [],
  extra: {
    brokerCode?: string;
    stationCodes?: readonly string[];
    cbill?: string;
    fdr3Enabled?: boolean;
    /** Another stack's database (test/support/isolated-stack.ts); the suite's by default. */
    database?: Database;
  } = {},
): Promise<void> {
  const { database, ...organization } = extra;
  await organizationRepository(database).upsert(
    newOrganization({
      fiscalCode,
      companyName: `EC ${fiscalCode}`,
      ibans,
      postalIbans,
      ...organization,
      now: new Date(),
    }),
  );
}
