// What the payment-option handlers receive from the composition root, and their routes.
import type { PaymentOptionService } from "../../shared/application/payment-option-service";
import type { HttpDeps } from "../../shared/http/endpoint";

export interface PaymentOptionHandlerDeps {
  http: HttpDeps;
  service: PaymentOptionService;
}

export const paymentOptionRoute = {
  paid: "organizations/{organizationfiscalcode}/paymentoptions/paids/{nav}",
  byNav: "organizations/{organizationfiscalcode}/paymentoptions/{nav}",
  positionByIuv: "organizations/{organizationfiscalcode}/paymentoptions/{iuv}/debtposition",
  pay: "organizations/{organizationfiscalcode}/paymentoptions/{nav}/pay",
  report: "organizations/{organizationfiscalcode}/paymentoptions/{iuv}/transfers/{transferid}/report",
  // orgs_payment_options.json spells these parameters with hyphens; ASP.NET route templates accept them.
  verify: "payment-options/organizations/{organization-fiscal-code}/notices/{notice-number}",
  ibans: "organizations/{organizationfiscalcode}/debtpositions/transfers",
} as const;

export const debtPositionsProduct = { product: "debt-positions", organizationParam: "organizationfiscalcode" } as const;
export const verifyProduct = { product: "debt-positions", organizationParam: "organization-fiscal-code" } as const;
export const internalProduct = { product: "internal", organizationParam: "organizationfiscalcode" } as const;

export { callContext } from "../../shared/http/call-context";
