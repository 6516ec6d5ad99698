// GET /organizations/{organizationfiscalcode}/webhooks/{webhookId}/deliveries[?status=failed&before=&limit=] — the
// latest outcome per event, newest first; `failed` are the dead letters.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type EventsHandlerDeps } from "./deps";
import { toDeliveryModel } from "./encoders";
import { parseDeliveriesQuery, parseWebhookId, deliveriesQueryParameters } from "./schemas";

export const makeListDeliveries = (deps: EventsHandlerDeps): HttpHandler =>
  endpoint(deps.http, { ...endpointOptions, query: deliveriesQueryParameters }, async (scope) => {
    const id = parseWebhookId(scope.request.params.webhookId);
    const query = parseDeliveriesQuery(Object.fromEntries(scope.request.query.entries()));
    const deliveries = await deps.service.deliveries(callContext(scope), id, query);
    return { status: 200, jsonBody: { deliveries: deliveries.map(toDeliveryModel) } };
  });
