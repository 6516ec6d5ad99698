// pagoPA taxonomy ("tassonomia dei servizi di incasso"): a transfer's `category` is its "dati specifici di
// incasso" code. SANP: "validità della tassonomia" is one of the create checks; the reference does not check it.

/**
 * `9/` + creditor-type code (2 digits) + macro-area (2 digits) + service type (3 digits) + legal reason (2 capital
 * letters, e.g. TS, IM, SP, SA, AP) + `/` — e.g. `9/0101108TS/` (docs/domain/debt-positions.md#validation).
 */
export const TAXONOMY_CODE_PATTERN = /^9\/\d{7}[A-Z]{2}\/$/;

export const isTaxonomyCode = (category: string): boolean => TAXONOMY_CODE_PATTERN.test(category);

/** Column names of the JSON published by pagopa-api (taxonomy/tassonomia.json); dates are dd/MM/yyyy. */
const CODE_FIELD = "DATI SPECIFICI DI INCASSO";
const START_FIELD = "DATA INIZIO VALIDITA";
const END_FIELD = "DATA FINE VALIDITA";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** dd/MM/yyyy → epoch ms at 00:00 UTC, or undefined when absent or not a real calendar date. */
const parseCatalogueDate = (v: unknown): number | undefined => {
  if (typeof v !== "string") return undefined;
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(v.trim());
  if (m === null) return undefined;
  const [, dd, mm, yyyy] = m;
  const ms = Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd));
  const d = new Date(ms);
  if (d.getUTCDate() !== Number(dd) || d.getUTCMonth() !== Number(mm) - 1) return undefined;
  return ms;
};

const DAY_MS = 86_400_000;

/**
 * Builds the set of accepted category codes from a catalogue: either the official array of rows (objects with
 * "DATI SPECIFICI DI INCASSO" and optional "DATA INIZIO/FINE VALIDITA") or a plain array of codes. With `now`,
 * rows whose validity has not begun or has ended (the end date is inclusive, the whole day) are left out.
 * Throws on a malformed catalogue: a bad catalogue must stop the app at start-up, not reject every payment.
 */
export const parseTaxonomyCatalogue = (json: unknown, now?: Date): ReadonlySet<string> => {
  if (!Array.isArray(json)) throw new Error("Taxonomy catalogue must be a JSON array");
  const codes = new Set<string>();
  json.forEach((row: unknown, i) => {
    const code = typeof row === "string" ? row : isRecord(row) ? row[CODE_FIELD] : undefined;
    if (typeof code !== "string" || !isTaxonomyCode(code.trim())) {
      throw new Error(`Taxonomy catalogue row ${i} has no valid "${CODE_FIELD}" code`);
    }
    if (now !== undefined && isRecord(row)) {
      const start = parseCatalogueDate(row[START_FIELD]);
      const end = parseCatalogueDate(row[END_FIELD]);
      if (start !== undefined && now.getTime() < start) return;
      if (end !== undefined && now.getTime() >= end + DAY_MS) return;
    }
    codes.add(code.trim());
  });
  return codes;
};
