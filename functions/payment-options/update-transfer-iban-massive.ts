// PATCH /organizations/{organizationfiscalcode}/debtpositions/transfers?oldIban=&limit= — replaces an IBAN on the
// unpaid transfers of the organization's payable positions, at most `limit` per call; calling again continues.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { debtPositionsProduct, callContext, type PaymentOptionHandlerDeps } from "./deps";
import { parseIbanChangeQuery, parseNewIbanBody } from "./request-schemas";

export const makeUpdateTransferIbanMassive = (deps: PaymentOptionHandlerDeps): HttpHandler =>
  endpoint(deps.http, { ...debtPositionsProduct, query: ["oldIban", "limit"] }, async (scope) => {
    const { oldIban, limit } = parseIbanChangeQuery(scope.request.query);
    const newIban = parseNewIbanBody(await scope.readJson());
    const { updatedTransfers, unreadable } = await deps.service.changeIban(callContext(scope), {
      oldIban,
      newIban,
      limit,
    });
    for (const bad of unreadable ?? []) {
      scope.log.error(`IBAN change: skipped unreadable debt position document ${bad.id}`, { reason: bad.reason });
    }
    return {
      status: 200,
      jsonBody: { description: `Updated IBAN on ${updatedTransfers} Transfers`, updatedTransfers },
    };
  });
