// DELETE /v2/organizations/{organizationfiscalcode}/debtpositions — v2 bulk delete of 1..20 IUPDs, all or nothing:
// every one must exist (404) and be deletable (409).
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type DebtPositionHandlerDeps } from "./deps";
import { parseBulkDeleteBody } from "./schemas";

export const makeDeleteMultipleDebtPositionsV2 = (deps: DebtPositionHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const iupds = parseBulkDeleteBody(await scope.readJson());
    await deps.service.deleteMany(callContext(scope), iupds);
    return { status: 200, jsonBody: "The debt position was successfully deleted" };
  });
