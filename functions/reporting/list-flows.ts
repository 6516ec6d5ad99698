// GET /organizations/{organizationId}/reportings?flowDate=yyyy-MM-dd — the organization's flows, newest first.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { endpointOptions, type ReportingHandlerDeps } from "./deps";
import { toFlowDto } from "./encoders";
import { parseFlowDateQuery } from "./schemas";

export const makeListFlows = (deps: ReportingHandlerDeps): HttpHandler =>
  endpoint(deps.http, { ...endpointOptions, query: ["flowDate"] }, async (scope) => {
    const flowDate = parseFlowDateQuery(scope.request.query.get("flowDate"));
    const flows = await deps.flows.list(scope.organizationFiscalCode ?? "", flowDate);
    return { status: 200, jsonBody: flows.map(toFlowDto) };
  });
