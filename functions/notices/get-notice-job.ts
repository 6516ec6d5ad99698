// GET /organizations/{organizationfiscalcode}/notices/{jobId} — a batch's progress, then its download link.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type NoticeHandlerDeps } from "./deps";
import { toNoticeJobResponse } from "./encoders";
import { parseJobIdParam } from "./schemas";

export const makeGetNoticeJob = (deps: NoticeHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const jobId = parseJobIdParam(scope.request.params.jobId);
    const view = await deps.notices.getJob(callContext(scope), jobId);
    const running = view.job.status === "QUEUED" || view.job.status === "RUNNING";
    return {
      status: 200,
      jsonBody: toNoticeJobResponse(view),
      ...(running ? { headers: { "Retry-After": "2" } } : {}),
    };
  });
