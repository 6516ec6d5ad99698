// Request schemas of the debt-position API: PaymentPositionModel (create/update) and MultiplePaymentPositionModel
// (bulk). They mirror the reference's bean validation (docs/domain/debt-positions.md#model, rule V1) with its messages; business rules
// (V2–V11) are in shared/domain/debt-positions/validation.ts and run after these.
import { z } from "zod";
import type { DebtPositionInput } from "../../shared/domain/debt-positions/model";
import {
  MAX_PAYMENT_OPTIONS,
  MAX_TRANSFERS,
  paymentOptionCountError,
  transferCountError,
} from "../../shared/domain/debt-positions/validation";
import { DomainError } from "../../shared/domain/errors";
import { MAX_AMOUNT_CENTS } from "../../shared/domain/money";
import { parseBooleanParam } from "../../shared/http/query-parameters";
import { MAX_REPORTED_PROBLEMS, parseRequest, problemsOf, refuse, showValue } from "../../shared/http/request-problems";

// ---------------------------------------------------------------------------------------------------------------
// Messages. Where docs/domain/debt-positions.md#model names an annotation message it is copied verbatim; otherwise the Hibernate default
// it would have produced (docs/domain/debt-positions.md#validation V1: "size must be between 0 and 140").
// ---------------------------------------------------------------------------------------------------------------
const SIZE_0_140 = "size must be between 0 and 140";
const NOT_BLANK = "must not be blank";
const msg = {
  iupd: "iupd is required",
  type: "type is required",
  fiscalCode: "fiscal code is required",
  fullName: "full name is required",
  companyName: "company name is required",
  country: "The country must be reported with two capital letters (example: IT)",
  email: "Please provide a valid email address",
  iuv: "iuv is required",
  amount: "amount is required",
  minAmount: "minimum amount is 1 eurocent",
  maxAmount: `maximum amount is ${MAX_AMOUNT_CENTS} eurocents (999,999,999.99 euros)`,
  isPartialPayment: "is partial payment is required",
  dueDate: "due date is required",
  idTransfer: "id transfer is required",
  remittanceRequired: "remittance information is required",
  remittanceSize: "remittance information must be compliant to EACT FORMATTING RULES, up to 140 chars",
  category: "category is required",
  ibanSize: "The IBAN must not be blank and must not exceed 35 characters.",
  ibanPattern: "IBAN must not contain spaces or special characters.",
  postalIbanSize: "Postal IBAN is optional, but if provided, it must not be blank and must not exceed 35 characters.",
  postalIbanPattern: "Postal IBAN must not contain spaces or special characters.",
  paymentOptionMetadataUnique: "paymentOptionMetadata keys must be unique",
  transferMetadataUnique: "transferMetadata keys must be unique",
  dateTime: "must be an RFC 3339 date-time, e.g. 2025-05-09T05:35:59.451Z",
  safeInteger: "must be a safe integer",
} as const;

/** Only a missing (or null) value gets the "required" message; a wrong type falls through to the formatter. */
const required = (message: string) => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined ? message : undefined),
});

const requiredInt = (message: string) => ({
  error: (iss: { input?: unknown; code?: string }) =>
    iss.input === undefined
      ? message
      : iss.code === "too_big" || iss.code === "too_small"
        ? msg.safeInteger
        : undefined,
});

const NON_BLANK = /\S/;

const requiredText = (message: string) => z.string(required(message)).regex(NON_BLANK, message);

// ---------------------------------------------------------------------------------------------------------------
// Identifiers. They become parts of Cosmos ids and query values, so '/', '\\', '?', '#' and control characters must
// be impossible (Cosmos refuses them in ids). iupd follows the reference's path regex `[\w*\h-]+` (docs/domain/api-surface.md)
// restricted to the plain space; iuv/nav are the reference's `\w` (the get-by-IUV lookup, docs/domain/payment-options.md#get) plus '-'.
// ---------------------------------------------------------------------------------------------------------------
export const IUPD_PATTERN = /^[\w* -]+$/;
const IUV_PATTERN = /^[\w-]+$/;
const IUPD_MAX = 256;
const IUV_MAX = 35;

const iupdSchema = requiredText(msg.iupd)
  .max(IUPD_MAX, `size must be between 1 and ${IUPD_MAX}`)
  .regex(IUPD_PATTERN, "iupd must contain only letters, digits, spaces and the characters _ * -");

const iuvSchema = requiredText(msg.iuv)
  .max(IUV_MAX, `size must be between 1 and ${IUV_MAX}`)
  .regex(IUV_PATTERN, "iuv must contain only letters, digits and the characters _ -");

const navSchema = z
  .string()
  .regex(NON_BLANK, NOT_BLANK)
  .max(IUV_MAX, `size must be between 1 and ${IUV_MAX}`)
  .regex(IUV_PATTERN, "nav must contain only letters, digits and the characters _ -");

// ---------------------------------------------------------------------------------------------------------------
// Date-times. The contract says RFC 3339 with an offset; the reference binds LocalDateTime (no offset, read as UTC),
// so both are accepted (seconds optional, as Jackson's ISO_LOCAL_DATE_TIME allows) and normalised to the UTC
// instant with milliseconds that model.ts stores, so string order stays time order.
// ---------------------------------------------------------------------------------------------------------------
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):(\d{2}))?$/;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The normalised instant ("…T…:….sssZ") of an RFC 3339 / local date-time, or undefined when it is not one. */
export const toInstant = (text: string): string | undefined => {
  const m = DATE_TIME.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s = "0", frac = "0", , sign, oh = "0", om = "0"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // RFC 3339 allows second 60 (leap second); JavaScript instants cannot represent it, so it is refused.
  if (hour > 23 || minute > 59 || second > 59 || Number(oh) > 23 || Number(om) > 59) return undefined;
  const millis = Number(frac.padEnd(3, "0").slice(0, 3));
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0..99 to 1900..1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  const offsetMinutes = sign === undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const instant = new Date(date.getTime() - offsetMinutes * 60_000);
  const iso = instant.toISOString();
  // An offset can push year 0000/9999 out of the four-digit range, which would break string ordering.
  return /^\d{4}-/.test(iso) ? iso : undefined;
};

const dateTimeSchema = (requiredMessage?: string) =>
  z.string(requiredMessage === undefined ? undefined : required(requiredMessage)).transform((text, ctx) => {
    const instant = toInstant(text);
    if (instant === undefined) {
      ctx.addIssue({ code: "custom", message: msg.dateTime, input: text });
      return z.NEVER;
    }
    return instant;
  });

// ---------------------------------------------------------------------------------------------------------------
// Nested models
// ---------------------------------------------------------------------------------------------------------------
const metadataItemSchema = z.object({
  key: z.string(required(NOT_BLANK)).regex(NON_BLANK, NOT_BLANK).max(140, SIZE_0_140),
  // The contract has `value` optional (the reference annotates it required): the contract wins (docs/domain/README.md#precedence).
  value: z.string().max(140, SIZE_0_140).optional(),
});

const MAX_METADATA = 10;
const METADATA_SIZE = `size must be between 0 and ${MAX_METADATA}`;

/** docs/domain/debt-positions.md#model: max 10 items, keys unique (V11's bean message), null normalised to []. */
const metadataSchema = (uniqueMessage: string) =>
  z
    .array(metadataItemSchema)
    .max(MAX_METADATA, METADATA_SIZE)
    .superRefine((items, ctx) => {
      const keys = items.map((i) => i.key);
      if (new Set(keys).size !== keys.length) ctx.addIssue({ code: "custom", message: uniqueMessage });
    })
    .default([]);

// Stamp (marca da bollo digitale). All three fields are required when a stamp is sent, so "a complete stamp" of
// V8 is simply "a stamp"; a half-filled one is refused here with the bean messages.
const stampSchema = z.object({
  hashDocument: z.string(required(NOT_BLANK)).regex(NON_BLANK, NOT_BLANK).max(72, "size must be between 0 and 72"),
  stampType: z.string(required(NOT_BLANK)).length(2, "size must be between 2 and 2"),
  provincialResidence: z.string(required(NOT_BLANK)).regex(/^[A-Z]{2}$/, 'must match "[A-Z]{2}"'),
});

const transferSchema = z.object({
  // Jackson coerces a JSON number to a String field, so clients of the reference may send 1: accept it. Whether the
  // value is one of "1".."5" is V7, a business rule with its own message, not a schema error.
  idTransfer: z.union([z.string(), z.int()], required(msg.idTransfer)).transform((v) => String(v)),
  amount: z.int(requiredInt(msg.amount)).min(1, msg.minAmount).max(MAX_AMOUNT_CENTS, msg.maxAmount),
  organizationFiscalCode: z
    .string()
    .regex(NON_BLANK, NOT_BLANK)
    .max(35, "size must be between 1 and 35")
    .regex(/^\S*$/, "organization fiscal code must not contain spaces")
    .optional(),
  companyName: z.string().max(140, SIZE_0_140).optional(),
  remittanceInformation: requiredText(msg.remittanceRequired).max(140, msg.remittanceSize),
  category: requiredText(msg.category),
  iban: z
    .string()
    .min(1, msg.ibanSize)
    .max(35, msg.ibanSize)
    .regex(/^[A-Za-z0-9]{1,35}$/, msg.ibanPattern)
    .optional(),
  postalIban: z
    .string()
    .min(1, msg.postalIbanSize)
    .max(35, msg.postalIbanSize)
    .regex(/^$|^[A-Za-z0-9]{1,35}$/, msg.postalIbanPattern)
    .optional(),
  stamp: stampSchema.optional(),
  transferMetadata: metadataSchema(msg.transferMetadataUnique),
});

// Read-only fields (nav's siblings fee, notificationFee, status, paymentDate, insertedDate, …) are not in the shape,
// so zod strips them: accepted and ignored, as docs/domain/debt-positions.md#model says.
const paymentOptionSchema = z.object({
  nav: navSchema.optional(),
  iuv: iuvSchema,
  amount: z.int(requiredInt(msg.amount)).min(1, msg.minAmount).max(MAX_AMOUNT_CENTS, msg.maxAmount),
  // The contract does not require `description` (the reference annotates it): the contract wins (docs/domain/README.md#precedence).
  description: z.string().max(140, SIZE_0_140).optional(),
  isPartialPayment: z.boolean(required(msg.isPartialPayment)),
  dueDate: dateTimeSchema(msg.dueDate),
  retentionDate: dateTimeSchema().optional(),
  paymentOptionMetadata: metadataSchema(msg.paymentOptionMetadataUnique),
  // Count rules (1..5 transfers, ≤49 options) are business rules with their own messages: validation.ts.
  transfer: z.array(transferSchema).default([]),
});

/** PaymentPositionModel (v1). */
export const paymentPositionSchema = z.object({
  iupd: iupdSchema,
  type: z.enum(["F", "G"], required(msg.type)),
  payStandIn: z.boolean().optional(),
  fiscalCode: requiredText(msg.fiscalCode),
  fullName: requiredText(msg.fullName),
  streetName: z.string().optional(),
  civicNumber: z.string().optional(),
  postalCode: z.string().optional(),
  city: z.string().optional(),
  province: z.string().optional(),
  region: z.string().optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, msg.country)
    .optional(),
  // Hibernate's @Email is lenient (a@localhost passes): one '@', no spaces, non-empty dot-separated domain labels.
  email: z
    .string()
    .max(256, "size must be between 0 and 256")
    .regex(/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*$/, msg.email)
    .optional(),
  phone: z.string().optional(),
  // Seed and contract: optional, default false (the reference's NotNull is not part of the contract).
  switchToExpired: z.boolean().default(false),
  companyName: requiredText(msg.companyName).max(140, SIZE_0_140),
  officeName: z.string().max(140, SIZE_0_140).optional(),
  validityDate: dateTimeSchema().optional(),
  paymentOption: z.array(paymentOptionSchema).default([]),
});

/** Bulk create/update: docs/domain/debt-positions.md#validation V15, at most 100 positions (the effective limit of the reference). */
export const BULK_MAX_POSITIONS = 100;
export const multiplePaymentPositionSchema = z.object({
  paymentPositions: z
    .array(paymentPositionSchema, required(NOT_BLANK))
    .min(1, `size must be between 1 and ${BULK_MAX_POSITIONS}`)
    .max(BULK_MAX_POSITIONS, `size must be between 1 and ${BULK_MAX_POSITIONS}`),
});

/** v2 bulk delete (MultipleIUPDModel of debt-position-openapi_external_v2.json): 1..20 IUPDs. */
export const BULK_DELETE_MAX_IUPDS = 20;
export const multipleIupdSchema = z.object({
  paymentPositionIUPDs: z
    .array(iupdSchema, required(NOT_BLANK))
    .min(1, `size must be between 1 and ${BULK_DELETE_MAX_IUPDS}`)
    .max(BULK_DELETE_MAX_IUPDS, `size must be between 1 and ${BULK_DELETE_MAX_IUPDS}`),
});

// ---------------------------------------------------------------------------------------------------------------
// Parsing and error formatting
// ---------------------------------------------------------------------------------------------------------------

/** Deeper than any valid body; below this, nulls are left alone (the schema refuses those values anyway). */
const MAX_NULL_STRIP_DEPTH = 16;

/** Null for an optional field means absent (Jackson semantics); for a required one it reads as "is required". */
const stripNulls = (value: unknown, depth = 0): unknown => {
  if (depth > MAX_NULL_STRIP_DEPTH || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => stripNulls(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // "__proto__" is never a field of ours, and assigning it would replace the copy's prototype.
    if (v === null || k === "__proto__") continue;
    out[k] = stripNulls(v, depth + 1);
  }
  return out;
};

const parseWith = <T>(schema: z.ZodType<T>, json: unknown, unknownFields: readonly string[] = []): T =>
  parseRequest(schema, stripNulls(json), {
    rootMessage: "request body: must be a JSON object",
    alsoRefused: unknownFields,
  });

// ---------------------------------------------------------------------------------------------------------------
// Unknown fields. A field the contract's request models do not define is refused by name, so a misspelt `ammount`
// or `duedate` is not silently dropped. The fields the API itself answers with (the read-only ones of
// PaymentPositionModel and of the GET models PaymentPositionModelBaseResponse, PaymentOptionModelResponse and
// TransferModelResponse in openapi/debt-positions.json) are accepted and ignored, as the reference does, so a body
// read with GET can be sent back. Runs after the counts, so its work is bounded like theirs.
// ---------------------------------------------------------------------------------------------------------------
const answeredAlways = ["insertedDate", "lastUpdatedDate", "status"];
const knownFields = {
  PaymentPositionModel: new Set([
    ...Object.keys(paymentPositionSchema.shape),
    ...answeredAlways,
    ...["organizationFiscalCode", "paymentDate", "publishDate", "reconciledDate"],
  ]),
  PaymentOptionModel: new Set([
    ...Object.keys(paymentOptionSchema.shape),
    ...answeredAlways,
    ...["fee", "notificationFee", "organizationFiscalCode", "paymentDate", "paymentMethod", "pspCompany"],
    ...["idReceipt", "idFlowReporting", "reportingDate", "reconciledDate", "reconciliationRef"],
  ]),
  TransferModel: new Set([...Object.keys(transferSchema.shape), ...answeredAlways]),
  MetadataModel: new Set(Object.keys(metadataItemSchema.shape)),
  Stamp: new Set(Object.keys(stampSchema.shape)),
  MultiplePaymentPositionModel: new Set(Object.keys(multiplePaymentPositionSchema.shape)),
  MultipleIUPDModel: new Set(Object.keys(multipleIupdSchema.shape)),
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const child = (path: string, key: string): string => (path === "" ? key : `${path}.${key}`);

const unknownFieldsOf = (value: unknown, model: keyof typeof knownFields, path: string, found: string[]): void => {
  if (!isRecord(value)) return;
  for (const key of Object.keys(value)) {
    if (found.length > MAX_REPORTED_PROBLEMS) return;
    if (!knownFields[model].has(key)) found.push(`${child(path, key)}: unknown field (not in ${model})`);
  }
};

const unknownFieldsOfPosition = (position: unknown, path: string): string[] => {
  const found: string[] = [];
  unknownFieldsOf(position, "PaymentPositionModel", path, found);
  (arrayAt(position, "paymentOption") ?? []).forEach((option, i) => {
    const optionPath = child(path, `paymentOption[${i}]`);
    unknownFieldsOf(option, "PaymentOptionModel", optionPath, found);
    (arrayAt(option, "paymentOptionMetadata") ?? []).forEach((item, k) => {
      unknownFieldsOf(item, "MetadataModel", `${optionPath}.paymentOptionMetadata[${k}]`, found);
    });
    (arrayAt(option, "transfer") ?? []).forEach((transfer, j) => {
      const transferPath = `${optionPath}.transfer[${j}]`;
      unknownFieldsOf(transfer, "TransferModel", transferPath, found);
      if (isRecord(transfer)) unknownFieldsOf(transfer.stamp, "Stamp", `${transferPath}.stamp`, found);
      (arrayAt(transfer, "transferMetadata") ?? []).forEach((item, k) => {
        unknownFieldsOf(item, "MetadataModel", `${transferPath}.transferMetadata[${k}]`, found);
      });
    });
  });
  return found;
};

// ---------------------------------------------------------------------------------------------------------------
// Counts first. Every array of the body is counted before any of its elements is validated, so the work (and the
// error answer) of any body is bounded by the limits below, not by how many elements a client sends: 150,000 `{}` in
// `paymentOption` are refused after reading one number. The messages are those the element-wise rules would give.
// ---------------------------------------------------------------------------------------------------------------

const arrayAt = (value: unknown, key: string): unknown[] | undefined => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return Array.isArray(field) ? field : undefined;
};

const checkMetadataCount = (holder: unknown, key: string, path: string): void => {
  const items = arrayAt(holder, key);
  if (items !== undefined && items.length > MAX_METADATA) {
    throw new DomainError("BAD_REQUEST", `${path}.${key}: ${METADATA_SIZE}`);
  }
};

const checkPositionCounts = (position: unknown, prefix: string): void => {
  const options = arrayAt(position, "paymentOption") ?? [];
  if (options.length > MAX_PAYMENT_OPTIONS) throw paymentOptionCountError(options.length);
  options.forEach((option, i) => {
    const transfers = arrayAt(option, "transfer") ?? [];
    if (transfers.length > MAX_TRANSFERS) throw transferCountError(transfers.length);
    const optionPath = `${prefix}paymentOption[${i}]`;
    checkMetadataCount(option, "paymentOptionMetadata", optionPath);
    transfers.forEach((transfer, j) => {
      checkMetadataCount(transfer, "transferMetadata", `${optionPath}.transfer[${j}]`);
    });
  });
};

const checkBulkCounts = (json: unknown): void => {
  const positions = arrayAt(json, "paymentPositions") ?? [];
  if (positions.length > BULK_MAX_POSITIONS) {
    throw new DomainError("BAD_REQUEST", `paymentPositions: size must be between 1 and ${BULK_MAX_POSITIONS}`);
  }
  positions.forEach((position, i) => {
    checkPositionCounts(position, `paymentPositions[${i}].`);
  });
};

/** PaymentPositionModel → DebtPositionInput, or DomainError BAD_REQUEST with `field: message, …` (docs/domain/api-surface.md#errors). */
export const parseDebtPositionBody = (json: unknown): DebtPositionInput => {
  checkPositionCounts(json, "");
  return parseWith(paymentPositionSchema, json, unknownFieldsOfPosition(json, ""));
};

/** MultiplePaymentPositionModel (1..100 positions) → inputs, same errors with `paymentPositions[i].` paths. */
export const parseBulkBody = (json: unknown): DebtPositionInput[] => {
  checkBulkCounts(json);
  const positions = arrayAt(json, "paymentPositions");
  const unknownAtTop: string[] = [];
  unknownFieldsOf(json, "MultiplePaymentPositionModel", "", unknownAtTop);
  if (positions === undefined || positions.length === 0)
    return parseWith(multiplePaymentPositionSchema, json, unknownAtTop).paymentPositions;
  // Position by position, stopping once the answer is full: the work of a refused bulk is bounded by what it reports,
  // not by how many wrong positions it carries (a valid bulk is parsed whole either way).
  const parsed: DebtPositionInput[] = [];
  const problems: string[] = [...unknownAtTop];
  for (const [i, position] of positions.entries()) {
    problems.push(...unknownFieldsOfPosition(position, `paymentPositions[${i}]`));
    const result = paymentPositionSchema.safeParse(stripNulls(position), { reportInput: true });
    if (result.success) parsed.push(result.data);
    else problems.push(...problemsOf(result.error, { prefix: ["paymentPositions", i] }));
    if (problems.length > MAX_REPORTED_PROBLEMS && i < positions.length - 1) {
      refuse(problems, ` (paymentPositions[${i + 1}] and after not checked)`);
    }
  }
  if (problems.length > 0) refuse(problems);
  return parsed;
};

/** MultipleIUPDModel (1..20 IUPDs) → the IUPDs. */
export const parseBulkDeleteBody = (json: unknown): string[] => {
  const unknown: string[] = [];
  unknownFieldsOf(json, "MultipleIUPDModel", "", unknown);
  return parseWith(multipleIupdSchema, json, unknown).paymentPositionIUPDs;
};

// ---------------------------------------------------------------------------------------------------------------
// Query and path parameters
// ---------------------------------------------------------------------------------------------------------------

/** `toPublish` (default false), in any spelling Spring binds (`True`, `1`, `yes`, `on`, …). */
export const parseToPublish = (value: string | null | undefined): boolean =>
  parseBooleanParam("toPublish", value, false);

/** The query parameter of the writes that may publish at once. */
export const toPublishQuery = ["toPublish"] as const;

/** `?toPublish=` of the writes that may publish at once (other parameters are refused by the endpoint). */
export const parseToPublishQuery = (query: URLSearchParams): boolean => parseToPublish(query.get("toPublish"));

/** Path `{iupd}`: the reference's `[\w*\h-]+` (docs/domain/api-surface.md); also what keeps Cosmos ids safe. */
export const parseIupdPathParam = (value: string | undefined): string => {
  if (value === undefined || value.length === 0 || value.length > IUPD_MAX || !IUPD_PATTERN.test(value)) {
    throw new DomainError("BAD_REQUEST", `Invalid value ${showValue(value ?? "")} for property iupd`);
  }
  return value;
};
