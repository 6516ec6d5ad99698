// Domain → API shapes of the events API (openapi/events.json). The secret appears only in the creation answer.
import { sequenceOf } from "../../shared/application/webhook-delivery";
import type { FeedPage } from "../../shared/application/webhook-service";
import type { DeliveryRecord, Webhook } from "../../shared/domain/events/webhooks";

export const toWebhookModel = (w: Webhook) => ({
  id: w.id,
  url: w.url,
  types: w.types,
  ...(w.description === undefined ? {} : { description: w.description }),
  status: w.status,
  ...(w.disabledReason === undefined ? {} : { disabledReason: w.disabledReason }),
  createdAt: w.createdAt,
  ...(w.segregationCodes === undefined ? {} : { segregationCodes: w.segregationCodes }),
});

export const toCreatedWebhookModel = (w: Webhook) => ({ ...toWebhookModel(w), secret: w.secret });

export const toDeliveryModel = (d: DeliveryRecord) => ({
  eventId: d.eventId,
  eventType: d.eventType,
  sequence: sequenceOf(d.seq),
  status: d.status,
  attempts: d.attempts,
  ...(d.responseStatus === undefined ? {} : { responseStatus: d.responseStatus }),
  ...(d.error === undefined ? {} : { error: d.error }),
  at: d.at,
});

export const toEventPage = (page: FeedPage) => ({
  events: page.events.map((e) => ({ ...e.event, sequence: sequenceOf(e.seq) })),
  cursor: String(page.cursor),
});
