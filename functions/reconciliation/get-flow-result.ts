// GET /organizations/{organizationId}/reportings/{flowId}/result — what applying the flow did, entry by entry (both
// sources: XML and FdR-3), with the revision it is about.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { endpointOptions, type ReconciliationHandlerDeps } from "./deps";
import { toFlowResultDto } from "./encoders";
import { parseFlowId } from "./schemas";

export const makeGetFlowResult = (deps: ReconciliationHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const flowId = parseFlowId(scope.request.params);
    const { record, result } = await deps.service.result(scope.organizationFiscalCode ?? "", flowId);
    return { status: 200, jsonBody: toFlowResultDto(record, result) };
  });
