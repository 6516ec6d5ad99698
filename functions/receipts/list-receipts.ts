// GET /payments/{organizationfiscalcode}/receipts — one page of the organization's receipts (within the caller's
// segregation codes); a page past the end is 200 with an empty list, as for debt positions (docs/domain/api-surface.md).
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type ReceiptHandlerDeps } from "./deps";
import { toReceiptsInfo } from "./encoders";
import { parseReceiptListQuery, receiptListQueryParameters } from "./schemas";

export const makeListReceipts = (deps: ReceiptHandlerDeps): HttpHandler =>
  endpoint(deps.http, { ...endpointOptions, query: receiptListQueryParameters }, async (scope) => {
    const criteria = parseReceiptListQuery(Object.fromEntries(scope.request.query.entries()));
    const page = await deps.service.list(callContext(scope), criteria);
    return { status: 200, jsonBody: toReceiptsInfo(criteria.page, criteria.limit, page) };
  });
