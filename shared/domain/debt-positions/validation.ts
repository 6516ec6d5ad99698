// Business validation of a debt position on create/update: docs/domain/debt-positions.md#validation rules V2–V11 with their exact details,
// plus the checks docs/domain/api-surface.md#organizations and docs/domain/debt-positions.md#validation add (IBAN checksum and registration, taxonomy, 1..5 distinct transfers, IUV/NAV
// unique inside the payload, ≤49 options). Runs after the request schema (V1) and before the store (V12).
//
// Order — the first failure wins, as in the reference (DebtPositionValidation throws on the first broken rule):
//   1. position: number of payment options (1..49), IUV duplicated in the payload, NAV duplicated in the payload,
//      NAV (own, or aux digit + IUV) not 18 digits;
//   2. each payment option in array order, and inside it (the reference's per-option pass):
//        V2 validity > now (create) → V3 due ≥ validity or now → V4 due ≥ now (create, or switchToExpired) →
//        V5 retention ≥ due → V6 number of transfers (1..5) →
//        each transfer in array order: V7 idTransfer in "1".."5" → idTransfer unique in the option →
//          V8 IBAN(+postal IBAN) xor stamp → IBAN checksum → postal IBAN checksum → beneficiary registered →
//          IBAN registered → postal IBAN registered → category is a taxonomy code → category in the catalogue →
//        V9 option amount = Σ transfer amounts;
//   3. V10 reserved metadata, over all options (409);
//   4. V11 metadata keys unique, options then their transfers (normally already refused by the request schema).
import { DomainError } from "../errors";
import { isAmountInRange, MAX_AMOUNT_CENTS } from "../money";
import { checkIban, maskIban, normaliseIban } from "./iban";
import type { DebtPositionInput, Metadata, PaymentOptionInput, TransferInput } from "./model";
import { transferIds } from "./model";
import { isTaxonomyCode } from "./taxonomy";

/** The IBANs an organization registered on pagoPA, or undefined when it is not registered (docs/domain/api-surface.md#organizations). */
export type IbanRegistryLookup = (
  beneficiaryFiscalCode: string,
) => { ibans: readonly string[]; postalIbans: readonly string[] } | undefined;

export interface ValidationContext {
  operation: "create" | "update";
  now: Date;
  /** The organization of the path: the beneficiary of every transfer that does not name another one. */
  organizationFiscalCode: string;
  registry: IbanRegistryLookup;
  /** Accepted category codes; when absent only the taxonomy code format is checked. */
  taxonomy?: ReadonlySet<string>;
  /** The organization's aux digit, which prefixes the IUV when an option has no NAV of its own (default "3"). */
  auxDigit?: string | undefined;
}

/**
 * Storage limit, not a reference rule (the reference has no maximum in v1): a position is written in one Cosmos
 * transactional batch, which holds at most 100 operations = the position document + one IUV index document and one
 * NAV index document per option, so 1 + 2 × 49 = 99.
 */
export const MAX_PAYMENT_OPTIONS = 49;
/** docs/domain/debt-positions.md#validation V6 / SANP: up to five transfers (beneficiaries) per payment option. */
export const MAX_TRANSFERS = 5;
export const RESERVED_METADATA_KEYS: readonly string[] = ["NOTIFICATION_FEE"];

const dataError = (detail: string) => new DomainError("DEBT_POSITION_REQUEST_DATA_ERROR", detail);

const ms = (instant: string): number => Date.parse(instant);

// ---------------------------------------------------------------------------------------------------------------
// 1. Position-level checks
// ---------------------------------------------------------------------------------------------------------------

/** Also raised by the request parser, which counts options before it looks at any of them. */
export const paymentOptionCountError = (n: number) =>
  dataError(
    `Number of payment options congruence error: Each debt position must have from 1 to ${MAX_PAYMENT_OPTIONS} payment options [payment options found=${n}]`,
  );

/** Also raised by the request parser, which counts transfers before it looks at any of them. */
export const transferCountError = (n: number) =>
  dataError(
    `Number of transfers congruence error: Each payment option must have a maximum of ${MAX_TRANSFERS} transactions [transactions found=${n}]`,
  );

const checkPaymentOptionCount = (input: DebtPositionInput): void => {
  const n = input.paymentOption.length;
  if (n < 1 || n > MAX_PAYMENT_OPTIONS) throw paymentOptionCountError(n);
};

/** Within one payload; across positions the store's unique index answers 409 (docs/domain/debt-positions.md#validation V12). */
const checkUniqueIuvAndNav = (input: DebtPositionInput): void => {
  const iuvs = new Set<string>();
  input.paymentOption.forEach((po, i) => {
    if (iuvs.has(po.iuv)) throw dataError(`IUV congruence error: duplicate IUV at paymentOption[${i}] [iuv=${po.iuv}]`);
    iuvs.add(po.iuv);
  });
  const navs = new Set<string>();
  input.paymentOption.forEach((po, i) => {
    if (po.nav === undefined) return;
    if (navs.has(po.nav)) throw dataError(`NAV congruence error: duplicate NAV at paymentOption[${i}] [nav=${po.nav}]`);
    navs.add(po.nav);
  });
};

/**
 * The payment node reads a notice number as exactly 18 digits (paForNode.xsd stNoticeNumber): an option whose NAV —
 * its own, or aux digit + IUV — is anything else could never be paid, so it is refused rather than stored.
 */
const checkPayableNavs = (input: DebtPositionInput, ctx: ValidationContext): void => {
  input.paymentOption.forEach((po, i) => {
    const nav = po.nav ?? `${ctx.auxDigit ?? "3"}${po.iuv}`;
    if (!/^[0-9]{18}$/.test(nav)) {
      throw dataError(
        `NAV congruence error: the notice number of paymentOption[${i}] must be 18 digits to be payable through pagoPA [iuv=${po.iuv}; nav=${nav}]`,
      );
    }
  });
};

// ---------------------------------------------------------------------------------------------------------------
// 2. Per payment option: dates (V2–V5)
// ---------------------------------------------------------------------------------------------------------------

const dueDateError = (po: PaymentOptionInput, validityDate: string | undefined, now: string) =>
  dataError(
    `Dates congruence error: due_date must be >= validity_date (if provided) or due_date must be >= current_date [due_date=${po.dueDate}; validity_date=${validityDate ?? "null"}; current_date=${now}]`,
  );

const checkDates = (po: PaymentOptionInput, input: DebtPositionInput, ctx: ValidationContext): void => {
  const now = ctx.now.getTime();
  const nowIso = ctx.now.toISOString();
  // v1 has one validity for the whole position, copied onto every option (docs/domain/debt-positions.md#model).
  const validity = input.validityDate;
  const due = ms(po.dueDate);

  // V2 (create only): the wording says >= but the reference's check is strict, validity > now.
  if (ctx.operation === "create" && validity !== undefined && !(ms(validity) > now)) {
    throw dataError(
      `Dates congruence error: validity_date must be >= current_date [validity_date=${validity}; current_date=${nowIso}] `,
    );
  }
  // V3 — SANP: due_date ≥ validity_date; with no validity, due_date ≥ now.
  if (validity !== undefined ? due < ms(validity) : due < now) throw dueDateError(po, validity, nowIso);
  // V4: due ≥ now even with a validity, except on update with switchToExpired=false (PIDM-896, "relax due date
  // constraint": an EC may fix a position whose due date has passed while it is still payable).
  if ((ctx.operation === "create" || input.switchToExpired) && due < now) throw dueDateError(po, validity, nowIso);
  // V5
  if (po.retentionDate !== undefined && ms(po.retentionDate) < due) {
    throw dataError(
      `Dates congruence error: retention_date must be >= due_date [retention_date=${po.retentionDate}; due_date=${po.dueDate}] `,
    );
  }
};

// ---------------------------------------------------------------------------------------------------------------
// 2. Per payment option: transfers (V6–V8, IBANs, taxonomy)
// ---------------------------------------------------------------------------------------------------------------

const checkTransferCount = (po: PaymentOptionInput): void => {
  const n = po.transfer.length;
  if (n > MAX_TRANSFERS) throw transferCountError(n);
  // The reference relies on V9 (amount ≥ 1 ≠ Σ of nothing) to refuse an option without transfers; say it plainly.
  if (n === 0) {
    throw dataError(
      `Number of transfers congruence error: Each payment option must have at least 1 transaction [iuv=${po.iuv}; transactions found=0]`,
    );
  }
};

const isTransferId = (id: string): boolean => (transferIds as readonly string[]).includes(id);

const present = (s: string | undefined): s is string => s !== undefined && s.length > 0;

const where = (po: PaymentOptionInput, t: TransferInput) => `iuv=${po.iuv}, transaction id=${t.idTransfer}`;

/** docs/domain/debt-positions.md#validation V8: exactly one of an IBAN (optionally with a postal IBAN) or a stamp. */
const hasValidPaymentMeans = (t: TransferInput): boolean =>
  present(t.iban) ? t.stamp === undefined : t.stamp !== undefined && !present(t.postalIban);

const checkIbanValidity = (po: PaymentOptionInput, t: TransferInput): void => {
  if (present(t.iban) && !checkIban(t.iban).valid) {
    throw dataError(
      `IBAN congruence error: the IBAN is not a valid ISO 13616 IBAN [${where(po, t)}, iban=${maskIban(t.iban)}]`,
    );
  }
  if (present(t.postalIban) && !checkIban(t.postalIban).valid) {
    throw dataError(
      `IBAN congruence error: the postal IBAN is not a valid ISO 13616 IBAN [${where(po, t)}, postal iban=${maskIban(t.postalIban)}]`,
    );
  }
};

/**
 * SANP: "IBANs must be registered on pagoPA" — for the transfer's beneficiary (a multi-beneficiary transfer names
 * another EC). An IBAN the beneficiary registered as postal is still one of its registered accounts, so `iban` may
 * be any of them; `postalIban` must be one of its postal IBANs.
 */
const checkIbanRegistration = (
  po: PaymentOptionInput,
  t: TransferInput,
  ctx: ValidationContext,
  lookup: (fc: string) => ReturnType<IbanRegistryLookup>,
): void => {
  if (!present(t.iban) && !present(t.postalIban)) return;
  const beneficiary = t.organizationFiscalCode ?? ctx.organizationFiscalCode;
  const registered = lookup(beneficiary);
  if (registered === undefined) {
    throw dataError(
      `Beneficiary congruence error: the beneficiary organization is not registered on pagoPA [${where(po, t)}, organization fiscal code=${beneficiary}]`,
    );
  }
  const ibans = new Set(registered.ibans.map(normaliseIban));
  const postalIbans = new Set(registered.postalIbans.map(normaliseIban));
  if (present(t.iban)) {
    const iban = normaliseIban(t.iban);
    if (!ibans.has(iban) && !postalIbans.has(iban)) {
      throw dataError(
        `IBAN congruence error: the IBAN is not registered on pagoPA for the beneficiary organization [${where(po, t)}, organization fiscal code=${beneficiary}, iban=${maskIban(t.iban)}]`,
      );
    }
  }
  if (present(t.postalIban) && !postalIbans.has(normaliseIban(t.postalIban))) {
    throw dataError(
      `IBAN congruence error: the postal IBAN is not registered on pagoPA for the beneficiary organization [${where(po, t)}, organization fiscal code=${beneficiary}, postal iban=${maskIban(t.postalIban)}]`,
    );
  }
};

/** SANP: "validità della tassonomia"; docs/domain/debt-positions.md#validation: `9/` + 7 digits + 2 capital letters + `/`, and in the catalogue. */
const checkCategory = (po: PaymentOptionInput, t: TransferInput, ctx: ValidationContext): void => {
  if (!isTaxonomyCode(t.category)) {
    throw dataError(
      `Taxonomy congruence error: the category is not a valid taxonomy code, expected 9/ + 7 digits + 2 capital letters + / (e.g. 9/0101108TS/) [${where(po, t)}, category=${t.category}]`,
    );
  }
  if (ctx.taxonomy !== undefined && !ctx.taxonomy.has(t.category)) {
    throw dataError(
      `Taxonomy congruence error: the category is not in the pagoPA taxonomy catalogue [${where(po, t)}, category=${t.category}]`,
    );
  }
};

const checkTransfers = (
  po: PaymentOptionInput,
  ctx: ValidationContext,
  lookup: (fc: string) => ReturnType<IbanRegistryLookup>,
): void => {
  const seen = new Set<string>();
  for (const t of po.transfer) {
    // V7
    if (!isTransferId(t.idTransfer)) {
      throw dataError(
        `Transfer ID congruence error: The transaction id not have a value between those expected [transaction id=${t.idTransfer}; expected values=[1, 2, 3, 4, 5]]`,
      );
    }
    // A defect of pagoPA's service, where transfer ids are not validated: a duplicate idTransfer crashed the update with a 500.
    if (seen.has(t.idTransfer)) {
      throw dataError(
        `Transfer ID congruence error: The transaction id must be unique within the payment option [${where(po, t)}]`,
      );
    }
    seen.add(t.idTransfer);
    // V8
    if (!hasValidPaymentMeans(t)) {
      throw dataError(
        `The Iban may be present (optionally combined with the Postal Iban) or the Stamp. Not all at the same time [${where(po, t)}].`,
      );
    }
    checkIbanValidity(po, t);
    checkIbanRegistration(po, t, ctx, lookup);
    checkCategory(po, t, ctx);
  }
};

// ---------------------------------------------------------------------------------------------------------------
// 2. Per payment option: amounts (V9)
// ---------------------------------------------------------------------------------------------------------------

const checkAmounts = (po: PaymentOptionInput): void => {
  // The request schema bounds each amount; this guards callers that build inputs another way (docs/amounts.md).
  for (const amount of [po.amount, ...po.transfer.map((t) => t.amount)]) {
    if (!isAmountInRange(amount, 1)) {
      throw dataError(
        `Amounts congruence error: every amount must be from 1 to ${MAX_AMOUNT_CENTS} cents [iuv=${po.iuv}; amount(in cent)=${amount}]`,
      );
    }
  }
  // BigInt: five safe integers can add up past 2^53, where a Number comparison would lie.
  const total = po.transfer.reduce((sum, t) => sum + BigInt(t.amount), 0n);
  if (BigInt(po.amount) !== total) {
    throw dataError(
      `Amounts congruence error: payment option amount must coincide with the total of the transfers amount [payment_option_amount(in cent)=${po.amount}; total_tranfers_amount(in cent)=${total.toString()}]`,
    );
  }
};

// ---------------------------------------------------------------------------------------------------------------
// 3–4. Metadata (V10, V11)
// ---------------------------------------------------------------------------------------------------------------

/** V10: NOTIFICATION_FEE is appended by GPD itself on GET by NAV (docs/domain/debt-positions.md#validation, notificationFee 4). */
const checkReservedMetadata = (input: DebtPositionInput): void => {
  for (const po of input.paymentOption) {
    if (po.paymentOptionMetadata.some((m) => RESERVED_METADATA_KEYS.includes(m.key))) {
      throw new DomainError(
        "PAYMENT_OPTION_RESERVED_METADATA",
        "The caller should not add or modify reserved payment option metadata. Reserved metadata list = {NOTIFICATION_FEE}.",
      );
    }
  }
};

const hasDuplicateKeys = (metadata: readonly Metadata[]): boolean =>
  new Set(metadata.map((m) => m.key)).size !== metadata.length;

/** V11: the bean message of docs/domain/debt-positions.md#model, with the property path of docs/domain/api-surface.md#errors. */
const checkUniqueMetadataKeys = (input: DebtPositionInput): void => {
  input.paymentOption.forEach((po, i) => {
    if (hasDuplicateKeys(po.paymentOptionMetadata)) {
      throw new DomainError(
        "BAD_REQUEST",
        `paymentOption[${i}].paymentOptionMetadata: paymentOptionMetadata keys must be unique`,
      );
    }
    po.transfer.forEach((t, j) => {
      if (hasDuplicateKeys(t.transferMetadata)) {
        throw new DomainError(
          "BAD_REQUEST",
          `paymentOption[${i}].transfer[${j}].transferMetadata: transferMetadata keys must be unique`,
        );
      }
    });
  });
};

// ---------------------------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------------------------

/** Throws the first DomainError in the order documented at the top of this file; returns when the input is valid. */
export const validateDebtPosition = (input: DebtPositionInput, ctx: ValidationContext): void => {
  checkPaymentOptionCount(input);
  checkUniqueIuvAndNav(input);
  checkPayableNavs(input, ctx);

  // One registry answer per beneficiary per request.
  const cache = new Map<string, ReturnType<IbanRegistryLookup>>();
  const lookup = (fc: string) => {
    if (!cache.has(fc)) cache.set(fc, ctx.registry(fc));
    return cache.get(fc);
  };

  for (const po of input.paymentOption) {
    checkDates(po, input, ctx);
    checkTransferCount(po);
    checkTransfers(po, ctx, lookup);
    checkAmounts(po);
  }
  checkReservedMetadata(input);
  checkUniqueMetadataKeys(input);
};
