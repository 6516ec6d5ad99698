// POST /v2/organizations/{organizationfiscalcode}/debtpositions?toPublish= — v2 bulk create, all or nothing, 201 with
// no body; the same use case as …/debtpositions/bulk.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type DebtPositionHandlerDeps } from "./deps";
import { parseBulkBody, parseToPublishQuery, toPublishQuery } from "./schemas";

export const makeCreateMultiplePositionsV2 = (deps: DebtPositionHandlerDeps): HttpHandler =>
  endpoint(deps.http, { ...endpointOptions, query: toPublishQuery }, async (scope) => {
    const toPublish = parseToPublishQuery(scope.request.query);
    const inputs = parseBulkBody(await scope.readJson());
    await deps.service.createMany(callContext(scope), inputs, toPublish);
    return { status: 201 };
  });
