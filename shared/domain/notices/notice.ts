// What a pagoPA payment notice (avviso) says, computed from a stored position and its organization: the fields the
// templates print, the QR payload every payment app scans and the Poste data matrix. Pure: no I/O, no PDF library;
// shared/adapters/pdf/notice-pdf.ts draws it. Field widths and payload layouts: docs/adr/0045-payment-notice-content.md.
import { effectiveStatus } from "../debt-positions/effective-status";
import type { DebtPosition, PaymentOption } from "../debt-positions/model";
import { DomainError } from "../errors";
import type { Organization } from "../organizations/organization";

/** One tear-off of the notice: one payable option, with its own code, amount, due date and barcodes. */
export interface NoticeSlip {
  nav: string;
  /** The NAV as printed notices show it: groups of four digits (3020 0000 0000 0012 34). */
  navGrouped: string;
  iuv: string;
  amountCents: number;
  /** "1.234,56": Italian grouping and decimal comma, as the templates print euros. */
  amountText: string;
  /** dd/MM/yyyy of the due date's UTC calendar day (GPD stores the EC's local due date as UTC). */
  dueDateText: string;
  /** Present for an installment: its position in the plan. */
  installment?: { number: number; of: number } | undefined;
  qrPayload: string;
  /** Present when the option's transfers name a postal IBAN: the Bollettino Postale PA. */
  postal?: { account: string; dataMatrixPayload: string } | undefined;
}

export interface Notice {
  iupd: string;
  organization: { fiscalCode: string; name: string; cbill?: string | undefined };
  debtor: { fiscalCode: string; fullName: string; address?: string | undefined };
  subject: string;
  /** Options that pay the whole position on their own (isPartialPayment=false). */
  single: NoticeSlip[];
  /** The installments of the plan, earliest due first. */
  installments: NoticeSlip[];
}

/** Template limits (pagoPA's notice generator): longer texts are cut with an ellipsis so the layout holds. */
export const noticeTextLimits = { subject: 90, fullName: 70, address: 140 } as const;

/** The statuses for which a notice can be printed: the position can be paid (or will be once its validity begins). */
export const printableStatuses = ["PUBLISHED", "VALID"] as const;

export function buildNotice(position: DebtPosition, organization: Organization, now: Date): Notice {
  const status = effectiveStatus(position, now);
  if (!(printableStatuses as readonly string[]).includes(status)) {
    throw new DomainError(
      "NOTICE_NOT_PAYABLE",
      `The debt position ${position.iupd} is ${status}: a payment notice is issued only for PUBLISHED or VALID positions`,
    );
  }
  const options = position.paymentOption.filter((o) => o.status === "PO_UNPAID");
  const installments = options.filter((o) => o.isPartialPayment).sort(byDueDate);
  const singles = options.filter((o) => !o.isPartialPayment).sort(byDueDate);
  const first = singles[0] ?? installments[0];
  if (first === undefined) {
    throw new DomainError("NOTICE_NOT_PAYABLE", `The debt position ${position.iupd} has no option left to pay`);
  }
  const subject = cut(subjectOf(first), noticeTextLimits.subject);
  const fullName = cut(position.fullName, noticeTextLimits.fullName);
  const context: SlipContext = { organization, debtorFiscalCode: position.fiscalCode.toUpperCase(), fullName, subject };
  return {
    iupd: position.iupd,
    organization: { fiscalCode: organization.fiscalCode, name: organization.companyName, cbill: organization.cbill },
    debtor: { fiscalCode: context.debtorFiscalCode, fullName, address: addressOf(position) },
    subject,
    single: singles.map((o) => slip(o, context, undefined)),
    installments: installments.map((o, i) => slip(o, context, { number: i + 1, of: installments.length })),
  };
}

interface SlipContext {
  organization: Organization;
  debtorFiscalCode: string;
  fullName: string;
  subject: string;
}

function slip(option: PaymentOption, ctx: SlipContext, installment: NoticeSlip["installment"]): NoticeSlip {
  if (!/^\d{18}$/.test(option.nav)) {
    throw new DomainError(
      "NOTICE_NOT_PAYABLE",
      `The notice code ${option.nav} is not 18 digits: it cannot be printed on a pagoPA notice`,
    );
  }
  const postalIban = option.transfer.find((t) => t.postalIban !== undefined)?.postalIban;
  const account = postalIban === undefined ? undefined : postalAccountOf(postalIban);
  return {
    nav: option.nav,
    navGrouped: groupNav(option.nav),
    iuv: option.iuv,
    amountCents: option.amount,
    amountText: formatEuros(option.amount),
    dueDateText: formatDate(option.dueDate),
    installment,
    qrPayload: qrPayload(option.nav, ctx.organization.fiscalCode, option.amount),
    postal:
      account === undefined
        ? undefined
        : {
            account,
            dataMatrixPayload: posteDataMatrixPayload({
              nav: option.nav,
              postalAccount: account,
              amountCents: option.amount,
              organizationFiscalCode: ctx.organization.fiscalCode,
              debtorFiscalCode: ctx.debtorFiscalCode,
              fullName: ctx.fullName,
              subject: ctx.subject,
            }),
          },
  };
}

/** pagoPA's notice QR: PAGOPA|002|<NAV, 18>|<EC fiscal code, 11>|<amount in cents>. */
export const qrPayload = (nav: string, organizationFiscalCode: string, amountCents: number): string =>
  ["PAGOPA", "002", nav.padStart(18, "0"), organizationFiscalCode.padStart(11, "0"), String(amountCents)].join("|");

export interface DataMatrixFields {
  nav: string;
  postalAccount: string;
  amountCents: number;
  organizationFiscalCode: string;
  debtorFiscalCode: string;
  fullName: string;
  subject: string;
}

/** The fixed-width fields after `codfase=NBPA;` (docs/adr/0045-payment-notice-content.md): 243 characters. */
export const dataMatrixLayout = {
  prefix: "codfase=NBPA;",
  navWidth: 18,
  accountWidth: 12,
  amountWidth: 10,
  documentType: "896",
  format: "1P1",
  organizationWidth: 11,
  debtorWidth: 16,
  nameWidth: 40,
  subjectWidth: 110,
  fillerWidth: 12,
  terminator: "A",
  length: 256,
} as const;

/**
 * The Poste "codfase=NBPA" string. Each free-text field is cut to its width and padded with spaces, and reduced to
 * printable ASCII first: a character outside it (an accent, a euro sign) would take more than one byte and shift
 * every field after it, which is how a misprinted bollettino gets rejected at the counter.
 */
export function posteDataMatrixPayload(f: DataMatrixFields): string {
  const L = dataMatrixLayout;
  const digits = (value: string, width: number, what: string) => {
    const padded = value.padStart(width, "0");
    if (!/^\d+$/.test(padded) || padded.length !== width) {
      throw new DomainError("NOTICE_NOT_PAYABLE", `The ${what} ${value} does not fit the Poste data matrix`);
    }
    return padded;
  };
  const text = (value: string, width: number) => asciiText(value).slice(0, width).padEnd(width, " ");
  const payload = [
    L.prefix,
    "18",
    digits(f.nav, L.navWidth, "notice code"),
    "12",
    digits(f.postalAccount, L.accountWidth, "postal account"),
    "10",
    digits(String(f.amountCents), L.amountWidth, "amount"),
    "3",
    L.documentType,
    L.format,
    text(f.organizationFiscalCode, L.organizationWidth),
    text(f.debtorFiscalCode, L.debtorWidth),
    text(f.fullName, L.nameWidth),
    text(f.subject, L.subjectWidth),
    " ".repeat(L.fillerWidth),
    L.terminator,
  ].join("");
  return payload;
}

/** Printable ASCII only: accents dropped (è → e), anything else outside 0x20–0x7E becomes a space. */
export const asciiText = (value: string): string =>
  value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, " ");

/**
 * The postal account of an Italian postal IBAN: its last 12 characters (the BBAN's account number; Poste's ABI is
 * 07601). Undefined when the IBAN is not one whose account is all digits.
 */
export function postalAccountOf(iban: string): string | undefined {
  const compact = iban.replace(/\s+/g, "").toUpperCase();
  if (!/^IT\d{2}[A-Z]07601\d{5}\d{12}$/.test(compact)) return undefined;
  return compact.slice(-12);
}

export const groupNav = (nav: string): string => nav.replace(/(\d{4})(?=\d)/g, "$1 ");

/** 123456 → "1.234,56". */
export function formatEuros(cents: number): string {
  const units = Math.trunc(cents / 100);
  const decimals = String(cents % 100).padStart(2, "0");
  return `${String(units).replace(/\B(?=(\d{3})+(?!\d))/g, ".")},${decimals}`;
}

export function formatDate(instant: string): string {
  const d = new Date(instant);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

const byDueDate = (a: PaymentOption, b: PaymentOption) =>
  Date.parse(a.dueDate) - Date.parse(b.dueDate) || a.nav.localeCompare(b.nav);

/** The option description, else the first transfer's remittance information (both are what the debtor pays for). */
const subjectOf = (option: PaymentOption): string => {
  const description = option.description?.trim();
  if (description !== undefined && description !== "") return description;
  return option.transfer[0]?.remittanceInformation ?? "";
};

function addressOf(p: DebtPosition): string | undefined {
  const street = [p.streetName, p.civicNumber].filter(Boolean).join(", ");
  const town = [p.postalCode, p.city, p.province === undefined ? undefined : `(${p.province})`]
    .filter(Boolean)
    .join(" ");
  const address = [street, town].filter((s) => s !== "").join(" - ");
  return address === "" ? undefined : cut(address, noticeTextLimits.address);
}

const cut = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
};
