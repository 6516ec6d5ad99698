import { Authenticator } from "../../../shared/application/authenticator";
import { DomainError } from "../../../shared/domain/errors";
import type { SubscriptionRepository } from "../../../shared/domain/subscriptions/ports";
import { hashKey, newSubscription, type Subscription } from "../../../shared/domain/subscriptions/subscription";

/** An in-memory repository that counts reads: the claim under test is the cache's, not the store's. */
class CountingRepository implements SubscriptionRepository {
  readonly byHash = new Map<string, Subscription>();
  reads = 0;
  findByKeyHash(keyHash: string) {
    this.reads += 1;
    return Promise.resolve(this.byHash.get(keyHash));
  }
  findByName() {
    return Promise.resolve(undefined);
  }
  list() {
    return Promise.resolve([...this.byHash.values()]);
  }
  create(s: Subscription) {
    this.byHash.set(s.keyHash, s);
    return Promise.resolve();
  }
  revoke(): Promise<Subscription> {
    return Promise.reject(new Error("not used"));
  }
}

const request = {
  environment: "UAT" as const,
  product: "debt-positions" as const,
  organizationFiscalCode: "77777777777",
};

function setup(ttlSeconds = 30) {
  let now = 1_000_000;
  const repository = new CountingRepository();
  const authenticator = new Authenticator(repository, { ttlSeconds, negativeTtlSeconds: 5, clock: () => now });
  const key = "the-key";
  const subscription = newSubscription({
    key,
    name: "a",
    organizations: ["77777777777"],
    environment: "UAT",
    now: new Date(0),
  });
  return { repository, authenticator, key, subscription, advance: (ms: number) => (now += ms) };
}

describe("Authenticator", () => {
  it("answers a warm key without reading the store again", async () => {
    const { repository, authenticator, key, subscription } = setup();
    await repository.create(subscription);
    await authenticator.authenticate(key, request);
    await authenticator.authenticate(key, request);
    await authenticator.authenticate(key, request);
    expect(repository.reads).toBe(1);
  });

  it("shares one read between concurrent requests with the same cold key", async () => {
    const { repository, authenticator, key, subscription } = setup();
    await repository.create(subscription);
    await Promise.all(Array.from({ length: 20 }, () => authenticator.authenticate(key, request)));
    expect(repository.reads).toBe(1);
  });

  it("sees a revocation once the TTL has passed", async () => {
    const { repository, authenticator, key, subscription, advance } = setup(30);
    await repository.create(subscription);
    await authenticator.authenticate(key, request);
    repository.byHash.set(hashKey(key), { ...subscription, revokedAt: new Date().toISOString() });
    advance(29_000);
    await expect(authenticator.authenticate(key, request)).resolves.toBeDefined();
    advance(1_001);
    await expect(authenticator.authenticate(key, request)).rejects.toMatchObject({ status: 401 });
  });

  it("remembers unknown keys only briefly, so a new key works within seconds", async () => {
    const { repository, authenticator, key, subscription, advance } = setup(30);
    await expect(authenticator.authenticate(key, request)).rejects.toBeInstanceOf(DomainError);
    await repository.create(subscription);
    advance(4_000);
    await expect(authenticator.authenticate(key, request)).rejects.toMatchObject({ status: 401 });
    advance(1_001);
    await expect(authenticator.authenticate(key, request)).resolves.toMatchObject({ subscriptionName: "a" });
  });

  it("refuses a missing key without reading the store", async () => {
    const { repository, authenticator } = setup();
    await expect(authenticator.authenticate(undefined, request)).rejects.toMatchObject({ status: 401 });
    await expect(authenticator.authenticate("", request)).rejects.toMatchObject({ status: 401 });
    expect(repository.reads).toBe(0);
  });

  it("reads every time when the TTL is 0", async () => {
    const { repository, authenticator, key, subscription } = setup(0);
    await repository.create(subscription);
    await authenticator.authenticate(key, request);
    await authenticator.authenticate(key, request);
    expect(repository.reads).toBe(2);
  });
});
