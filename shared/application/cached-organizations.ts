// Organizations change rarely and are read on every create and update (IBAN registration): a warm instance keeps
// them for the same TTL as subscription keys, so a create costs one Cosmos round trip (the write itself).
import type { Organization, OrganizationRepository } from "../domain/organizations/organization";

export class CachedOrganizationRepository implements OrganizationRepository {
  readonly #inner: OrganizationRepository;
  readonly #ttlMs: number;
  readonly #clock: () => number;
  readonly #cache = new Map<string, { value: Organization | undefined; expiresAt: number }>();

  constructor(inner: OrganizationRepository, options: { ttlSeconds: number; clock?: () => number }) {
    this.#inner = inner;
    this.#ttlMs = options.ttlSeconds * 1000;
    this.#clock = options.clock ?? Date.now;
  }

  async find(fiscalCode: string): Promise<Organization | undefined> {
    return (await this.findMany([fiscalCode])).get(fiscalCode);
  }

  async findMany(fiscalCodes: readonly string[]): Promise<Map<string, Organization>> {
    const now = this.#clock();
    const found = new Map<string, Organization>();
    const missing: string[] = [];
    for (const code of new Set(fiscalCodes)) {
      const entry = this.#cache.get(code);
      if (entry !== undefined && entry.expiresAt > now) {
        if (entry.value) found.set(code, entry.value);
      } else {
        missing.push(code);
      }
    }
    if (missing.length > 0) {
      const loaded = await this.#inner.findMany(missing);
      for (const code of missing) {
        const value = loaded.get(code);
        if (value) found.set(code, value);
        // Unknown organizations are remembered briefly only, so a newly registered EC works within seconds.
        const ttl = value ? this.#ttlMs : Math.min(this.#ttlMs, 5000);
        if (ttl > 0) this.#cache.set(code, { value, expiresAt: now + ttl });
      }
    }
    return found;
  }

  async upsert(organization: Organization): Promise<void> {
    await this.#inner.upsert(organization);
    this.#cache.delete(organization.fiscalCode);
  }

  async list(): Promise<Organization[]> {
    return await this.#inner.list();
  }
}
