// POST /organizations/{organizationfiscalcode}/webhooks — registers a receiver; 201 with its signing secret, shown
// this once.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type EventsHandlerDeps } from "./deps";
import { toCreatedWebhookModel } from "./encoders";
import { parseWebhookBody } from "./schemas";

export const makeCreateWebhook = (deps: EventsHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const input = parseWebhookBody(await scope.readJson());
    const webhook = await deps.service.create(callContext(scope), input);
    return { status: 201, jsonBody: toCreatedWebhookModel(webhook) };
  });
