// What the reconciliation handlers receive from the composition root, their routes and their authorisation
// (openapi/reconciliation.json): every operation belongs to the `reconciliation` product.
import type { ReconciliationService, StatementDeps } from "../../shared/application/reconciliation";
import type { HttpDeps } from "../../shared/http/endpoint";

export interface ReconciliationHandlerDeps {
  http: HttpDeps;
  service: ReconciliationService;
  statements: Omit<StatementDeps, "log">;
}

export const route = {
  result: "organizations/{organizationId}/reportings/{flowId}/result",
  statements: "organizations/{organizationId}/statements",
  reconciliations: "organizations/{organizationId}/reconciliations",
} as const;

export const endpointOptions = { product: "reconciliation", organizationParam: "organizationId" } as const;
