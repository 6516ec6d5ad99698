// PUT /organizations/{organizationfiscalcode}/paymentoptions/{nav}/notificationfee — the notification platform
// (product `notification-fee`) sets an unpaid option's fee; answers the option as stored.
import type { HttpHandler } from "@azure/functions";
import type { NotificationFeeService } from "../../shared/application/notification-fee";
import { endpoint, type HttpDeps } from "../../shared/http/endpoint";
import { toPaymentOptionResponse } from "../../shared/http/payment-option-response";
import { parseNavPathParam, parseNotificationFeeBody } from "./schemas";

export interface NotificationFeeHandlerDeps {
  http: HttpDeps;
  service: NotificationFeeService;
}

export const notificationFeeRoute = "organizations/{organizationfiscalcode}/paymentoptions/{nav}/notificationfee";

export const makeUpdateNotificationFee = (deps: NotificationFeeHandlerDeps): HttpHandler =>
  endpoint(deps.http, { product: "notification-fee", organizationParam: "organizationfiscalcode" }, async (scope) => {
    const nav = parseNavPathParam(scope.request.params.nav);
    const fee = parseNotificationFeeBody(await scope.readJson());
    const option = await deps.service.update(
      // The endpoint authorised this organization for the caller before the handler runs.
      { organizationFiscalCode: scope.organizationFiscalCode ?? "", caller: scope.caller, now: scope.now },
      nav,
      fee,
    );
    return { status: 200, jsonBody: toPaymentOptionResponse(option) };
  });
