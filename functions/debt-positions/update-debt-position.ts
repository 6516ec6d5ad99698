// PUT /organizations/{organizationfiscalcode}/debtpositions/{iupd}?toPublish= — full replacement merged by IUV.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type DebtPositionHandlerDeps } from "./deps";
import { toPaymentPositionModel } from "./encoders";
import { parseDebtPositionBody, parseIupdPathParam, parseToPublishQuery, toPublishQuery } from "./schemas";

export const makeUpdateDebtPosition = (deps: DebtPositionHandlerDeps): HttpHandler =>
  endpoint(deps.http, { ...endpointOptions, query: toPublishQuery }, async (scope) => {
    const iupd = parseIupdPathParam(scope.request.params.iupd);
    const toPublish = parseToPublishQuery(scope.request.query);
    const input = parseDebtPositionBody(await scope.readJson());
    const updated = await deps.service.update(callContext(scope), iupd, input, toPublish);
    return { status: 200, jsonBody: toPaymentPositionModel(updated) };
  });
