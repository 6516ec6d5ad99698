// Request schemas of the payment-option operations (paid outside pagoPA, internal pay and report, verify) and of
// the IBAN change: AlreadyPaidPaymentOptionModel, PayPaymentOptionModel, UpdateTransferIbanMassiveModel.
import { z } from "zod";
import type { Payment } from "../../shared/domain/debt-positions/payments";
import { IBAN_CHANGE_MAX_LIMIT } from "../../shared/domain/debt-positions/iban-change";
import { toIso } from "../../shared/domain/debt-positions/model";
import { DomainError } from "../../shared/domain/errors";
import { parseRequest } from "../../shared/http/request-problems";
import { toInstant } from "../debt-positions/schemas";

const show = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

const parse = <T>(schema: z.ZodType<T>, body: unknown): T => parseRequest(schema, body);

const dateTime = z.string().transform((text, ctx) => {
  const instant = toInstant(text);
  if (instant === undefined) {
    ctx.addIssue({ code: "custom", message: "must be an RFC 3339 date-time, e.g. 2025-05-09T05:35:59.451Z" });
    return z.NEVER;
  }
  return instant;
});

const pathParam = (name: string, pattern: RegExp, value: string | undefined): string => {
  if (value === undefined || !pattern.test(value)) {
    throw new DomainError("BAD_REQUEST", `Invalid value ${show(value ?? "")} for property ${name}`);
  }
  return value;
};

/** NAV or IUV in a path: letters, digits, '_' and '-' (what our claims accept), at most 35. */
export const parseNavOrIuvParam = (name: "nav" | "iuv", value: string | undefined): string =>
  pathParam(name, /^[\w-]{1,35}$/, value);

/** Path `{transferid}`: "1".."5" are the only transfer ids; anything else of a sane shape is simply not found. */
export const parseTransferIdParam = (value: string | undefined): string => pathParam("transferid", /^\w{1,10}$/, value);

/** verify's path parameters (orgs_payment_options.json): digits only. */
export const parseNoticeNumberParam = (value: string | undefined): string =>
  pathParam("notice-number", /^\d{1,30}$/, value);

/** AlreadyPaidPaymentOptionModel: `paymentDate` optional (then the time of the call). */
export function parseAlreadyPaidBody(body: unknown): string | undefined {
  return parse(z.object({ paymentDate: dateTime.nullish().transform((v) => v ?? undefined) }), body).paymentDate;
}

const payBodySchema = z.object({
  paymentDate: dateTime.nullish().transform((v) => v ?? undefined),
  paymentMethod: z.string().max(256, "size must be between 0 and 256").nullish(),
  pspCode: z.string().max(35, "size must be between 0 and 35").nullish(),
  pspTaxCode: z.string().max(70, "size must be between 0 and 70").nullish(),
  pspCompany: z.string({ error: "pspCompany is required" }).regex(/\S/, "pspCompany is required").max(256),
  idReceipt: z.string({ error: "idReceipt is required" }).regex(/\S/, "idReceipt is required").max(256),
  // The contract's fee is a string of cents ("0" by default); a number is accepted too.
  fee: z
    .union([
      z.string().regex(/^\d{1,15}$/, "fee must be a whole number of cents"),
      z.int().min(0).max(999_999_999_999_999),
    ])
    .nullish()
    .transform((v) => (v === null || v === undefined ? 0 : Number(v))),
});

/** PayPaymentOptionModel → the payment a receipt would carry. */
export function parsePayBody(body: unknown, now: Date): Payment {
  const b = parse(payBodySchema, body);
  return {
    paymentDate: b.paymentDate ?? toIso(now),
    paymentMethod: b.paymentMethod ?? undefined,
    pspCode: b.pspCode ?? undefined,
    pspTaxCode: b.pspTaxCode ?? undefined,
    pspCompany: b.pspCompany,
    idReceipt: b.idReceipt,
    fee: b.fee,
  };
}

/** UpdateTransferIbanMassiveModel: `{newIban}`, required. */
export function parseNewIbanBody(body: unknown): string {
  return parse(
    z.object({
      newIban: z
        .string({ error: "newIban is required" })
        .min(1, "newIban is required")
        .max(35, "The IBAN must not be blank and must not exceed 35 characters.")
        .regex(/^[A-Za-z0-9]+$/, "IBAN must not contain spaces or special characters."),
    }),
    body,
  ).newIban;
}

/** `oldIban` (required, not blank) and `limit` (1..1000, default 1000) of the IBAN change. */
export function parseIbanChangeQuery(query: URLSearchParams): { oldIban: string; limit: number } {
  const oldIban = query.get("oldIban")?.trim() ?? "";
  if (oldIban === "") throw new DomainError("BAD_REQUEST", "oldIban: must not be blank");
  if (oldIban.length > 35 || !/^[A-Za-z0-9]+$/.test(oldIban)) {
    throw new DomainError("BAD_REQUEST", `Invalid value ${show(oldIban)} for property oldIban`);
  }
  const rawLimit = query.get("limit");
  if (rawLimit === null || rawLimit === "") return { oldIban, limit: IBAN_CHANGE_MAX_LIMIT };
  if (!/^\d{1,9}$/.test(rawLimit))
    throw new DomainError("BAD_REQUEST", `Invalid value ${show(rawLimit)} for property limit`);
  const limit = Number(rawLimit);
  if (limit < 1 || limit > IBAN_CHANGE_MAX_LIMIT) {
    throw new DomainError(
      "BAD_REQUEST",
      `updateTransferIbanMassive.limit: must be between 1 and ${IBAN_CHANGE_MAX_LIMIT}`,
    );
  }
  return { oldIban, limit };
}
