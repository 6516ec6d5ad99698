// POST /organizations/{organizationfiscalcode}/paymentoptions/paids/{nav} — the organization was paid outside
// pagoPA: the option becomes paid (receipt and PSP CLOSED_AS_ALREADY_PAID_BY_EC), the position is recomputed.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { debtPositionsProduct, callContext, type PaymentOptionHandlerDeps } from "./deps";
import { toPaymentsModelResponse } from "./encoders";
import { parseAlreadyPaidBody, parseNavOrIuvParam } from "./request-schemas";

export const makeSetPaymentOptionAsAlreadyPaid = (deps: PaymentOptionHandlerDeps): HttpHandler =>
  endpoint(deps.http, debtPositionsProduct, async (scope) => {
    const nav = parseNavOrIuvParam("nav", scope.request.params.nav);
    const paymentDate = parseAlreadyPaidBody(await scope.readJson());
    const paid = await deps.service.markPaidOutsidePagoPa(callContext(scope), nav, paymentDate);
    return { status: 200, jsonBody: toPaymentsModelResponse(paid.option) };
  });
