// Query and path schemas of the receipts API (openapi/receipts.json; seed: page default 0, limit default 50, max 999).
import { z } from "zod";
import { DomainError } from "../../shared/domain/errors";
import { isCalendarDate } from "../../shared/http/dates";
import type { ReceiptListCriteria } from "../../shared/application/receipt-service";

const integerText = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!/^\d{1,9}$/.test(v) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `${name} must be a whole number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

/** yyyy-MM-dd naming a real day (2026-02-30 is refused, not rolled over). */
const day = (name: string) =>
  z.string().refine(isCalendarDate, `${name} must be a real calendar day written yyyy-MM-dd`).optional();

// Values go into query parameters and blob names: printable, no separators, bounded like the XSD's stText35.
const code = (name: string) =>
  z
    .string()
    .regex(/^[\w.-]{1,35}$/, `${name} must be 1 to 35 letters, digits, '.', '_' or '-'`)
    .optional();

const listQuerySchema = z.object({
  page: integerText("page", 0, 0, 1_000_000),
  limit: integerText("limit", 50, 1, 999),
  debtor: code("debtor"),
  service: code("service"),
  from: day("from"),
  to: day("to"),
});

const iuvSchema = z.string().regex(/^[\w.-]{1,35}$/, "iuv must be 1 to 35 letters, digits, '.', '_' or '-'");

const badRequest = (error: z.ZodError) => new DomainError("BAD_REQUEST", error.issues.map((i) => i.message).join("; "));

export function parseReceiptListQuery(query: Record<string, string>): ReceiptListCriteria {
  const parsed = listQuerySchema.safeParse(query);
  if (!parsed.success) throw badRequest(parsed.error);
  return parsed.data;
}

export function parseIuvPathParam(value: string | undefined): string {
  const parsed = iuvSchema.safeParse(value);
  if (!parsed.success) throw badRequest(parsed.error);
  return parsed.data;
}
