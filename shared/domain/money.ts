// Euro strings ↔ integer euro-cents, exactly: the XML contracts carry euros as decimal strings, GPD stores cents
// (docs/domain/api-surface.md "convert exactly, no floating point"). Only digits are ever concatenated or split; no value passes through
// a fractional number.
//
// Accepted form: `\d+\.\d{2}` only. Every amount type our XML contracts use has exactly that pattern: stAmount
// (sac-common-types), stAmountNotZero (paForNode), stImporto and stImportoTotalePagamenti (FlussoRiversamento 1.0.4).
// So "10", "10.1", "10.100", "-1.00", "+1.00", "1e3" and " 1.00" are all refused here; ranges (0.01 minimum,
// 999999999.99 maximum) belong to each XSD type and are checked by its caller.

/**
 * The business maximum of every amount GPD stores or adds up: 999,999,999.99 € (docs/amounts.md). It is the
 * maxInclusive of every amount type of our XML contracts, and far below 2^53 cents, so an option amount plus a
 * notification fee plus a PSP fee, or the sum of a plan's options, is still an exact JavaScript number.
 */
export const MAX_AMOUNT_CENTS = 99_999_999_999;

export const isAmountInRange = (cents: number, minCents = 0): boolean =>
  Number.isSafeInteger(cents) && cents >= minCents && cents <= MAX_AMOUNT_CENTS;

export class InvalidAmountError extends Error {
  override readonly name = "InvalidAmountError";
}

const eurosPattern = /^([0-9]+)\.([0-9]{2})$/;

/** "10.10" → 1010. Throws InvalidAmountError for anything but `\d+\.\d{2}` or a value beyond a safe integer of cents. */
export function eurosToCents(euros: string): number {
  const m = eurosPattern.exec(euros);
  if (!m) {
    const why = euros.startsWith("-") ? "negative amounts are not accepted" : "expected digits, a dot and two decimals";
    throw new InvalidAmountError(`Invalid euro amount "${truncate(euros)}": ${why}`);
  }
  const [, units = "", decimals = ""] = m;
  const digits = (units.replace(/^0+/, "") + decimals).replace(/^0+/, "");
  // 16 digits is the most a safe integer has; longer strings would only be rounded by Number().
  const cents = digits === "" ? 0 : digits.length > 16 ? Number.POSITIVE_INFINITY : Number(digits);
  if (!Number.isSafeInteger(cents)) {
    throw new InvalidAmountError(`Invalid euro amount "${truncate(euros)}": too large`);
  }
  return cents;
}

/** 1010 → "10.10". Throws InvalidAmountError for negative, fractional or unsafe numbers. */
export function centsToEuros(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) {
    throw new InvalidAmountError(`Invalid amount in cents: ${cents}`);
  }
  const digits = String(cents).padStart(3, "0");
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

const truncate = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
