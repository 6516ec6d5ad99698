// POST | PUT | DELETE /brokers/{broker}/organizations/{org}/debtpositions/file — a ZIP holding one JSON file of
// positions to create or update, or of IUPDs to delete; 202 with the status URL, processed by processUploadChunk.
import type { HttpHandler } from "@azure/functions";
import { extractSingleJson, parseJsonDocument } from "../../shared/adapters/zip/single-json-zip";
import { uploadLimits, type UploadOperation } from "../../shared/domain/uploads/upload";
import { endpoint } from "../../shared/http/endpoint";
import { callContext } from "./deps";
import { parseToPublish, toPublishQuery } from "./schemas";
import { readUploadedFile, statusLocation, uploadEndpointOptions, type UploadHandlerDeps } from "./upload-deps";

export const makeUploadDebtPositionsFile = (deps: UploadHandlerDeps, operation: UploadOperation): HttpHandler =>
  endpoint(deps.http, { ...uploadEndpointOptions, query: toPublishQuery }, async (scope) => {
    const broker = scope.request.params.brokercode ?? "";
    const toPublish = parseToPublish(scope.request.query.get("toPublish"));
    const zip = await readUploadedFile(scope.request, deps.maxZipBytes);
    const document = parseJsonDocument(extractSingleJson(zip, uploadLimits.maxUnzippedBytes));
    const file = await deps.uploads.submit(callContext(scope), broker, operation, document, toPublish);
    return {
      status: 202,
      headers: {
        Location: statusLocation(broker, file.organizationFiscalCode, file.fileId),
        // A rough hint: the worker applies a few hundred positions a second.
        "Retry-After": String(Math.max(1, Math.ceil(file.submittedItem / 500))),
      },
    };
  });
