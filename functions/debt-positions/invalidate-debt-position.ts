// POST /organizations/{organizationfiscalcode}/debtpositions/{iupd}/invalidate — PUBLISHED/VALID → INVALID.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type DebtPositionHandlerDeps } from "./deps";
import { toPaymentPositionModel } from "./encoders";
import { parseIupdPathParam } from "./schemas";

export const makeInvalidateDebtPosition = (deps: DebtPositionHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const iupd = parseIupdPathParam(scope.request.params.iupd);
    const invalidated = await deps.service.invalidate(callContext(scope), iupd);
    return { status: 200, jsonBody: toPaymentPositionModel(invalidated) };
  });
