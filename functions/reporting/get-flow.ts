// GET /organizations/{organizationId}/reportings/{flowId}/date/{date} — the flow as filed: a FlussoRiversamento XML as
// received, or, for a flow read from FdR-3, its newest revision as JSON (the FdR-3 flow with its payments). One flow
// model, two sources: a flow is never converted into the other's shape, so an FdR-3 flow asked for as XML only is 406.
import type { HttpHandler } from "@azure/functions";
import { DomainError } from "../../shared/domain/errors";
import { endpoint } from "../../shared/http/endpoint";
import { endpointOptions, type ReportingHandlerDeps } from "./deps";
import { accepts, parseFlowPath } from "./schemas";

export const makeGetFlow = (deps: ReportingHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const { flowId, flowDate } = parseFlowPath(scope.request.params);
    const flow = await deps.flows.get({ organization: scope.organizationFiscalCode ?? "", flowId, flowDate });
    if (flow.format === "json") {
      if (!accepts(scope.request.headers.get("accept"), "application/json")) {
        throw new DomainError(
          "NOT_ACCEPTABLE",
          `Flow ${flowId} was received from FdR-3 and is available as application/json only`,
        );
      }
      return { status: 200, body: new Uint8Array(flow.bytes), headers: { "Content-Type": "application/json" } };
    }
    // The bytes as filed: the XML declaration inside says their encoding.
    return { status: 200, body: new Uint8Array(flow.bytes), headers: { "Content-Type": "application/xml" } };
  });
