// Request schemas of the notice API (openapi/notices.json).
import { z } from "zod";
import type { NoticeJobRequest } from "../../shared/application/notice-service";
import { DomainError } from "../../shared/domain/errors";
import { noticeArchiveFormats } from "../../shared/domain/notices/notice-job";
import { calendarDate } from "../../shared/http/dates";
import { parseRequest } from "../../shared/http/request-problems";

// The debt-position API's IUPD rule: letters, digits, spaces and _ * - (they become parts of storage names).
const iupdSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\w* -]+$/, "iupd must contain only letters, digits, spaces and the characters _ * -");

export function parseIupdParam(value: string | undefined): string {
  const parsed = iupdSchema.safeParse(value);
  if (!parsed.success)
    throw new DomainError(
      "BAD_REQUEST",
      `Invalid value ${JSON.stringify(value?.slice(0, 40) ?? "")} for property iupd`,
    );
  return parsed.data;
}

export function parseJobIdParam(value: string | undefined): string {
  const parsed = z.uuid().safeParse(value);
  if (!parsed.success)
    throw new DomainError(
      "BAD_REQUEST",
      `Invalid value ${JSON.stringify(value?.slice(0, 40) ?? "")} for property jobId: a UUID is expected`,
    );
  return parsed.data;
}

/** A bounded list: the body limit already caps it, this keeps the error clear. */
const maxListed = 100_000;

export const noticeJobRequestSchema = z
  .strictObject({
    iupds: z.array(iupdSchema).min(1).max(maxListed).optional(),
    filter: z
      .strictObject({
        status: z.enum(["PUBLISHED", "VALID"]).optional(),
        dueDateFrom: calendarDate.optional(),
        dueDateTo: calendarDate.optional(),
      })
      .refine((f) => f.dueDateFrom === undefined || f.dueDateTo === undefined || f.dueDateFrom <= f.dueDateTo, {
        message: "dueDateFrom must not be after dueDateTo",
      })
      .optional(),
    format: z.enum(noticeArchiveFormats).default("ZIP"),
  })
  .refine((b) => (b.iupds === undefined) !== (b.filter === undefined), {
    message: "send exactly one of iupds (the positions) and filter (status and due-date window)",
  });

/** The due-date window in the stored instants' form (UTC, inclusive days). */
export function parseNoticeJobRequest(body: unknown): NoticeJobRequest {
  const { iupds, filter, format } = parseRequest(noticeJobRequestSchema, body);
  if (iupds !== undefined) return { format, selection: { kind: "iupds", iupds: [...new Set(iupds)] } };
  const from = filter?.dueDateFrom;
  const to = filter?.dueDateTo;
  const dueDate =
    from === undefined && to === undefined
      ? undefined
      : { from: `${from ?? "1970-01-01"}T00:00:00.000Z`, to: `${to ?? "9999-12-31"}T23:59:59.999Z` };
  return { format, selection: { kind: "filter", status: filter?.status, dueDate } };
}
