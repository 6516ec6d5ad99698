// GET /brokers/{broker}/organizations/{org}/debtpositions/files?from=&to=&size= — continuation in x-continuation-token.
import type { HttpHandler } from "@azure/functions";
import { z } from "zod";
import { DomainError } from "../../shared/domain/errors";
import { endpoint } from "../../shared/http/endpoint";
import { callContext } from "./deps";
import { uploadEndpointOptions, type UploadHandlerDeps } from "./upload-deps";

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date yyyy-MM-dd")
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00.000Z`);
    return Number.isFinite(t) && new Date(t).toISOString().startsWith(d);
  }, "not a calendar date");

const querySchema = z.object({
  from: day.optional(),
  to: day.optional(),
  size: z
    .string()
    .regex(/^\d{1,4}$/, "expected a whole number from 1 to 1000")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, "expected a whole number from 1 to 1000")
    .optional(),
});

export const makeListUploads = (deps: UploadHandlerDeps): HttpHandler =>
  endpoint(deps.http, uploadEndpointOptions, async (scope) => {
    const q = scope.request.query;
    const parsed = querySchema.safeParse({
      from: q.get("from") ?? undefined,
      to: q.get("to") ?? undefined,
      size: q.get("size") ?? undefined,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DomainError("BAD_REQUEST", `${issue?.path.join(".") ?? "query"}: ${issue?.message ?? "invalid"}`);
    }
    const page = await deps.uploads.list(
      callContext(scope),
      scope.request.params.brokercode ?? "",
      { from: parsed.data.from, to: parsed.data.to },
      parsed.data.size ?? 100,
      scope.request.headers.get("x-continuation-token") ?? undefined,
    );
    const headers: Record<string, string> = {};
    if (page.continuation !== undefined) headers["x-continuation-token"] = page.continuation;
    return { status: 200, jsonBody: { fileIds: page.files.map((f) => f.fileId), size: page.files.length }, headers };
  });
