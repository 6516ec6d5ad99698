// GET /organizations/{organizationfiscalcode}/webhooks/{webhookId} — one webhook (never its secret).
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type EventsHandlerDeps } from "./deps";
import { toWebhookModel } from "./encoders";
import { parseWebhookId } from "./schemas";

export const makeGetWebhook = (deps: EventsHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const webhook = await deps.service.get(callContext(scope), parseWebhookId(scope.request.params.webhookId));
    return { status: 200, jsonBody: toWebhookModel(webhook) };
  });
