// Subscriptions in Cosmos: one document per key (id = SHA-256 of the key, so authentication is one point read)
// and one name marker per subscription (id = "name:<name>"), written first so that a name is taken once even when
// two operators race; both live in the `subscriptions` container, partitioned by /id.
import type { Container, ItemDefinition } from "@azure/cosmos";
import { z } from "zod";
import { DomainError } from "../../domain/errors";
import type { SubscriptionRepository } from "../../domain/subscriptions/ports";
import { environments, products, type Subscription } from "../../domain/subscriptions/subscription";
import { cosmosFailure, cosmosStatus } from "./cosmos-errors";

const keyDocumentSchema = z.object({
  id: z.string(),
  kind: z.literal("key"),
  name: z.string(),
  organizations: z.array(z.string()),
  products: z.array(z.enum(products)),
  segregationCodes: z.array(z.string()).nullish(),
  environment: z.enum(environments),
  createdAt: z.string(),
  revokedAt: z.string().nullish(),
});
type KeyDocument = z.infer<typeof keyDocumentSchema>;

const nameDocumentSchema = z.object({ id: z.string(), kind: z.literal("name"), keyHash: z.string() });

const nameId = (name: string) => `name:${name}`;

const toSubscription = (d: KeyDocument): Subscription => ({
  keyHash: d.id,
  name: d.name,
  organizations: d.organizations,
  products: d.products,
  segregationCodes: d.segregationCodes ?? undefined,
  environment: d.environment,
  createdAt: d.createdAt,
  revokedAt: d.revokedAt ?? undefined,
});

export class CosmosSubscriptionRepository implements SubscriptionRepository {
  readonly #container: Container;

  constructor(container: Container) {
    this.#container = container;
  }

  async findByKeyHash(keyHash: string): Promise<Subscription | undefined> {
    try {
      const { resource } = await this.#container.item(keyHash, keyHash).read<ItemDefinition>();
      if (resource === undefined) return undefined;
      const parsed = keyDocumentSchema.safeParse(resource);
      // A document that no longer parses grants nothing.
      return parsed.success ? toSubscription(parsed.data) : undefined;
    } catch (e) {
      if (cosmosStatus(e) === 404) return undefined;
      throw cosmosFailure(e, "read", "subscription");
    }
  }

  async findByName(name: string): Promise<Subscription | undefined> {
    const marker = await this.#readName(name);
    return marker === undefined ? undefined : this.findByKeyHash(marker.keyHash);
  }

  async list(): Promise<Subscription[]> {
    try {
      const { resources } = await this.#container.items
        .query<unknown>({ query: "SELECT * FROM c WHERE c.kind = 'key'" })
        .fetchAll();
      return resources
        .map((r) => keyDocumentSchema.safeParse(r))
        .filter((p) => p.success)
        .map((p) => toSubscription(p.data))
        .sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      throw cosmosFailure(e, "list", "subscriptions");
    }
  }

  async create(subscription: Subscription): Promise<void> {
    const id = nameId(subscription.name);
    try {
      await this.#container.items.create({ id, kind: "name", keyHash: subscription.keyHash });
    } catch (e) {
      if (cosmosStatus(e) === 409) {
        throw new DomainError("CONFLICT", `A subscription named ${subscription.name} already exists.`);
      }
      throw cosmosFailure(e, "create", "subscription");
    }
    const document: KeyDocument = {
      id: subscription.keyHash,
      kind: "key",
      name: subscription.name,
      organizations: [...subscription.organizations],
      products: [...subscription.products],
      segregationCodes: subscription.segregationCodes ? [...subscription.segregationCodes] : null,
      environment: subscription.environment,
      createdAt: subscription.createdAt,
      revokedAt: null,
    };
    try {
      await this.#container.items.create(document);
    } catch (e) {
      // Release the name so the operator can simply try again.
      await this.#container
        .item(id, id)
        .delete()
        .catch(() => undefined);
      throw cosmosFailure(e, "create", "subscription");
    }
  }

  async revoke(name: string, at: Date): Promise<Subscription> {
    const marker = await this.#readName(name);
    if (marker === undefined) throw new DomainError("NOT_FOUND", `No subscription named ${name}.`);
    try {
      const { resource } = await this.#container
        .item(marker.keyHash, marker.keyHash)
        .patch<ItemDefinition>([{ op: "set", path: "/revokedAt", value: at.toISOString() }]);
      return toSubscription(keyDocumentSchema.parse(resource));
    } catch (e) {
      if (cosmosStatus(e) === 404) throw new DomainError("NOT_FOUND", `No subscription named ${name}.`);
      throw cosmosFailure(e, "revoke", "subscription");
    }
  }

  async #readName(name: string): Promise<z.infer<typeof nameDocumentSchema> | undefined> {
    const id = nameId(name);
    try {
      const { resource } = await this.#container.item(id, id).read<ItemDefinition>();
      return resource === undefined ? undefined : nameDocumentSchema.parse(resource);
    } catch (e) {
      if (cosmosStatus(e) === 404) return undefined;
      throw cosmosFailure(e, "read", "subscription");
    }
  }
}
