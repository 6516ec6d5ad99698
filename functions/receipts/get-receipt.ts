// GET /payments/{organizationfiscalcode}/receipts/{iuv} — the receipt XML as received, application/xml (always UTF-8:
// ingestion accepts nothing else, safe-xml.ts).
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type ReceiptHandlerDeps } from "./deps";
import { parseIuvPathParam } from "./schemas";

export const makeGetReceipt = (deps: ReceiptHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const iuv = parseIuvPathParam(scope.request.params.iuv);
    const xml = await deps.service.get(callContext(scope), iuv);
    return { status: 200, headers: { "Content-Type": "application/xml" }, body: xml.toString("utf8") };
  });
