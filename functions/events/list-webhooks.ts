// GET /organizations/{organizationfiscalcode}/webhooks — the organization's webhooks (never their secrets).
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type EventsHandlerDeps } from "./deps";
import { toWebhookModel } from "./encoders";

export const makeListWebhooks = (deps: EventsHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const webhooks = await deps.service.list(callContext(scope));
    return { status: 200, jsonBody: { webhooks: webhooks.map(toWebhookModel) } };
  });
