// Request schemas of the events API (openapi/events.json): the webhook body, path ids, and the query strings.
import { z } from "zod";
import { DomainError } from "../../shared/domain/errors";
import type { NewWebhookInput } from "../../shared/domain/events/webhooks";
import { parseRequest } from "../../shared/http/request-problems";

const webhookBodySchema = z.strictObject({
  url: z.string().min(1).max(2048),
  types: z.array(z.string().max(64)).min(1).max(20),
  description: z.string().max(500).optional(),
});

export function parseWebhookBody(body: unknown): NewWebhookInput {
  return parseRequest(webhookBodySchema, body);
}

const webhookIdSchema = z.string().regex(/^wh_[0-9a-f]{24}$/, "webhookId must be a webhook id (wh_…)");

export function parseWebhookId(value: string | undefined): string {
  const parsed = webhookIdSchema.safeParse(value);
  if (!parsed.success) throw new DomainError("NOT_FOUND", "Not found the webhook");
  return parsed.data;
}

const integerText = (fallback: number | undefined, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!/^\d{1,16}$/.test(v) || n < min || n > max) {
        ctx.addIssue({
          code: "custom",
          message: `must be a whole number from ${min} to ${max}, got "${v.slice(0, 40)}"`,
        });
        return z.NEVER;
      }
      return n;
    });

const feedQuerySchema = z.object({
  after: integerText(0, 0, Number.MAX_SAFE_INTEGER),
  limit: integerText(100, 1, 500),
});

export const feedQueryParameters = Object.keys(feedQuerySchema.shape);

export function parseFeedQuery(query: Record<string, string>): { after: number; limit: number } {
  const parsed = parseRequest(feedQuerySchema, query);
  return { after: parsed.after ?? 0, limit: parsed.limit ?? 100 };
}

const deliveriesQuerySchema = z.object({
  status: z.enum(["delivered", "retrying", "failed"]).optional(),
  before: integerText(undefined, 1, Number.MAX_SAFE_INTEGER),
  limit: integerText(50, 1, 100),
});

export const deliveriesQueryParameters = Object.keys(deliveriesQuerySchema.shape);

export function parseDeliveriesQuery(query: Record<string, string>) {
  const parsed = parseRequest(deliveriesQuerySchema, query);
  return { status: parsed.status, before: parsed.before, limit: parsed.limit ?? 50 };
}

/** RFC 3339 date-time with an offset or Z (no local times: "from" must name one instant). */
const instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
    "must be a date-time such as 2026-11-30T10:00:00Z",
  )
  .refine((v) => !Number.isNaN(Date.parse(v)), "is not a valid date-time");

const replayQuerySchema = z.object({ from: instant });
export const replayQueryParameters = Object.keys(replayQuerySchema.shape);

export function parseReplayQuery(query: Record<string, string>): Date {
  return new Date(parseRequest(replayQuerySchema, query).from);
}
