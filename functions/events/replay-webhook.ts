// POST /organizations/{organizationfiscalcode}/webhooks/{webhookId}/replay?from=<date-time> — delivers again, in
// order, every event from `from` on; 202: the deliveries run in the background.
import type { HttpHandler } from "@azure/functions";
import { sequenceOf } from "../../shared/application/webhook-delivery";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type EventsHandlerDeps } from "./deps";
import { parseReplayQuery, parseWebhookId, replayQueryParameters } from "./schemas";

export const makeReplayWebhook = (deps: EventsHandlerDeps): HttpHandler =>
  endpoint(deps.http, { ...endpointOptions, query: replayQueryParameters }, async (scope) => {
    const id = parseWebhookId(scope.request.params.webhookId);
    const from = parseReplayQuery(Object.fromEntries(scope.request.query.entries()));
    const { fromSequence } = await deps.service.replay(callContext(scope), id, from);
    return { status: 202, jsonBody: fromSequence === undefined ? {} : { fromSequence: sequenceOf(fromSequence) } };
  });
