// What the event use cases need from the outside: the organization's event log (the outbox in Cosmos), the
// webhooks and their deliveries, the delivery queue, and an HTTP sender. Adapters implement them; the contracts are
// the same on the emulators and on Azure.
import type { Versioned } from "../debt-positions/ports";
import type { GpdEvent } from "./events";
import type { DeliveryRecord, DeliveryStatus, Webhook } from "./webhooks";

/** An event with its place in the organization's feed. */
export interface SequencedEvent {
  seq: number;
  event: GpdEvent;
  segregationCodes: readonly string[];
}

export interface EventLog {
  /** Organizations with events not yet in their feed, or whose webhooks were not yet told of new ones. */
  organizationsToDispatch(limit: number): Promise<string[]>;
  /**
   * Gives every pending event of the organization its feed position, a position's events in the order they
   * happened; returns how many events were added. Safe to run concurrently: one run wins each step.
   */
  sequence(organizationFiscalCode: string): Promise<number>;
  /** Marks that the organization's webhooks were woken for everything sequenced so far (unless more came since). */
  markNotified(organizationFiscalCode: string): Promise<void>;
  /** The last feed position given (0 when none). */
  lastSeq(organizationFiscalCode: string): Promise<number>;
  /** Events with seq > after, in feed order, at most `limit`. */
  after(organizationFiscalCode: string, after: number, limit: number): Promise<SequencedEvent[]>;
  /** The feed position of the first event at or after `time`, if any. */
  firstSeqSince(organizationFiscalCode: string, time: string): Promise<number | undefined>;
}

export interface DeliveryListQuery {
  status?: DeliveryStatus | undefined;
  /** Deliveries with seq < before (paging backwards from the newest). */
  before?: number | undefined;
  limit: number;
}

export interface WebhookRepository {
  create(webhook: Webhook): Promise<void>;
  get(organizationFiscalCode: string, id: string): Promise<Versioned<Webhook> | undefined>;
  list(organizationFiscalCode: string): Promise<Webhook[]>;
  /** Removes the webhook and its delivery records; false when it did not exist. */
  delete(organizationFiscalCode: string, id: string): Promise<boolean>;
  /**
   * Writes the delivery records, then the webhook conditionally on its etag (CONCURRENT_MODIFICATION when it
   * changed: a replay or a deletion won). Returns the new etag.
   */
  save(previous: Versioned<Webhook>, next: Webhook, records: readonly DeliveryRecord[]): Promise<string>;
  /** Active webhooks whose wakeAt has come, across organizations. */
  due(now: Date, limit: number): Promise<Versioned<Webhook>[]>;
  deliveries(organizationFiscalCode: string, webhookId: string, query: DeliveryListQuery): Promise<DeliveryRecord[]>;
}

export interface DeliveryWork {
  organizationFiscalCode: string;
  webhookId: string;
}

export interface DeliveryQueue {
  /** One message asking a delivery run for this webhook, visible after `delaySeconds`. */
  enqueue(work: DeliveryWork, delaySeconds?: number): Promise<void>;
}

export type SendResult = { ok: true; status: number } | { ok: false; status?: number | undefined; error: string };

export interface WebhookSender {
  /** One POST; a 2xx within the timeout is success; never throws for the receiver's failures. */
  send(url: string, headers: Record<string, string>, body: string): Promise<SendResult>;
}
