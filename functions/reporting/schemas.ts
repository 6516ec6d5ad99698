// Query and path parameters of the reporting API (openapi/reporting.json). They become parts of blob names, so they
// are checked against their formats here and never reach storage otherwise.
import { z } from "zod";
import { DomainError } from "../../shared/domain/errors";
import { calendarDate as dateSchema, isCalendarDate } from "../../shared/http/dates";

// The listed flowDate is a date-time (dataOraFlusso in UTC) and the official contract's example passes one here, so a
// date-time is read as its UTC date; the date alone is the documented form.
const dateTimeSchema = z.iso.datetime({ offset: true, local: true }).transform((v, ctx) => {
  const hasOffset = /(?:Z|[+-]\d{2}:\d{2})$/i.test(v);
  const instant = new Date(hasOffset ? v : `${v}Z`);
  // The format check does not know month lengths: 2026-02-30T00:00:00Z passes it and is no instant.
  if (Number.isNaN(instant.getTime()) || !isCalendarDate(v.slice(0, 10))) {
    ctx.addIssue({ code: "custom", message: "not a date-time", input: v });
    return z.NEVER;
  }
  return instant.toISOString().slice(0, 10);
});

// identificativoFlusso (FlussoRiversamento 1.0.4).
const flowIdSchema = z.string().regex(/^[a-zA-Z0-9\-_]{1,35}$/);

const badRequest = (detail: string) => new DomainError("BAD_REQUEST", detail);

/** GET …/reportings?flowDate=yyyy-MM-dd */
export function parseFlowDateQuery(value: string | null): string | undefined {
  if (value === null) return undefined;
  const parsed = dateSchema.safeParse(value);
  if (!parsed.success)
    throw badRequest(`flowDate must be a date in the format yyyy-MM-dd, got ${JSON.stringify(value.slice(0, 40))}`);
  return parsed.data;
}

/** GET …/reportings/{flowId}/date/{date} */
export function parseFlowPath(params: Record<string, string>): { flowId: string; flowDate: string } {
  const flowId = flowIdSchema.safeParse(params.flowId ?? "");
  if (!flowId.success) throw badRequest("flowId must be 1 to 35 letters, digits, '-' or '_' (identificativoFlusso)");
  const raw = params.date ?? "";
  const date = dateSchema.safeParse(raw);
  if (date.success) return { flowId: flowId.data, flowDate: date.data };
  const dateTime = dateTimeSchema.safeParse(raw);
  if (dateTime.success) return { flowId: flowId.data, flowDate: dateTime.data };
  throw badRequest(`date must be the flow date in the format yyyy-MM-dd, got ${JSON.stringify(raw.slice(0, 40))}`);
}

/** Whether an Accept header admits `type`: absent, any type, the same major type or the type itself, with q > 0. */
export function accepts(header: string | null, type: string): boolean {
  if (header === null || header.trim() === "") return true;
  const [major] = type.split("/");
  return header.split(",").some((part) => {
    const [range = "", ...params] = part.split(";").map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    return range === "*/*" || range === type || range === `${major ?? ""}/*`;
  });
}
