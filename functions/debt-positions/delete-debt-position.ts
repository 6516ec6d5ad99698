// DELETE /organizations/{organizationfiscalcode}/debtpositions/{iupd} — refused (409) once anything is paid.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type DebtPositionHandlerDeps } from "./deps";
import { parseIupdPathParam } from "./schemas";

export const makeDeleteDebtPosition = (deps: DebtPositionHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const iupd = parseIupdPathParam(scope.request.params.iupd);
    await deps.service.delete(callContext(scope), iupd);
    // The contract's 200 body is this JSON string (docs/domain/api-surface.md).
    return { status: 200, jsonBody: "The debt position was successfully deleted" };
  });
