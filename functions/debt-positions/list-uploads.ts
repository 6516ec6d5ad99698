// GET /brokers/{broker}/organizations/{org}/debtpositions/files?from=&to=&size= — continuation in x-continuation-token.
import type { HttpHandler } from "@azure/functions";
import { z } from "zod";
import { calendarDate } from "../../shared/http/dates";
import { parseRequest } from "../../shared/http/request-problems";
import { endpoint } from "../../shared/http/endpoint";
import { callContext } from "./deps";
import { uploadEndpointOptions, type UploadHandlerDeps } from "./upload-deps";

const querySchema = z.object({
  from: calendarDate.optional(),
  to: calendarDate.optional(),
  size: z
    .string()
    .regex(/^\d{1,4}$/, "expected a whole number from 1 to 1000")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, "expected a whole number from 1 to 1000")
    .optional(),
});

export const makeListUploads = (deps: UploadHandlerDeps): HttpHandler =>
  endpoint(deps.http, { ...uploadEndpointOptions, query: ["from", "to", "size"] }, async (scope) => {
    const q = scope.request.query;
    const parsed = parseRequest(querySchema, {
      from: q.get("from") ?? undefined,
      to: q.get("to") ?? undefined,
      size: q.get("size") ?? undefined,
    });
    const page = await deps.uploads.list(
      callContext(scope),
      scope.request.params.brokercode ?? "",
      { from: parsed.from, to: parsed.to },
      parsed.size ?? 100,
      scope.request.headers.get("x-continuation-token") ?? undefined,
    );
    const headers: Record<string, string> = {};
    if (page.continuation !== undefined) headers["x-continuation-token"] = page.continuation;
    return { status: 200, jsonBody: { fileIds: page.files.map((f) => f.fileId), size: page.files.length }, headers };
  });
