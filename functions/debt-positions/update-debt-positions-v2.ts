// PUT /v2/organizations/{organizationfiscalcode}/debtpositions?toPublish= — v2 bulk update, all or nothing: every
// IUPD must exist (404) and be updatable (409), with the single update's rules; 200 with no body.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type DebtPositionHandlerDeps } from "./deps";
import { parseBulkBody, parseToPublishQuery, toPublishQuery } from "./schemas";

export const makeUpdateMultiplePositionsV2 = (deps: DebtPositionHandlerDeps): HttpHandler =>
  endpoint(deps.http, { ...endpointOptions, query: toPublishQuery }, async (scope) => {
    const toPublish = parseToPublishQuery(scope.request.query);
    const inputs = parseBulkBody(await scope.readJson());
    await deps.service.updateMany(callContext(scope), inputs, toPublish);
    return { status: 200 };
  });
