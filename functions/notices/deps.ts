// What the notice handlers receive from the composition root, and their routes.
import type { NoticeService } from "../../shared/application/notice-service";
import type { CallContext } from "../../shared/application/debt-position-service";
import type { HttpDeps, RequestScope } from "../../shared/http/endpoint";

export interface NoticeHandlerDeps {
  http: HttpDeps;
  notices: NoticeService;
}

export const route = {
  notice: "organizations/{organizationfiscalcode}/debtpositions/{iupd}/notice",
  jobs: "organizations/{organizationfiscalcode}/notices",
  job: "organizations/{organizationfiscalcode}/notices/{jobId}",
} as const;

/** Notices belong to the debt-positions product: whoever may read a position may print it. */
export const endpointOptions = { product: "debt-positions", organizationParam: "organizationfiscalcode" } as const;

export const callContext = (scope: RequestScope): CallContext => ({
  // The endpoint authorised this organization for the caller before the handler runs.
  organizationFiscalCode: scope.organizationFiscalCode ?? "",
  caller: scope.caller,
  now: scope.now,
});
