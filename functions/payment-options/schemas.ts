// Request schemas of PUT …/paymentoptions/{nav}/notificationfee (openapi/receipts.json NotificationFeeUpdateModel;
// messages of docs/domain/notification-fee.md).
import { z } from "zod";
import { MAX_AMOUNT_CENTS } from "../../shared/domain/money";
import { parseRequest } from "../../shared/http/request-problems";

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

export function parseNavPathParam(value: string | undefined): string {
  return parseRequest(navSchema, value);
}

export function parseNotificationFeeBody(body: unknown): number {
  return parseRequest(notificationFeeSchema, body).notificationFee;
}
