// What the notice handlers receive from the composition root, and their routes.
import type { NoticeService } from "../../shared/application/notice-service";
import type { HttpDeps } from "../../shared/http/endpoint";

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

export { callContext } from "../../shared/http/call-context";
