// The events API use cases (openapi/events.json): webhooks of an organization (create, list, get, delete, ping,
// deliveries, replay) and the pull feed. Segregation codes apply: a key limited to some codes registers webhooks
// that only hear of those codes, and reads a feed filtered the same way.
import { randomUUID } from "node:crypto";
import { DomainError } from "../domain/errors";
import type {
  DeliveryListQuery,
  DeliveryQueue,
  EventLog,
  SendResult,
  SequencedEvent,
  WebhookRepository,
  WebhookSender,
} from "../domain/events/ports";
import { sign } from "../domain/events/signing";
import {
  idle,
  newWebhook,
  type DeliveryRecord,
  type NewWebhookInput,
  type UrlPolicy,
  type Webhook,
} from "../domain/events/webhooks";
import { retryLostRaces } from "./lost-races";
import type { CallContext } from "./call-context";

export interface WebhookServiceDeps {
  events: EventLog;
  webhooks: WebhookRepository;
  queue: DeliveryQueue;
  sender: WebhookSender;
  urlPolicy: UrlPolicy;
}

export interface FeedPage {
  events: SequencedEvent[];
  /** Where the next call continues: the last feed position read (filtered events included). */
  cursor: number;
}

const notFound = (id: string) => new DomainError("NOT_FOUND", `Not found the webhook ${id.slice(0, 64)}`);

export class WebhookService {
  readonly #deps: WebhookServiceDeps;

  constructor(deps: WebhookServiceDeps) {
    this.#deps = deps;
  }

  /** New webhooks hear of events from now on; `replay` reaches back. */
  async create(ctx: CallContext, input: NewWebhookInput): Promise<Webhook> {
    const cursor = await this.#deps.events.lastSeq(ctx.organizationFiscalCode);
    const webhook = newWebhook(
      input,
      {
        organizationFiscalCode: ctx.organizationFiscalCode,
        segregationCodes: ctx.caller.segregationCodes,
        cursor,
        now: ctx.now,
      },
      this.#deps.urlPolicy,
    );
    await this.#deps.webhooks.create(webhook);
    return webhook;
  }

  list(ctx: CallContext): Promise<Webhook[]> {
    return this.#deps.webhooks.list(ctx.organizationFiscalCode);
  }

  async get(ctx: CallContext, id: string): Promise<Webhook> {
    const found = await this.#deps.webhooks.get(ctx.organizationFiscalCode, id);
    if (found === undefined) throw notFound(id);
    return found.value;
  }

  async delete(ctx: CallContext, id: string): Promise<void> {
    if (!(await this.#deps.webhooks.delete(ctx.organizationFiscalCode, id))) throw notFound(id);
  }

  /** One signed `webhook.ping` POST, answered synchronously; it is not an event of the feed. */
  async ping(ctx: CallContext, id: string): Promise<SendResult & { eventId: string }> {
    const webhook = await this.get(ctx, id);
    const eventId = randomUUID();
    const body = JSON.stringify({
      specversion: "1.0",
      id: eventId,
      source: `/organizations/${ctx.organizationFiscalCode}/webhooks`,
      type: "webhook.ping",
      time: ctx.now.toISOString(),
      subject: webhook.id,
      datacontenttype: "application/json",
      data: { organizationFiscalCode: ctx.organizationFiscalCode, webhookId: webhook.id },
    });
    const headers = sign(webhook.secret, eventId, Math.floor(ctx.now.getTime() / 1000), body);
    const result = await this.#deps.sender.send(webhook.url, { ...headers }, body);
    return { ...result, eventId };
  }

  deliveries(ctx: CallContext, id: string, query: DeliveryListQuery): Promise<DeliveryRecord[]> {
    return this.get(ctx, id).then(() => this.#deps.webhooks.deliveries(ctx.organizationFiscalCode, id, query));
  }

  /**
   * Delivers again, in order, every event from the first one at or after `from` (delivered, dead-lettered or not
   * yet tried). Receivers recognise a repeated event by its Webhook-Id. A run in progress is superseded.
   */
  async replay(ctx: CallContext, id: string, from: Date): Promise<{ fromSequence: number | undefined }> {
    const first = await this.#deps.events.firstSeqSince(ctx.organizationFiscalCode, from.toISOString());
    // A delivery run saving its progress at the same moment loses to the replay on its next save, or wins this
    // attempt and the replay is decided again on what it wrote.
    await retryLostRaces(async () => {
      const stored = await this.#deps.webhooks.get(ctx.organizationFiscalCode, id);
      if (stored === undefined) throw notFound(id);
      if (stored.value.status !== "active") {
        throw new DomainError("CONFLICT", `The webhook ${id} is disabled: ${stored.value.disabledReason ?? ""}`);
      }
      if (first === undefined) return;
      await this.#deps.webhooks.save(
        stored,
        {
          ...stored.value,
          cursor: first - 1,
          attempts: 0,
          failing: false,
          nextAttemptAt: undefined,
          leaseUntil: undefined,
          wakeAt: idle,
        },
        [],
      );
    }, 8);
    if (first !== undefined) {
      await this.#deps.queue.enqueue({ organizationFiscalCode: ctx.organizationFiscalCode, webhookId: id });
    }
    return { fromSequence: first };
  }

  /** The organization's events after `after`, in feed order; a key limited to some codes sees only those. */
  async feed(ctx: CallContext, after: number, limit: number): Promise<FeedPage> {
    const page = await this.#deps.events.after(ctx.organizationFiscalCode, after, limit);
    const allowed = ctx.caller.segregationCodes;
    const visible =
      allowed === undefined ? page : page.filter((e) => e.segregationCodes.some((c) => allowed.includes(c)));
    return { events: visible, cursor: page.at(-1)?.seq ?? after };
  }
}
