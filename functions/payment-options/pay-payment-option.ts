// POST /organizations/{organizationfiscalcode}/paymentoptions/{nav}/pay — product `internal`: pagoPA's own services
// report a payment; decided exactly as a receipt (shared/application/receipt-ingestion.ts).
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { internalProduct, callContext, type PaymentOptionHandlerDeps } from "./deps";
import { toPaymentsModelResponse } from "./encoders";
import { parseNavOrIuvParam, parsePayBody } from "./request-schemas";

export const makePayPaymentOption = (deps: PaymentOptionHandlerDeps): HttpHandler =>
  endpoint(deps.http, internalProduct, async (scope) => {
    const nav = parseNavOrIuvParam("nav", scope.request.params.nav);
    const payment = parsePayBody(await scope.readJson(), scope.now);
    const paid = await deps.service.pay(callContext(scope), nav, payment);
    return { status: 200, jsonBody: toPaymentsModelResponse(paid.option) };
  });
