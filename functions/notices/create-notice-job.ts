// POST /organizations/{organizationfiscalcode}/notices — queues a batch of notices (a list of IUPDs, or a status and
// due-date window) rendered into one ZIP or one merged PDF; 202 with the job to poll.
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext, endpointOptions, type NoticeHandlerDeps } from "./deps";
import { toNoticeJobResponse } from "./encoders";
import { parseNoticeJobRequest } from "./schemas";

export const makeCreateNoticeJob = (deps: NoticeHandlerDeps): HttpHandler =>
  endpoint(deps.http, endpointOptions, async (scope) => {
    const request = parseNoticeJobRequest(await scope.readJson());
    const job = await deps.notices.createJob(callContext(scope), request);
    return {
      status: 202,
      jsonBody: toNoticeJobResponse({ job }),
      headers: {
        Location: `/organizations/${job.organizationFiscalCode}/notices/${job.jobId}`,
        "Retry-After": "2",
      },
    };
  });
