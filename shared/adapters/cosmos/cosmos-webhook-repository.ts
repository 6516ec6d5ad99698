// Webhooks and their delivery records in the `webhooks` container (partition key /organizationFiscalCode,
// docs/adr/0042): one document per webhook ("webhook:<id>") and one per (webhook, event) delivered or tried
// ("delivery:<id>:<seq>"), so a delivery run saves its progress and its records in one transactional batch.
import type { Container, ItemDefinition, SqlParameter } from "@azure/cosmos";
import { z } from "zod";
import type { Versioned } from "../../domain/debt-positions/ports";
import { DomainError } from "../../domain/errors";
import { eventTypes } from "../../domain/events/events";
import type { DeliveryListQuery, WebhookRepository } from "../../domain/events/ports";
import { webhookStatuses, type DeliveryRecord, type Webhook } from "../../domain/events/webhooks";
import { executeBatch, type BatchOperation } from "./cosmos-batch";
import { cosmosFailure, cosmosStatus } from "./cosmos-errors";

const webhookDocumentId = (id: string) => `webhook:${id}`;
const deliveryDocumentId = (webhookId: string, seq: number) => `delivery:${webhookId}:${String(seq).padStart(15, "0")}`;

const optional = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

const webhookSchema = z.object({
  organizationFiscalCode: z.string(),
  id: z.string(),
  url: z.string(),
  types: z.array(z.enum(eventTypes)),
  description: optional,
  secret: z.string(),
  segregationCodes: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? undefined),
  status: z.enum(webhookStatuses),
  disabledReason: optional,
  createdAt: z.string(),
  cursor: z.number().int(),
  attempts: z.number().int(),
  failing: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  nextAttemptAt: optional,
  leaseUntil: optional,
  wakeAt: z.string(),
});

const deliverySchema = z.object({
  organizationFiscalCode: z.string(),
  webhookId: z.string(),
  seq: z.number().int(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(["delivered", "retrying", "failed"]),
  attempts: z.number().int(),
  responseStatus: z
    .number()
    .int()
    .nullish()
    .transform((v) => v ?? undefined),
  error: optional,
  at: z.string(),
});

const parseWebhook = (resource: unknown): Versioned<Webhook> => {
  const etag = z.object({ _etag: z.string() }).parse(resource)._etag;
  return { value: webhookSchema.parse(resource), etag };
};

const webhookDocument = (webhook: Webhook) =>
  ({
    ...JSON.parse(JSON.stringify(webhook)),
    id: webhookDocumentId(webhook.id),
    kind: "webhook",
    webhookId: webhook.id,
  }) as { id: string };

const fromWebhookDocument = (resource: Record<string, unknown>) => ({ ...resource, id: resource.webhookId });

export class CosmosWebhookRepository implements WebhookRepository {
  readonly #container: Container;

  constructor(container: Container) {
    this.#container = container;
  }

  async create(webhook: Webhook): Promise<void> {
    try {
      await this.#container.items.create(webhookDocument(webhook));
    } catch (e) {
      throw cosmosFailure(e, "create", "webhook");
    }
  }

  async get(organizationFiscalCode: string, id: string): Promise<Versioned<Webhook> | undefined> {
    try {
      const { resource } = await this.#container
        .item(webhookDocumentId(id), organizationFiscalCode)
        .read<ItemDefinition>();
      return resource === undefined ? undefined : parseWebhook(fromWebhookDocument(resource));
    } catch (e) {
      if (cosmosStatus(e) === 404) return undefined;
      throw cosmosFailure(e, "read", "webhook");
    }
  }

  async list(organizationFiscalCode: string): Promise<Webhook[]> {
    const query = {
      query: "SELECT * FROM c WHERE c.organizationFiscalCode = @org AND c.kind = 'webhook' ORDER BY c.createdAt ASC",
      parameters: [{ name: "@org", value: organizationFiscalCode }],
    };
    try {
      const { resources } = await this.#container.items
        .query<Record<string, unknown>>(query, { partitionKey: organizationFiscalCode })
        .fetchAll();
      return resources.map((r) => parseWebhook(fromWebhookDocument(r)).value);
    } catch (e) {
      throw cosmosFailure(e, "list", "webhooks");
    }
  }

  async delete(organizationFiscalCode: string, id: string): Promise<boolean> {
    try {
      await this.#container.item(webhookDocumentId(id), organizationFiscalCode).delete();
    } catch (e) {
      if (cosmosStatus(e) === 404) return false;
      throw cosmosFailure(e, "delete", "webhook");
    }
    // The records of a deleted webhook serve nothing; a failure here leaves orphans only, never a live webhook.
    const query = {
      query: "SELECT c.id FROM c WHERE c.organizationFiscalCode = @org AND c.kind = 'delivery' AND c.webhookId = @id",
      parameters: [
        { name: "@org", value: organizationFiscalCode },
        { name: "@id", value: id },
      ],
    };
    try {
      const iterator = this.#container.items.query<{ id: string }>(query, {
        partitionKey: organizationFiscalCode,
        maxItemCount: 100,
      });
      while (iterator.hasMoreResults()) {
        const { resources } = await iterator.fetchNext();
        if (resources.length === 0) continue;
        await this.#container.items.batch(
          resources.map((r) => ({ operationType: "Delete" as const, id: r.id })),
          organizationFiscalCode,
        );
      }
    } catch (e) {
      throw cosmosFailure(e, "delete", "webhook deliveries");
    }
    return true;
  }

  async save(previous: Versioned<Webhook>, next: Webhook, records: readonly DeliveryRecord[]): Promise<string> {
    if (records.length > 99) throw new Error("A webhook save holds at most 99 delivery records");
    const id = webhookDocumentId(next.id);
    const operations: BatchOperation[] = [
      { operationType: "Replace", id, resourceBody: webhookDocument(next), ifMatch: previous.etag },
      ...records.map((record): BatchOperation => ({
        operationType: "Upsert",
        resourceBody: {
          ...JSON.parse(JSON.stringify(record)),
          id: deliveryDocumentId(record.webhookId, record.seq),
          kind: "delivery",
        } as { id: string },
      })),
    ];
    let outcome;
    try {
      outcome = await executeBatch(this.#container, next.organizationFiscalCode, operations);
    } catch (e) {
      throw cosmosFailure(e, "update", "webhook");
    }
    if (outcome.ok) return outcome.etags[0] ?? "";
    if (outcome.failedIndex === 0 && (outcome.status === 412 || outcome.status === 404)) {
      throw new DomainError("CONCURRENT_MODIFICATION", `The webhook ${next.id} was changed by another request`);
    }
    throw cosmosFailure({ code: outcome.status }, "update", "webhook");
  }

  async due(now: Date, limit: number): Promise<Versioned<Webhook>[]> {
    const query = {
      query: "SELECT * FROM c WHERE c.kind = 'webhook' AND c.status = 'active' AND c.wakeAt <= @now",
      parameters: [{ name: "@now", value: now.toISOString() }],
    };
    try {
      const { resources } = await this.#container.items
        .query<Record<string, unknown>>(query, { maxItemCount: limit })
        .fetchNext();
      return resources.map((r) => parseWebhook(fromWebhookDocument(r)));
    } catch (e) {
      throw cosmosFailure(e, "query", "webhooks");
    }
  }

  async deliveries(
    organizationFiscalCode: string,
    webhookId: string,
    query: DeliveryListQuery,
  ): Promise<DeliveryRecord[]> {
    const conditions = ["c.organizationFiscalCode = @org", "c.kind = 'delivery'", "c.webhookId = @id"];
    const parameters: SqlParameter[] = [
      { name: "@org", value: organizationFiscalCode },
      { name: "@id", value: webhookId },
      { name: "@limit", value: query.limit },
    ];
    if (query.status !== undefined) {
      conditions.push("c.status = @status");
      parameters.push({ name: "@status", value: query.status });
    }
    if (query.before !== undefined) {
      conditions.push("c.seq < @before");
      parameters.push({ name: "@before", value: query.before });
    }
    const sql = `SELECT * FROM c WHERE ${conditions.join(" AND ")} ORDER BY c.seq DESC OFFSET 0 LIMIT @limit`;
    try {
      const { resources } = await this.#container.items
        .query<unknown>({ query: sql, parameters }, { partitionKey: organizationFiscalCode })
        .fetchAll();
      return resources.map((r) => deliverySchema.parse(r));
    } catch (e) {
      throw cosmosFailure(e, "list", "webhook deliveries");
    }
  }
}
