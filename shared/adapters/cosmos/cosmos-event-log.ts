// The organization's event feed over the outbox documents of the `debtpositions` container (docs/adr/0040). Each
// partition (organization) holds one feed document, id "feed", with the last feed position given (`lastSeq`) and
// whether the webhooks were woken for it (`notified`). Sequencing is one transactional batch: the feed document,
// replaced conditionally on its etag (or created), then the outbox documents stamped with their `seq`; two
// dispatchers racing on one organization cannot both win, so positions are never given twice or skipped.
import type { Container, ItemDefinition } from "@azure/cosmos";
import { z } from "zod";
import type { EventLog, SequencedEvent } from "../../domain/events/ports";
import { executeBatch, type BatchOperation } from "./cosmos-batch";
import { cosmosFailure, cosmosStatus } from "./cosmos-errors";
import { eventDocumentSchema, type EventDocument } from "./event-document";

const feedId = "feed";
const feedSchema = z.object({
  lastSeq: z.number().int(),
  notified: z.boolean(),
  _etag: z.string(),
});
type Feed = z.infer<typeof feedSchema>;

/** Batches hold at most 100 operations: the feed document and 99 outbox documents. */
const documentsPerBatch = 99;

/**
 * Feed order for pending outbox documents: by time, and within one position strictly by revision (the hybrid
 * clock its writes stamp). A position's documents keep the slots time gave them but fill them in revision order,
 * so a write that started earlier but committed later still comes after the write it replaced.
 */
export function feedOrder(pending: readonly EventDocument[]): EventDocument[] {
  const byTime = [...pending].sort(
    (a, b) => a.time.localeCompare(b.time) || a.revision - b.revision || a.id.localeCompare(b.id),
  );
  const slots = new Map<string, number[]>();
  byTime.forEach((doc, i) => {
    const list = slots.get(doc.iupd) ?? [];
    list.push(i);
    slots.set(doc.iupd, list);
  });
  const ordered = [...byTime];
  for (const [iupd, indexes] of slots) {
    const docs = byTime.filter((d) => d.iupd === iupd).sort((a, b) => a.revision - b.revision);
    indexes.forEach((slot, k) => (ordered[slot] = docs[k] as EventDocument));
  }
  return ordered;
}

export class CosmosEventLog implements EventLog {
  readonly #container: Container;

  constructor(container: Container) {
    this.#container = container;
  }

  async organizationsToDispatch(limit: number): Promise<string[]> {
    // Cross-partition on purpose: the dispatcher looks for work everywhere; both predicates are indexed equalities.
    const queries = [
      "SELECT c.organizationFiscalCode FROM c WHERE c.kind = 'events' AND c.pending = true",
      "SELECT c.organizationFiscalCode FROM c WHERE c.kind = 'feed' AND c.notified = false",
    ];
    try {
      const found = new Set<string>();
      for (const query of queries) {
        const page = await this.#container.items
          .query<{ organizationFiscalCode: string }>(query, { maxItemCount: limit })
          .fetchNext();
        for (const row of page.resources) found.add(row.organizationFiscalCode);
      }
      return [...found].slice(0, limit);
    } catch (e) {
      throw cosmosFailure(e, "query", "event outbox");
    }
  }

  async sequence(organizationFiscalCode: string): Promise<number> {
    let total = 0;
    for (;;) {
      const pending = await this.#pending(organizationFiscalCode);
      if (pending.length === 0) return total;
      const feed = await this.#feed(organizationFiscalCode);
      let next = (feed?.lastSeq ?? 0) + 1;
      const chunk = feedOrder(pending.map((p) => p.document)).slice(0, documentsPerBatch);
      const etags = new Map(pending.map((p) => [p.document.id, p.etag]));
      const stamped = chunk.map((doc) => {
        const seq = next;
        next += doc.events.length;
        return { ...doc, pending: false, seq, lastSeq: next - 1 };
      });
      const feedBody = { id: feedId, kind: "feed", organizationFiscalCode, lastSeq: next - 1, notified: false };
      const operations: BatchOperation[] = [
        feed === undefined
          ? { operationType: "Create", resourceBody: feedBody }
          : { operationType: "Replace", id: feedId, resourceBody: feedBody, ifMatch: feed._etag },
        // Each outbox document only as it was read, still pending: a dispatcher that read the feed after another
        // had sequenced them must not give them a second place.
        ...stamped.map((doc): BatchOperation => ({
          operationType: "Replace",
          id: doc.id,
          resourceBody: doc as unknown as { id: string },
          ifMatch: etags.get(doc.id),
        })),
      ];
      let outcome;
      try {
        outcome = await executeBatch(this.#container, organizationFiscalCode, operations);
      } catch (e) {
        throw cosmosFailure(e, "sequence", "events");
      }
      if (outcome.ok) {
        total += stamped.reduce((n, d) => n + d.events.length, 0);
        continue;
      }
      // Another dispatcher moved the feed or the outbox first: read again and carry on from where it left them.
      if ([409, 412].includes(outcome.status)) continue;
      throw cosmosFailure({ code: outcome.status }, "sequence", "events");
    }
  }

  async markNotified(organizationFiscalCode: string): Promise<void> {
    const feed = await this.#feed(organizationFiscalCode);
    if (feed === undefined || feed.notified) return;
    try {
      await this.#container
        .item(feedId, organizationFiscalCode)
        .replace(
          { id: feedId, kind: "feed", organizationFiscalCode, lastSeq: feed.lastSeq, notified: true },
          { accessCondition: { type: "IfMatch", condition: feed._etag } },
        );
    } catch (e) {
      // New events were sequenced meanwhile: the feed stays "not notified" and the next run wakes the webhooks.
      if (cosmosStatus(e) === 412) return;
      throw cosmosFailure(e, "update", "event feed");
    }
  }

  async lastSeq(organizationFiscalCode: string): Promise<number> {
    return (await this.#feed(organizationFiscalCode))?.lastSeq ?? 0;
  }

  async after(organizationFiscalCode: string, after: number, limit: number): Promise<SequencedEvent[]> {
    const query = {
      query:
        "SELECT * FROM c WHERE c.organizationFiscalCode = @org AND c.kind = 'events' AND c.lastSeq > @after ORDER BY c.seq ASC OFFSET 0 LIMIT @limit",
      parameters: [
        { name: "@org", value: organizationFiscalCode },
        { name: "@after", value: after },
        { name: "@limit", value: limit },
      ],
    };
    try {
      const { resources } = await this.#container.items
        .query<unknown>(query, { partitionKey: organizationFiscalCode })
        .fetchAll();
      const events: SequencedEvent[] = [];
      for (const resource of resources) {
        const doc = eventDocumentSchema.parse(resource);
        doc.events.forEach((event, i) => {
          const seq = (doc.seq ?? 0) + i;
          if (seq > after) events.push({ seq, event, segregationCodes: doc.segregationCodes });
        });
      }
      return events.slice(0, limit);
    } catch (e) {
      throw cosmosFailure(e, "list", "events");
    }
  }

  async firstSeqSince(organizationFiscalCode: string, time: string): Promise<number | undefined> {
    const query = {
      query:
        "SELECT TOP 1 VALUE c.seq FROM c WHERE c.organizationFiscalCode = @org AND c.kind = 'events' AND c.pending = false AND c.time >= @time ORDER BY c.seq ASC",
      parameters: [
        { name: "@org", value: organizationFiscalCode },
        { name: "@time", value: time },
      ],
    };
    try {
      const { resources } = await this.#container.items
        .query<number>(query, { partitionKey: organizationFiscalCode })
        .fetchAll();
      return resources[0];
    } catch (e) {
      throw cosmosFailure(e, "query", "events");
    }
  }

  async #pending(organizationFiscalCode: string): Promise<{ document: EventDocument; etag: string }[]> {
    const query = {
      query: "SELECT * FROM c WHERE c.organizationFiscalCode = @org AND c.kind = 'events' AND c.pending = true",
      parameters: [{ name: "@org", value: organizationFiscalCode }],
    };
    try {
      const { resources } = await this.#container.items
        .query<unknown>(query, { partitionKey: organizationFiscalCode, maxItemCount: 1000 })
        .fetchNext();
      return resources.map((r) => ({
        document: stripSystem(eventDocumentSchema.parse(r), r),
        etag: z.object({ _etag: z.string() }).parse(r)._etag,
      }));
    } catch (e) {
      throw cosmosFailure(e, "query", "event outbox");
    }
  }

  async #feed(organizationFiscalCode: string): Promise<Feed | undefined> {
    try {
      const { resource } = await this.#container.item(feedId, organizationFiscalCode).read<ItemDefinition>();
      return resource === undefined ? undefined : feedSchema.parse(resource);
    } catch (e) {
      if (cosmosStatus(e) === 404) return undefined;
      throw cosmosFailure(e, "read", "event feed");
    }
  }
}

/** The parsed document plus any field the schema does not name (kept as stored), without Cosmos' system fields. */
function stripSystem(parsed: EventDocument, raw: unknown): EventDocument {
  const extra = Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).filter(([k]) => !k.startsWith("_") && !(k in parsed)),
  );
  return { ...extra, ...parsed };
}
