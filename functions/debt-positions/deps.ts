// What every debt-position handler receives from the composition root.
import type { HttpDeps } from "../../shared/http/endpoint";
import type { DebtPositionService } from "../../shared/application/debt-position-service";

export interface DebtPositionHandlerDeps {
  http: HttpDeps;
  service: DebtPositionService;
}

export const route = {
  collection: "organizations/{organizationfiscalcode}/debtpositions",
  bulk: "organizations/{organizationfiscalcode}/debtpositions/bulk",
  item: "organizations/{organizationfiscalcode}/debtpositions/{iupd}",
  publish: "organizations/{organizationfiscalcode}/debtpositions/{iupd}/publish",
  invalidate: "organizations/{organizationfiscalcode}/debtpositions/{iupd}/invalidate",
  // v2 (debt-position-openapi_external_v2.json): bulk create, update and delete on the collection.
  v2Collection: "v2/organizations/{organizationfiscalcode}/debtpositions",
} as const;

export const endpointOptions = { product: "debt-positions", organizationParam: "organizationfiscalcode" } as const;

export { callContext } from "../../shared/http/call-context";
