// Subscriptions against the Cosmos emulator: only hashes are stored, names are unique, revocation sticks.
import { containers } from "../../shared/storage/definition";
import { generateKey, hashKey, newSubscription } from "../../shared/domain/subscriptions/subscription";
import { cosmosClient, testConfig } from "../support/stack";
import { aFreshFiscalCode, subscriptionRepository } from "../support/keys";

const aNewSubscription = (name: string, key = generateKey()) =>
  newSubscription({ key, name, organizations: [aFreshFiscalCode()], environment: "UAT", now: new Date() });

describe("CosmosSubscriptionRepository", () => {
  it("finds a subscription by the hash of its key and never stores the key", async () => {
    const key = generateKey();
    const name = `repo-${Date.now()}`;
    await subscriptionRepository().create(aNewSubscription(name, key));
    const found = await subscriptionRepository().findByKeyHash(hashKey(key));
    expect(found).toMatchObject({ name, environment: "UAT", products: ["debt-positions", "receipts"] });
    const { resources } = await cosmosClient()
      .database(testConfig().cosmos.database)
      .container(containers.subscriptions)
      .items.query({ query: "SELECT * FROM c" })
      .fetchAll();
    expect(JSON.stringify(resources)).not.toContain(key);
  });

  it("refuses a second subscription with the same name (409) and keeps the first", async () => {
    const name = `dup-${Date.now()}`;
    const first = aNewSubscription(name);
    await subscriptionRepository().create(first);
    await expect(subscriptionRepository().create(aNewSubscription(name))).rejects.toMatchObject({ status: 409 });
    expect((await subscriptionRepository().findByName(name))?.keyHash).toBe(first.keyHash);
  });

  it("revokes by name, and the revocation is read back", async () => {
    const name = `rev-${Date.now()}`;
    const s = aNewSubscription(name);
    await subscriptionRepository().create(s);
    await subscriptionRepository().revoke(name, new Date("2026-11-22T10:00:00.000Z"));
    expect((await subscriptionRepository().findByKeyHash(s.keyHash))?.revokedAt).toBe("2026-11-22T10:00:00.000Z");
    await expect(subscriptionRepository().revoke("no-such-name", new Date())).rejects.toMatchObject({ status: 404 });
  });

  it("lists subscriptions without keys", async () => {
    const name = `list-${Date.now()}`;
    await subscriptionRepository().create(aNewSubscription(name));
    const all = await subscriptionRepository().list();
    expect(all.map((s) => s.name)).toContain(name);
  });
});
