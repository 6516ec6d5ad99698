// GET /organizations/{organizationfiscalcode}/debtpositions/{iupd} — the position with its effective status.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type DebtPositionHandlerDeps } from "./deps";
import { toBaseResponse } from "./encoders";
import { parseIupdPathParam } from "./schemas";

export const makeGetDebtPosition = (deps: DebtPositionHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const iupd = parseIupdPathParam(scope.request.params.iupd);
    const position = await deps.service.get(callContext(scope), iupd);
    return { status: 200, jsonBody: toBaseResponse(position) };
  });
