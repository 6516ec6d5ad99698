// GET /organizations/{organizationfiscalcode}/events?after=<cursor>&limit= — the organization's events in feed order
// (the order webhooks receive them), for organizations that pull instead of receiving webhooks.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type EventsHandlerDeps } from "./deps";
import { toEventPage } from "./encoders";
import { parseFeedQuery, feedQueryParameters } from "./schemas";

export const makeListEvents = (deps: EventsHandlerDeps): HttpHandler =>
  endpoint(deps.http, { ...endpointOptions, query: feedQueryParameters }, async (scope) => {
    const { after, limit } = parseFeedQuery(Object.fromEntries(scope.request.query.entries()));
    const page = await deps.service.feed(callContext(scope), after, limit);
    return { status: 200, jsonBody: toEventPage(page) };
  });
