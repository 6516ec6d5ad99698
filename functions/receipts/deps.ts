// What the receipts handlers receive from the composition root.
import type { HttpDeps } from "../../shared/http/endpoint";
import type { ReceiptService } from "../../shared/application/receipt-service";

export interface ReceiptHandlerDeps {
  http: HttpDeps;
  service: ReceiptService;
}

export const route = {
  collection: "payments/{organizationfiscalcode}/receipts",
  item: "payments/{organizationfiscalcode}/receipts/{iuv}",
} as const;

export const endpointOptions = { product: "receipts", organizationParam: "organizationfiscalcode" } as const;

export { callContext } from "../../shared/http/call-context";
