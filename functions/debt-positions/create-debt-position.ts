// POST /organizations/{organizationfiscalcode}/debtpositions?toPublish= — 201 with the created position.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type DebtPositionHandlerDeps } from "./deps";
import { toPaymentPositionModel } from "./encoders";
import { parseDebtPositionBody, parseToPublishQuery, toPublishQuery } from "./schemas";

export const makeCreateDebtPosition = (deps: DebtPositionHandlerDeps): HttpHandler =>
  endpoint(deps.http, { ...endpointOptions, query: toPublishQuery }, async (scope) => {
    const toPublish = parseToPublishQuery(scope.request.query);
    const input = parseDebtPositionBody(await scope.readJson());
    const created = await deps.service.create(callContext(scope), input, toPublish);
    return { status: 201, jsonBody: toPaymentPositionModel(created) };
  });
