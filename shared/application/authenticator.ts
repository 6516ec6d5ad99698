// Checks a subscription key for a request. A warm instance answers from memory: entries live for at most
// `ttlSeconds` (≤ 60, config), so a revocation takes effect on every instance within that time without any
// cross-instance signalling. Unknown keys are cached too, but briefly, so a key created a moment ago works soon
// and a flood of random keys cannot turn into a flood of Cosmos reads.
import type { SubscriptionRepository } from "../domain/subscriptions/ports";
import {
  authorize,
  hashKey,
  type AccessRequest,
  type Caller,
  type Subscription,
} from "../domain/subscriptions/subscription";
import { DomainError } from "../domain/errors";

interface Entry {
  value: Subscription | undefined;
  expiresAt: number;
}

export interface AuthenticatorOptions {
  ttlSeconds: number;
  negativeTtlSeconds?: number;
  maxEntries?: number;
  clock?: () => number;
}

export class Authenticator {
  readonly #repository: SubscriptionRepository;
  readonly #cache = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #negativeTtlMs: number;
  readonly #maxEntries: number;
  readonly #clock: () => number;
  readonly #inFlight = new Map<string, Promise<Subscription | undefined>>();

  constructor(repository: SubscriptionRepository, options: AuthenticatorOptions) {
    this.#repository = repository;
    this.#ttlMs = options.ttlSeconds * 1000;
    this.#negativeTtlMs = Math.min(options.negativeTtlSeconds ?? 5, options.ttlSeconds) * 1000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#clock = options.clock ?? Date.now;
  }

  async authenticate(key: string | undefined, request: AccessRequest): Promise<Caller> {
    if (key === undefined || key.length === 0 || key.length > 256) {
      throw new DomainError(
        "UNAUTHORIZED",
        "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.",
      );
    }
    return authorize(await this.#lookup(hashKey(key)), request);
  }

  async #lookup(keyHash: string): Promise<Subscription | undefined> {
    const now = this.#clock();
    const cached = this.#cache.get(keyHash);
    if (cached !== undefined && cached.expiresAt > now) return cached.value;
    // Concurrent requests with the same cold key share one read.
    const pending = this.#inFlight.get(keyHash);
    if (pending !== undefined) return pending;
    const read = this.#repository.findByKeyHash(keyHash).finally(() => this.#inFlight.delete(keyHash));
    this.#inFlight.set(keyHash, read);
    const value = await read;
    this.#remember(keyHash, value, now);
    return value;
  }

  #remember(keyHash: string, value: Subscription | undefined, now: number): void {
    if (this.#ttlMs === 0) return;
    if (this.#cache.size >= this.#maxEntries) {
      // Map keeps insertion order: drop the oldest entry.
      const oldest = this.#cache.keys().next();
      if (oldest.done !== true) this.#cache.delete(oldest.value);
    }
    this.#cache.set(keyHash, { value, expiresAt: now + (value === undefined ? this.#negativeTtlMs : this.#ttlMs) });
  }
}
