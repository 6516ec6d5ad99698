// What the reporting handlers receive from the composition root, their routes and their authorisation.
import type { FlowService } from "../../shared/application/flow-service";
import type { HttpDeps } from "../../shared/http/endpoint";

export interface ReportingHandlerDeps {
  http: HttpDeps;
  flows: FlowService;
}

export const route = {
  list: "organizations/{organizationId}/reportings",
  item: "organizations/{organizationId}/reportings/{flowId}/date/{date}",
} as const;

// docs/domain/api-surface.md: `reporting` is never part of a default grant; a key must have been given it explicitly.
export const endpointOptions = { product: "reporting", organizationParam: "organizationId" } as const;
