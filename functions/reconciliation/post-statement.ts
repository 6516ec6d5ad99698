// POST /organizations/{organizationId}/statements — a camt.053 bank statement of the organization's treasury account
// (the XML body): its credits are kept and matched to flows. The same statement twice changes nothing (200 again,
// newCredits 0). A document that is not an acceptable statement is 400 and nothing of it is kept.
import type { HttpHandler } from "@azure/functions";
import { ingestStatement } from "../../shared/application/reconciliation";
import { DomainError } from "../../shared/domain/errors";
import { endpoint } from "../../shared/http/endpoint";
import { endpointOptions, type ReconciliationHandlerDeps } from "./deps";
import { toStatementReportDto } from "./encoders";
import { readXmlBody } from "./schemas";

export const makePostStatement = (deps: ReconciliationHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const body = await readXmlBody(scope.request, deps.http.maxBodyBytes);
    const outcome = await ingestStatement(scope.organizationFiscalCode ?? "", body, {
      ...deps.statements,
      log: scope.log,
    });
    if (!outcome.accepted) throw new DomainError("STATEMENT_REJECTED", outcome.reason);
    return { status: 200, jsonBody: toStatementReportDto(outcome.report) };
  });
