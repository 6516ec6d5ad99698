// POST /organizations/{organizationfiscalcode}/webhooks/{webhookId}/ping — one signed `webhook.ping` POST to the
// receiver, answered with what the receiver did (200 even when it failed: the ping itself worked).
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type EventsHandlerDeps } from "./deps";
import { parseWebhookId } from "./schemas";

export const makePingWebhook = (deps: EventsHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const result = await deps.service.ping(callContext(scope), parseWebhookId(scope.request.params.webhookId));
    return {
      status: 200,
      jsonBody: {
        delivered: result.ok,
        eventId: result.eventId,
        ...(result.status === undefined ? {} : { responseStatus: result.status }),
        ...(result.ok ? {} : { error: result.error }),
      },
    };
  });
