// What the receipts handlers receive from the composition root.
import type { HttpDeps, RequestScope } from "../../shared/http/endpoint";
import type { ReceiptCallContext, ReceiptService } from "../../shared/application/receipt-service";

export interface ReceiptHandlerDeps {
  http: HttpDeps;
  service: ReceiptService;
}

export const route = {
  collection: "payments/{organizationfiscalcode}/receipts",
  item: "payments/{organizationfiscalcode}/receipts/{iuv}",
} as const;

export const endpointOptions = { product: "receipts", organizationParam: "organizationfiscalcode" } as const;

export const callContext = (scope: RequestScope): ReceiptCallContext => ({
  // The endpoint authorised this organization for the caller before the handler runs.
  organizationFiscalCode: scope.organizationFiscalCode ?? "",
  caller: scope.caller,
});
