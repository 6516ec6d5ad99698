// GET /organizations/{organizationfiscalcode}/debtpositions — one page, with the filters and ordering of docs/domain/debt-positions.md#list.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { listQueryParameters, parseListQuery } from "./list-query";
import { callContext, endpointOptions, type DebtPositionHandlerDeps } from "./deps";
import { toBaseResponse, toPageInfo } from "./encoders";

export const makeListDebtPositions = (deps: DebtPositionHandlerDeps): HttpHandler =>
  endpoint(deps.http, { ...endpointOptions, query: listQueryParameters }, async (scope) => {
    const criteria = parseListQuery(Object.fromEntries(scope.request.query.entries()));
    const page = await deps.service.list(callContext(scope), criteria);
    for (const bad of page.unreadable ?? []) {
      scope.log.error(`list: skipped unreadable debt position document ${bad.id}`, { reason: bad.reason });
    }
    return {
      status: 200,
      jsonBody: {
        payment_position_list: page.items.map(toBaseResponse),
        page_info: toPageInfo(criteria.page, criteria.limit, page.items.length, page.total),
      },
    };
  });
