// Query and path schemas of the receipts API (openapi/receipts.json: page default 0, limit default 50, max 999).
import { z } from "zod";
import { parseRequest } from "../../shared/http/request-problems";
import { calendarDate } from "../../shared/http/dates";
import type { ReceiptListCriteria } from "../../shared/application/receipt-service";

const integerText = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!/^\d{1,9}$/.test(v) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

// Values go into query parameters and blob names: printable, no separators, bounded like the XSD's stText35.
const code = (name: string) =>
  z
    .string()
    .regex(/^[\w.-]{1,35}$/, `${name} must be 1 to 35 letters, digits, '.', '_' or '-'`)
    .optional();

const listQuerySchema = z.object({
  page: integerText(0, 0, 1_000_000),
  limit: integerText(50, 1, 999),
  debtor: code("debtor"),
  service: code("service"),
  from: calendarDate.optional(),
  to: calendarDate.optional(),
});

const iuvSchema = z.string().regex(/^[\w.-]{1,35}$/, "iuv must be 1 to 35 letters, digits, '.', '_' or '-'");

export const receiptListQueryParameters = Object.keys(listQuerySchema.shape);

export function parseReceiptListQuery(query: Record<string, string>): ReceiptListCriteria {
  return parseRequest(listQuerySchema, query);
}

export function parseIuvPathParam(value: string | undefined): string {
  return parseRequest(iuvSchema, value);
}
