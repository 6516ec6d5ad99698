// POST /organizations/{organizationfiscalcode}/debtpositions/{iupd}/publish — DRAFT → PUBLISHED or VALID.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type DebtPositionHandlerDeps } from "./deps";
import { toPaymentPositionModel } from "./encoders";
import { parseIupdPathParam } from "./schemas";

export const makePublishDebtPosition = (deps: DebtPositionHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const iupd = parseIupdPathParam(scope.request.params.iupd);
    const published = await deps.service.publish(callContext(scope), iupd);
    return { status: 200, jsonBody: toPaymentPositionModel(published) };
  });
