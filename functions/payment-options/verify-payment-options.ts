// POST /payment-options/organizations/{organization-fiscal-code}/notices/{notice-number} — the payment options of
// the notice's position for pagoPA's payment-options service; errors as orgs_payment_options.json's ErrorResponse
// with their ODP codes (the subscription key's 401/403 stay ProblemJson, as on every operation).
import type { HttpHandler } from "@azure/functions";
import { isDomainError } from "../../shared/domain/errors";
import { endpoint } from "../../shared/http/endpoint";
import { verifyProduct, callContext, type PaymentOptionHandlerDeps } from "./deps";
import { odpError, toVerifyResponse } from "./encoders";
import { parseNoticeNumberParam } from "./request-schemas";

export const makeVerifyPaymentOptions = (deps: PaymentOptionHandlerDeps): HttpHandler =>
  endpoint(deps.http, verifyProduct, async (scope) => {
    const org = scope.organizationFiscalCode ?? "";
    if (!/^\d{1,30}$/.test(org))
      return odpError("ODP-104", `Invalid organization fiscal code ${org.slice(0, 40)}`, scope.now);
    let nav: string;
    try {
      nav = parseNoticeNumberParam(scope.request.params["notice-number"]);
    } catch (e) {
      if (isDomainError(e)) return odpError("ODP-101", e.detail, scope.now);
      throw e;
    }
    let outcome;
    try {
      outcome = await deps.service.verify(callContext(scope), nav);
    } catch (e) {
      // Throttling and outages the adapters name (429, 503) keep their ProblemJson; anything else is the
      // contract's ODP-103, logged with the request id and never leaking internals.
      // A stored position that no longer parses: the contract's system error, as the SOAP verify answers it
      // (PAA_SYSTEM_ERROR), logged for an operator (docs/adr/0065-unreadable-stored-positions.md).
      if (isDomainError(e) && e.code === "DEBT_POSITION_UNREADABLE") {
        scope.log.error(`${e.code}: ${e.detail}`);
        return odpError(
          "ODP-103",
          `The debt position of notice ${nav} of organization ${org} cannot be read`,
          scope.now,
        );
      }
      if (isDomainError(e)) throw e;
      scope.log.error(`verify failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return odpError("ODP-103", `Unexpected error; quote the X-Request-Id ${scope.requestId}`, scope.now);
    }
    if (outcome.ok) return { status: 200, jsonBody: toVerifyResponse(outcome.value) };
    switch (outcome.refusal) {
      case "unknown-organization":
        return odpError("ODP-104", `The organization ${org} is not registered`, scope.now);
      case "unknown-notice":
      case "forbidden":
        return odpError("ODP-107", `No payment option found for notice ${nav} of organization ${org}`, scope.now);
      case "not-yet-valid":
        return odpError("ODP-107", `The notice ${nav} of organization ${org} is not payable yet`, scope.now);
    }
  });
