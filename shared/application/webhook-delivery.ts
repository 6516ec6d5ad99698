// One delivery run for one webhook (docs/adr/0042-webhook-delivery.md), started by a message of the delivery queue.
// The run takes a lease on the webhook (a conditional write), then POSTs the organization's events after the
// webhook's cursor one at a time, in feed order, saving cursor and delivery records together every few events.
// - 2xx within the sender's timeout: delivered; the cursor moves on.
// - 410 Gone: the receiver asked to stop; the webhook is disabled.
// - anything else: retried after the WEBHOOK_RETRY_SCHEDULE pause (jittered), later events wait behind it (order);
//   when the schedule is exhausted the event is dead-lettered (record `failed`) and the cursor moves on. While a
//   receiver keeps failing after a dead letter, later events get one attempt each instead of a full schedule, so an
//   outage of days does not queue months of retries; `replay` delivers them again once the receiver is back.
// At-least-once: a run that dies between a POST and its save leaves the cursor behind, and the next run (the lease
// lapses, the dispatcher's sweep wakes the webhook) posts those events again with the same Webhook-Id.
import type { Versioned } from "../domain/debt-positions/ports";
import { isDomainError } from "../domain/errors";
import type {
  DeliveryQueue,
  DeliveryWork,
  EventLog,
  SequencedEvent,
  WebhookRepository,
  WebhookSender,
} from "../domain/events/ports";
import { sign } from "../domain/events/signing";
import { idle, retryDelay, wants, type DeliveryRecord, type Webhook } from "../domain/events/webhooks";
import type { Logger } from "../logging/logger";

export interface DeliveryDeps {
  events: EventLog;
  webhooks: WebhookRepository;
  queue: DeliveryQueue;
  sender: WebhookSender;
  clock: () => Date;
  random: () => number;
  log: Logger;
  /** Pauses after the 1st, 2nd, … failed attempt (ms). */
  retrySchedule: readonly number[];
  /** How long a run owns the webhook between two saves. */
  leaseMs?: number;
  /** A run stops after this long and hands over to a new message (function timeouts, fairness between webhooks). */
  budgetMs?: number;
  /** Progress is saved at least this often. */
  saveEveryMs?: number;
  pageSize?: number;
}

export type DeliveryRunOutcome =
  "missing" | "disabled" | "busy" | "waiting" | "idle" | "backoff" | "handed-over" | "superseded";

export interface DeliveryRun {
  outcome: DeliveryRunOutcome;
  delivered: number;
  failed: number;
}

/** The body POSTed for one event: the CloudEvent plus its feed position (the `sequence` extension attribute). */
export const deliveryBody = (e: SequencedEvent): string => JSON.stringify({ ...e.event, sequence: sequenceOf(e.seq) });

/** Zero-padded, so that string order is feed order (the CloudEvents sequence extension compares strings). */
export const sequenceOf = (seq: number): string => String(seq).padStart(16, "0");

const iso = (ms: number) => new Date(ms).toISOString();

export async function deliverWebhook(deps: DeliveryDeps, work: DeliveryWork): Promise<DeliveryRun> {
  const leaseMs = deps.leaseMs ?? 60_000;
  const budgetMs = deps.budgetMs ?? 45_000;
  const saveEveryMs = deps.saveEveryMs ?? 2_000;
  const pageSize = deps.pageSize ?? 50;
  const started = deps.clock().getTime();
  const tally = { delivered: 0, failed: 0 };
  const done = (outcome: DeliveryRunOutcome): DeliveryRun => ({ outcome, ...tally });

  const stored = await deps.webhooks.get(work.organizationFiscalCode, work.webhookId);
  if (stored === undefined) return done("missing");
  if (stored.value.status !== "active") return done("disabled");
  const now = deps.clock().getTime();
  if (stored.value.leaseUntil !== undefined && stored.value.leaseUntil > iso(now)) return done("busy");
  if (stored.value.nextAttemptAt !== undefined && stored.value.nextAttemptAt > iso(now)) return done("waiting");

  let current: Versioned<Webhook>;
  const records: DeliveryRecord[] = [];
  const save = async (next: Webhook) => {
    const etag = await deps.webhooks.save(current, next, records.splice(0));
    current = { value: next, etag };
  };
  const leased = (w: Webhook): Webhook => {
    const until = iso(deps.clock().getTime() + leaseMs);
    return { ...w, leaseUntil: until, wakeAt: until };
  };
  try {
    const first = leased({ ...stored.value, nextAttemptAt: undefined });
    current = { value: first, etag: await deps.webhooks.save(stored, first, []) };
  } catch (e) {
    if (isDomainError(e) && e.code === "CONCURRENT_MODIFICATION") return done("busy");
    throw e;
  }

  let state: Webhook = current.value;
  let lastSave = deps.clock().getTime();
  try {
    for (;;) {
      const page = await deps.events.after(work.organizationFiscalCode, state.cursor, pageSize);
      if (page.length === 0) {
        await save({ ...state, leaseUntil: undefined, wakeAt: idle });
        return done("idle");
      }
      for (const item of page) {
        if (!wants(state, item.event.type, item.segregationCodes)) {
          state = { ...state, cursor: item.seq };
          continue;
        }
        const body = deliveryBody(item);
        const headers = sign(state.secret, item.event.id, Math.floor(deps.clock().getTime() / 1000), body);
        const result = await deps.sender.send(state.url, { ...headers }, body);
        const at = deps.clock();
        const record = (status: DeliveryRecord["status"], attempts: number): DeliveryRecord => ({
          organizationFiscalCode: state.organizationFiscalCode,
          webhookId: state.id,
          seq: item.seq,
          eventId: item.event.id,
          eventType: item.event.type,
          status,
          attempts,
          responseStatus: result.status,
          error: result.ok ? undefined : result.error,
          at: at.toISOString(),
        });
        const attempts = state.attempts + 1;
        if (result.ok) {
          tally.delivered += 1;
          records.push(record("delivered", attempts));
          state = { ...state, cursor: item.seq, attempts: 0, failing: false };
        } else if (result.status === 410) {
          tally.failed += 1;
          records.push(record("failed", attempts));
          deps.log.warn("webhook disabled: the receiver answered 410 Gone", { webhookId: state.id });
          await save({
            ...state,
            status: "disabled",
            disabledReason: `The receiver answered 410 Gone at ${at.toISOString()}`,
            leaseUntil: undefined,
            wakeAt: idle,
          });
          return done("disabled");
        } else {
          const delay = state.failing ? undefined : retryDelay(deps.retrySchedule, attempts, deps.random);
          if (delay === undefined) {
            tally.failed += 1;
            records.push(record("failed", attempts));
            // The alert on dead letters (infra/modules/monitoring.bicep) matches this message.
            deps.log.warn("webhook delivery dead-lettered", {
              webhookId: state.id,
              organizationFiscalCode: state.organizationFiscalCode,
              eventId: item.event.id,
              seq: item.seq,
              attempts,
            });
            state = { ...state, cursor: item.seq, attempts: 0, failing: true };
          } else {
            records.push(record("retrying", attempts));
            const retryAt = iso(at.getTime() + delay);
            await save({ ...state, attempts, nextAttemptAt: retryAt, leaseUntil: undefined, wakeAt: retryAt });
            // The message is the fast path; the sweep on wakeAt is the safety net if it is lost.
            await deps.queue.enqueue(work, delay / 1000);
            return done("backoff");
          }
        }
        const clock = deps.clock().getTime();
        if (clock - started > budgetMs) {
          await save({ ...state, leaseUntil: undefined, wakeAt: at.toISOString() });
          await deps.queue.enqueue(work);
          return done("handed-over");
        }
        if (records.length >= 99 || clock - lastSave > saveEveryMs) {
          state = leased(state);
          await save(state);
          lastSave = clock;
        }
      }
    }
  } catch (e) {
    // A replay or a deletion changed the webhook under this run: the newer state wins, this run stops.
    if (isDomainError(e) && e.code === "CONCURRENT_MODIFICATION") return done("superseded");
    throw e;
  }
}
