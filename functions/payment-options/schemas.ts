// Request schemas of PUT …/paymentoptions/{nav}/notificationfee (openapi/receipts.json NotificationFeeUpdateModel;
// messages of reference §4.4).
import { z } from "zod";
import { DomainError } from "../../shared/domain/errors";
import { MAX_AMOUNT_CENTS } from "../../shared/domain/money";

const navSchema = z.string().regex(/^[\w-]{1,35}$/, "nav must be 1 to 35 letters, digits, '_' or '-'");

const notificationFeeSchema = z.object({
  notificationFee: z
    .number({
      error: (iss) => (iss.input === undefined || iss.input === null ? "Notification fee is required" : undefined),
    })
    .int("notificationFee must be a whole number of euro-cents")
    .min(0, "Notification fee must be greater or equals to zero")
    .max(MAX_AMOUNT_CENTS, `Notification fee must be at most ${MAX_AMOUNT_CENTS} eurocents (999,999,999.99 euros)`),
});

const badRequest = (error: z.ZodError) => new DomainError("BAD_REQUEST", error.issues.map((i) => i.message).join("; "));

export function parseNavPathParam(value: string | undefined): string {
  const parsed = navSchema.safeParse(value);
  if (!parsed.success) throw badRequest(parsed.error);
  return parsed.data;
}

export function parseNotificationFeeBody(body: unknown): number {
  const parsed = notificationFeeSchema.safeParse(body);
  if (!parsed.success) throw badRequest(parsed.error);
  return parsed.data.notificationFee;
}
