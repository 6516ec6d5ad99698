// What every events handler receives from the composition root, and the routes of the events API
// (openapi/events.json, product `events`).
import type { EventsCallContext, WebhookService } from "../../shared/application/webhook-service";
import type { HttpDeps, RequestScope } from "../../shared/http/endpoint";

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

export const callContext = (scope: RequestScope): EventsCallContext => ({
  // The endpoint authorised this organization for the caller before the handler runs.
  organizationFiscalCode: scope.organizationFiscalCode ?? "",
  caller: scope.caller,
  now: scope.now,
});
