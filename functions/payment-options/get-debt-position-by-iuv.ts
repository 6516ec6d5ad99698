// GET /organizations/{organizationfiscalcode}/paymentoptions/{iuv}/debtposition — the position holding an IUV.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { toBaseResponse } from "../debt-positions/encoders";
import { debtPositionsProduct, callContext, type PaymentOptionHandlerDeps } from "./deps";
import { parseNavOrIuvParam } from "./request-schemas";

export const makeGetDebtPositionByIuv = (deps: PaymentOptionHandlerDeps): HttpHandler =>
  endpoint(deps.http, debtPositionsProduct, async (scope) => {
    const iuv = parseNavOrIuvParam("iuv", scope.request.params.iuv);
    const position = await deps.service.getPositionByIuv(callContext(scope), iuv);
    return { status: 200, jsonBody: toBaseResponse(position) };
  });
