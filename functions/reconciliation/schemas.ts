// Parameters and bodies of openapi/reconciliation.json, checked before anything reaches storage.
import type { HttpRequest } from "@azure/functions";
import { z } from "zod";
import { DomainError } from "../../shared/domain/errors";
import { isCalendarDate } from "../../shared/http/dates";

const badRequest = (detail: string) => new DomainError("BAD_REQUEST", detail);

const flowIdSchema = z.string().regex(/^[a-zA-Z0-9\-_]{1,35}$/);

export function parseFlowId(params: Record<string, string>): string {
  const parsed = flowIdSchema.safeParse(params.flowId ?? "");
  if (!parsed.success) throw badRequest("flowId must be 1 to 35 letters, digits, '-' or '_' (identificativoFlusso)");
  return parsed.data;
}

/** The widest period one call may list: a year of flows of one organization. */
export const MAX_PERIOD_DAYS = 366;

/** ?from=&to= (yyyy-MM-dd, inclusive); one bound missing → 30 days from the other; none → the last 30 days. */
export function parsePeriod(query: URLSearchParams, now: Date): { from: string; to: string } {
  const day = 86_400_000;
  const rawFrom = query.get("from");
  const rawTo = query.get("to");
  for (const [name, v] of [
    ["from", rawFrom],
    ["to", rawTo],
  ] as const) {
    if (v !== null && !isCalendarDate(v)) {
      throw badRequest(`${name} must be a date in the format yyyy-MM-dd, got ${JSON.stringify(v.slice(0, 40))}`);
    }
  }
  const shift = (date: string, days: number) =>
    new Date(Date.parse(`${date}T00:00:00.000Z`) + days * day).toISOString().slice(0, 10);
  const to = rawTo ?? (rawFrom === null ? now.toISOString().slice(0, 10) : shift(rawFrom, 30));
  const from = rawFrom ?? shift(to, -30);
  if (from > to) throw badRequest(`from (${from}) must not be after to (${to})`);
  if ((Date.parse(to) - Date.parse(from)) / day > MAX_PERIOD_DAYS) {
    throw badRequest(`The period from ${from} to ${to} is longer than ${MAX_PERIOD_DAYS} days`);
  }
  return { from, to };
}

/** The statement body: XML (application/xml or text/xml), at most `maxBytes`. */
export async function readXmlBody(request: HttpRequest, maxBytes: number): Promise<Buffer> {
  const contentType = request.headers.get("content-type");
  if (contentType === null || !/^(application|text)\/([\w.+-]+\+)?xml\b/i.test(contentType.trim())) {
    throw new DomainError(
      "UNSUPPORTED_MEDIA_TYPE",
      `Content-Type must be application/xml (a camt.053 statement), got ${contentType ?? "none"}`,
    );
  }
  const tooLarge = () =>
    new DomainError("PAYLOAD_TOO_LARGE", `The request body exceeds the limit of ${maxBytes} bytes.`);
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) throw tooLarge();
  const body = Buffer.from(await request.arrayBuffer());
  if (body.length > maxBytes) throw tooLarge();
  if (body.length === 0) throw badRequest("The request body is required: a camt.053 statement.");
  return body;
}
