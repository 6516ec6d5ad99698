// GET /organizations/{organizationfiscalcode}/paymentoptions/{nav} — one option with its debtor and its position's
// effective status (an IUV is accepted in place of the NAV).
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { debtPositionsProduct, callContext, type PaymentOptionHandlerDeps } from "./deps";
import { toPaymentsWithDebtorInfo } from "./encoders";
import { parseNavOrIuvParam } from "./request-schemas";

export const makeGetPaymentOptionByNav = (deps: PaymentOptionHandlerDeps): HttpHandler =>
  endpoint(deps.http, debtPositionsProduct, async (scope) => {
    const nav = parseNavOrIuvParam("nav", scope.request.params.nav);
    const found = await deps.service.getByNav(callContext(scope), nav);
    return { status: 200, jsonBody: toPaymentsWithDebtorInfo(found) };
  });
