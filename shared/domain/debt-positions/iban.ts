// ISO 13616 IBAN checks (docs/domain/api-surface.md#organizations: "IBANs valid and registered"; the reference checks neither, docs/domain/debt-positions.md#validation).
// Pure: the registration half lives in validation.ts, against the organizations registry.

/**
 * IBAN lengths per country (SWIFT IBAN registry). Countries not listed fall back to the generic ISO 13616 bounds
 * (15..34), so a new registry entry never blocks a payment; the countries pagoPA credits most (IT, SM, VA) and the
 * SEPA area are listed so a truncated or padded IBAN is caught before the checksum is even computed.
 */
const ibanLengthByCountry: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

/**
 * BBAN structure where we know it exactly: IT and SM share the Italian layout (CIN letter, ABI 5 digits, CAB 5
 * digits, account 12 alphanumerics); VA is ABI 3 digits + account 15 digits. Catches typos the checksum would also
 * catch, but with a structural reason.
 */
const bbanPatternByCountry: Readonly<Record<string, RegExp>> = {
  IT: /^[A-Z]\d{10}[0-9A-Z]{12}$/,
  SM: /^[A-Z]\d{10}[0-9A-Z]{12}$/,
  VA: /^\d{18}$/,
};

const GENERIC_MIN_LENGTH = 15;
const GENERIC_MAX_LENGTH = 34;

export type IbanProblem = "format" | "length" | "structure" | "checksum";

export type IbanCheck = { valid: true; iban: string } | { valid: false; problem: IbanProblem };

/** Upper-cases and removes the spaces of the paper format ("IT60 X054 …"), so comparisons are by value. */
export const normaliseIban = (iban: string): string => iban.replace(/\s+/g, "").toUpperCase();

/** ISO 7064 mod 97-10 over the rearranged IBAN (country + check digits moved to the end, letters as 10..35). */
export const ibanMod97 = (iban: string): number => {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    // digits contribute one decimal digit, letters two (A=10 … Z=35)
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder;
};

export const checkIban = (raw: string): IbanCheck => {
  const iban = normaliseIban(raw);
  if (!/^[A-Z]{2}\d{2}[0-9A-Z]+$/.test(iban)) return { valid: false, problem: "format" };
  const country = iban.slice(0, 2);
  const expectedLength = ibanLengthByCountry[country];
  const lengthOk =
    expectedLength === undefined
      ? iban.length >= GENERIC_MIN_LENGTH && iban.length <= GENERIC_MAX_LENGTH
      : iban.length === expectedLength;
  if (!lengthOk) return { valid: false, problem: "length" };
  const bban = bbanPatternByCountry[country];
  if (bban !== undefined && !bban.test(iban.slice(4))) return { valid: false, problem: "structure" };
  if (ibanMod97(iban) !== 1) return { valid: false, problem: "checksum" };
  return { valid: true, iban };
};

export const isValidIban = (raw: string): boolean => checkIban(raw).valid;

/**
 * Keeps country, check digits and the last four characters: enough for the caller to recognise which IBAN was
 * refused, without echoing whole account numbers into logs and error bodies.
 */
export const maskIban = (raw: string): string => {
  const iban = normaliseIban(raw);
  if (iban.length <= 8) return iban;
  return `${iban.slice(0, 4)}${"*".repeat(iban.length - 8)}${iban.slice(-4)}`;
};
