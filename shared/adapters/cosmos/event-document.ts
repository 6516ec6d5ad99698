// The outbox (docs/adr/0040-events-outbox.md): every write of a debt position appends, to its own transactional
// batch, one Create per event of the change, in the position's partition of the `debtpositions` container. The
// events therefore exist exactly when the change does, and cost no extra round trip. The dispatcher later gives
// them their place in the organization's feed (`seq`, cosmos-event-log.ts).
//
// Order within a position: each write stamps the position document with `revision`, a hybrid clock in ms
// (max(the write's own instant, previous revision + 1)); its events carry that revision, so the dispatcher can put
// two pending writes of one position in the order they were made even when their instants disagree (a writer that
// lost a race keeps the instant it started with).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { DebtPosition } from "../../domain/debt-positions/model";
import type { Versioned } from "../../domain/debt-positions/ports";
import { eventSource, eventsOfChange, eventTypes, segregationCodesOf, type GpdEvent } from "../../domain/events/events";
import type { BatchOperation } from "./cosmos-batch";

export const eventDocumentId = (writeId: string) => `events:${writeId}`;

/** The revision of a stored version: documents written before the outbox existed fall back to their last update. */
export const revisionOf = (stored: Versioned<DebtPosition>): number =>
  stored.revision ?? Date.parse(stored.value.lastUpdatedDate);

/** The position document as the write stores it: stamped with its revision. */
export const withRevision = (document: Record<string, unknown>, revision: number | undefined): { id: string } =>
  ({ ...document, ...(revision === undefined ? {} : { revision }) }) as unknown as { id: string };

export interface Outbox {
  /** What the write stamps on the position document. */
  revision: number;
  /** Nothing, or the one Create of the write's events, to be appended after the write's own operations. */
  operations: BatchOperation[];
}

/**
 * The outbox part of one write: a single document holding all the write's events (one batch operation whatever
 * their number: a batch holds at most 100, and a position with 49 options already needs 99). It goes last, after the
 * write's guard (the conditional replace or delete), in the same all-or-nothing batch.
 */
export function outboxOf(
  previous: Versioned<DebtPosition> | undefined,
  next: DebtPosition | undefined,
  now: Date,
): Outbox {
  const own = next === undefined ? now.getTime() : Date.parse(next.lastUpdatedDate);
  const revision = previous === undefined ? own : Math.max(own, revisionOf(previous) + 1);
  const position = next ?? previous?.value;
  const drafts = eventsOfChange(previous?.value, next);
  if (position === undefined || drafts.length === 0) return { revision, operations: [] };
  const time = new Date(revision).toISOString();
  const events = drafts.map((draft): GpdEvent => ({
    specversion: "1.0",
    id: randomUUID(),
    source: eventSource(position.organizationFiscalCode),
    type: draft.type,
    time,
    subject: position.iupd,
    datacontenttype: "application/json",
    data: withoutUndefined(draft.data),
  }));
  const document: EventDocument = {
    id: eventDocumentId(randomUUID()),
    kind: "events",
    organizationFiscalCode: position.organizationFiscalCode,
    iupd: position.iupd,
    revision,
    time,
    segregationCodes: [...new Set(drafts.flatMap((d) => segregationCodesOf(d.data)))],
    pending: true,
    events,
  };
  return {
    revision,
    operations: [{ operationType: "Create", resourceBody: document as unknown as { id: string } }],
  };
}

/** Kind of an outbox document written by a bulk that has not finished: no dispatcher or reader sees it. */
export const heldEventsKind = "events-held";

/**
 * The outbox of a position written pending under a bulk (docs/adr/0015): the same events, held under the bulk's id
 * until the bulk finishes (then released as ordinary pending outbox documents) or is removed (then deleted with it).
 */
export function heldUntilBulkEnds(outbox: Outbox, bulkId: string): Outbox {
  return {
    revision: outbox.revision,
    operations: outbox.operations.map((op) =>
      op.operationType === "Create"
        ? { ...op, resourceBody: { ...op.resourceBody, kind: heldEventsKind, pending: false, bulkId } }
        : op,
    ),
  };
}

const storedEventSchema = z.looseObject({
  specversion: z.literal("1.0"),
  id: z.string(),
  source: z.string(),
  type: z.enum(eventTypes),
  time: z.string(),
  subject: z.string(),
  datacontenttype: z.literal("application/json"),
  data: z.looseObject({ organizationFiscalCode: z.string(), iupd: z.string() }),
});

export const eventDocumentSchema = z.object({
  id: z.string(),
  kind: z.literal("events"),
  organizationFiscalCode: z.string(),
  iupd: z.string(),
  revision: z.number(),
  time: z.string(),
  segregationCodes: z.array(z.string()),
  pending: z.boolean(),
  /** The feed position of the first event, given by the dispatcher; absent while pending. */
  seq: z.number().int().optional(),
  events: z.array(storedEventSchema).transform((events) => events as unknown as GpdEvent[]),
});

export type EventDocument = Omit<z.output<typeof eventDocumentSchema>, "events"> & { events: GpdEvent[] };

/** JSON drops undefined anyway; removing it keeps stored and delivered bodies identical. */
function withoutUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
