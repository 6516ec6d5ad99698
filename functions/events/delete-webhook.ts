// DELETE /organizations/{organizationfiscalcode}/webhooks/{webhookId} — stops deliveries and forgets the webhook.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type EventsHandlerDeps } from "./deps";
import { parseWebhookId } from "./schemas";

export const makeDeleteWebhook = (deps: EventsHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    await deps.service.delete(callContext(scope), parseWebhookId(scope.request.params.webhookId));
    return { status: 204 };
  });
