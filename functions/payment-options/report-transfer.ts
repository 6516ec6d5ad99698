// POST /organizations/{organizationfiscalcode}/paymentoptions/{iuv}/transfers/{transferid}/report — product
// `internal`: one transfer reported without a flow; decided exactly as a flow's entry
// (shared/application/flow-ingestion.ts).
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { internalProduct, callContext, type PaymentOptionHandlerDeps } from "./deps";
import { toTransferModelResponse } from "./encoders";
import { parseNavOrIuvParam, parseTransferIdParam } from "./request-schemas";

export const makeReportTransfer = (deps: PaymentOptionHandlerDeps): HttpHandler =>
  endpoint(deps.http, internalProduct, async (scope) => {
    const iuv = parseNavOrIuvParam("iuv", scope.request.params.iuv);
    const transferId = parseTransferIdParam(scope.request.params.transferid);
    const transfer = await deps.service.report(callContext(scope), iuv, transferId);
    return { status: 200, jsonBody: toTransferModelResponse(transfer) };
  });
