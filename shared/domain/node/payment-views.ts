// What paVerifyPaymentNotice and paGetPayment(V2) answer about a payable option, as plain values shaped and limited
// like openapi/soap/paForNode.xsd: amounts are euros with two decimals computed from integer cents (never through a
// floating-point number), dates are xs:date, texts are cut to their XSD type's length (counted in characters, never
// splitting one) with characters XML 1.0 cannot carry removed; a required text left empty becomes "NA", an optional
// one is left out. The XML writer only serialises these values.
import { centsToEuros } from "../money";
import type { DebtPosition, Metadata, PaymentOption, Transfer } from "../debt-positions/model";
import { nodeFault, type NodeFault } from "./faults";

export interface MapEntry {
  readonly key: string;
  readonly value: string;
}

export interface VerifyView {
  readonly amount: string;
  readonly dueDate: string;
  readonly detailDescription: string;
  readonly allCCP: boolean;
  readonly paymentDescription: string;
  readonly fiscalCodePA: string;
  readonly companyName: string;
  readonly officeName?: string | undefined;
}

export interface SubjectView {
  readonly type: "F" | "G";
  readonly value: string;
  readonly fullName: string;
  readonly streetName?: string | undefined;
  readonly civicNumber?: string | undefined;
  readonly postalCode?: string | undefined;
  readonly city?: string | undefined;
  readonly stateProvinceRegion?: string | undefined;
  readonly country?: string | undefined;
  readonly email?: string | undefined;
}

export interface StampView {
  readonly hashDocumento: string;
  readonly tipoBollo: string;
  readonly provinciaResidenza: string;
}

export interface TransferView {
  readonly idTransfer: number;
  readonly transferAmount: string;
  readonly fiscalCodePA: string;
  /** V2 only. */
  readonly companyName?: string | undefined;
  /** Exactly one of iban and stamp is set (a stamp only in V2). */
  readonly iban?: string | undefined;
  readonly stamp?: StampView | undefined;
  readonly remittanceInformation: string;
  readonly transferCategory: string;
  /** V2 only; empty means none. */
  readonly metadata: readonly MapEntry[];
}

export interface PaymentView {
  readonly creditorReferenceId: string;
  readonly paymentAmount: string;
  readonly dueDate: string;
  readonly retentionDate?: string | undefined;
  readonly lastPayment: boolean;
  readonly description: string;
  readonly companyName: string;
  readonly officeName?: string | undefined;
  readonly debtor: SubjectView;
  readonly transfers: readonly TransferView[];
  /** Empty means none. */
  readonly metadata: readonly MapEntry[];
}

export type TransferType = "POSTAL" | "PAGOPA";

// XML 1.0 §2.2 Char: everything else (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) cannot be written.
const notXmlChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** The text cut to `max` characters (code points, as XSD counts), undefined when nothing printable is left. */
export function fitText(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const clean = value.replace(notXmlChar, "");
  const chars = Array.from(clean);
  const cut = chars.length > max ? chars.slice(0, max).join("") : clean;
  return cut.trim().length === 0 ? undefined : cut;
}

/** A required text: cut, or "NA" when empty (the node refuses an empty element). */
export const requiredText = (value: string | undefined, max: number): string => fitText(value, max) ?? "NA";

/** xs:date of an instant; our instants are UTC, so the date is the UTC one. */
export const isoDate = (instant: string): string => instant.slice(0, 10);

/** stAmountNotZero / stAmount: euros with exactly two decimals, from integer cents. */
export const euros = (cents: number): string => centsToEuros(cents);

const isPostalOnly = (t: Transfer): boolean => t.postalIban !== undefined && t.postalIban !== "";

/** reference: allCCP is true only when every transfer can be paid to a postal account. */
export const allCcp = (option: PaymentOption): boolean => option.transfer.every(isPostalOnly);

export function verifyView(position: DebtPosition, option: PaymentOption): VerifyView {
  return {
    amount: euros(option.amount),
    dueDate: isoDate(option.dueDate),
    detailDescription: requiredText(option.description, 140),
    allCCP: allCcp(option),
    paymentDescription: requiredText(option.description, 140),
    fiscalCodePA: position.organizationFiscalCode,
    companyName: requiredText(position.companyName, 140),
    officeName: fitText(position.officeName, 140),
  };
}

const emailPattern = /^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*$/;

export function debtorView(position: DebtPosition): SubjectView {
  return {
    type: position.type,
    value: requiredText(position.fiscalCode, 16),
    fullName: requiredText(position.fullName, 70),
    streetName: fitText(position.streetName, 70),
    civicNumber: fitText(position.civicNumber, 16),
    postalCode: fitText(position.postalCode, 16),
    city: fitText(position.city, 35),
    stateProvinceRegion: fitText(position.province, 35),
    // Values the XSD types would refuse are left out rather than sent broken.
    country: position.country !== undefined && /^[A-Z]{2}$/.test(position.country) ? position.country : undefined,
    email:
      position.email !== undefined && position.email.length <= 256 && emailPattern.test(position.email)
        ? position.email
        : undefined,
  };
}

/** common:ctMetadata holds at most 15 entries, each key and value 1..140 characters; entries without a value are dropped. */
export function metadataView(entries: readonly Metadata[]): MapEntry[] {
  const out: MapEntry[] = [];
  for (const entry of entries) {
    const key = fitText(entry.key, 140);
    const value = fitText(entry.value, 140);
    if (key !== undefined && value !== undefined) out.push({ key, value });
  }
  return out.slice(0, 15);
}

export interface PaymentViewOptions {
  readonly version: 1 | 2;
  readonly transferType?: TransferType | undefined;
  /** Company names of the beneficiaries (multi-beneficiary transfers), by fiscal code; V2 prints one per transfer. */
  readonly beneficiaryNames: ReadonlyMap<string, string>;
}

/**
 * paGetPayment(V2) data. The notification fee reaches the node as metadata NOTIFICATION_FEE (cents, the amount
 * already includes it). The IBAN: with transferType=POSTAL the postal IBAN when the transfer has one, otherwise the
 * IBAN, falling back to the postal IBAN; V2 with transferType=PAGOPA adds the postal IBAN as metadata IBANAPPOGGIO.
 * A stamp transfer cannot be described by paGetPayment V1 (its transfer has no choice but an IBAN): PAA_SEMANTICA.
 */
export function paymentView(
  position: DebtPosition,
  option: PaymentOption,
  options: PaymentViewOptions,
): { ok: true; view: PaymentView } | { ok: false; fault: NodeFault } {
  const transfers: TransferView[] = [];
  const sorted = [...option.transfer].sort((a, b) => Number(a.idTransfer) - Number(b.idTransfer));
  for (const t of sorted) {
    const viaPostal = options.transferType === "POSTAL" && isPostalOnly(t);
    const iban = viaPostal ? t.postalIban : (t.iban ?? t.postalIban);
    if (iban === undefined && (options.version === 1 || t.stamp === undefined)) {
      return {
        ok: false,
        fault: nodeFault(
          "PAA_SEMANTICA",
          position.organizationFiscalCode,
          `transfer ${t.idTransfer} of notice number ${option.nav} is a digital stamp: use paGetPaymentV2`,
        ),
      };
    }
    const metadata = [...t.transferMetadata];
    if (options.version === 2 && options.transferType === "PAGOPA" && isPostalOnly(t) && t.iban !== undefined) {
      metadata.push({ key: "IBANAPPOGGIO", value: t.postalIban });
    }
    const beneficiary = t.organizationFiscalCode || position.organizationFiscalCode;
    transfers.push({
      idTransfer: Number(t.idTransfer),
      transferAmount: euros(t.amount),
      fiscalCodePA: beneficiary,
      companyName:
        options.version === 2
          ? requiredText(t.companyName ?? options.beneficiaryNames.get(beneficiary) ?? position.companyName, 140)
          : undefined,
      ...(iban !== undefined
        ? { iban: fitText(iban, 35) ?? "NA" }
        : {
            stamp: {
              hashDocumento: t.stamp?.hashDocument ?? "",
              tipoBollo: t.stamp?.stampType ?? "",
              provinciaResidenza: t.stamp?.provincialResidence ?? "",
            },
          }),
      remittanceInformation: requiredText(t.remittanceInformation, 140),
      transferCategory: requiredText(t.category, 140),
      metadata: options.version === 2 ? metadataView(metadata) : [],
    });
  }
  return {
    ok: true,
    view: {
      creditorReferenceId: option.iuv,
      paymentAmount: euros(option.amount),
      dueDate: isoDate(option.dueDate),
      retentionDate: option.retentionDate,
      lastPayment: false,
      description: requiredText(option.description, 140),
      companyName: requiredText(position.companyName, 140),
      officeName: fitText(position.officeName, 140),
      debtor: debtorView(position),
      transfers,
      metadata: metadataView([
        ...option.paymentOptionMetadata,
        { key: "NOTIFICATION_FEE", value: String(option.notificationFee) },
      ]),
    },
  };
}
