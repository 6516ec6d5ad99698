// What every events handler receives from the composition root, and the routes of the events API
// (openapi/events.json, product `events`).
import type { WebhookService } from "../../shared/application/webhook-service";
import type { HttpDeps } from "../../shared/http/endpoint";

export interface EventsHandlerDeps {
  http: HttpDeps;
  service: WebhookService;
}

export const route = {
  webhooks: "organizations/{organizationfiscalcode}/webhooks",
  webhook: "organizations/{organizationfiscalcode}/webhooks/{webhookId}",
  ping: "organizations/{organizationfiscalcode}/webhooks/{webhookId}/ping",
  deliveries: "organizations/{organizationfiscalcode}/webhooks/{webhookId}/deliveries",
  replay: "organizations/{organizationfiscalcode}/webhooks/{webhookId}/replay",
  events: "organizations/{organizationfiscalcode}/events",
} as const;

export const endpointOptions = { product: "events", organizationParam: "organizationfiscalcode" } as const;

export { callContext } from "../../shared/http/call-context";
