// GET /brokers/{broker}/organizations/{org}/debtpositions/file/{fileId}/status
import type { HttpHandler } from "@azure/functions";
import { endpoint } from "../../shared/http/endpoint";
import { callContext } from "./deps";
import { uploadEndpointOptions, type UploadHandlerDeps } from "./upload-deps";

export const makeGetUploadStatus = (deps: UploadHandlerDeps): HttpHandler =>
  endpoint(deps.http, uploadEndpointOptions, async (scope) => {
    const { brokercode = "", fileid = "" } = scope.request.params;
    return { status: 200, jsonBody: await deps.uploads.status(callContext(scope), brokercode, fileid) };
  });
