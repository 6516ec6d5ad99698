// GET /organizations/{organizationId}/reconciliations?from=&to= — per flow of the period: expected, credited, status.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { endpointOptions, type ReconciliationHandlerDeps } from "./deps";
import { toReconciliationDto } from "./encoders";
import { parsePeriod } from "./schemas";

export const makeListReconciliations = (deps: ReconciliationHandlerDeps): HttpHandler =>
  endpoint(deps.http, { ...endpointOptions, query: ["from", "to"] }, async (scope) => {
    const { from, to } = parsePeriod(scope.request.query, scope.now);
    const list = await deps.service.list(scope.organizationFiscalCode ?? "", from, to, scope.now);
    return {
      status: 200,
      jsonBody: { from: list.from, to: list.to, reconciliations: list.flows.map(toReconciliationDto) },
    };
  });
