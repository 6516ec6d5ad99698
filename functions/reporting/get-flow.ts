// GET /organizations/{organizationId}/reportings/{flowId}/date/{date} — the FlussoRiversamento XML as received.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { endpointOptions, type ReportingHandlerDeps } from "./deps";
import { parseFlowPath } from "./schemas";

export const makeGetFlow = (deps: ReportingHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const { flowId, flowDate } = parseFlowPath(scope.request.params);
    const xml = await deps.flows.get({ organization: scope.organizationFiscalCode ?? "", flowId, flowDate });
    // The bytes as filed: the XML declaration inside says their encoding.
    return { status: 200, body: new Uint8Array(xml), headers: { "Content-Type": "application/xml" } };
  });
