// The debt-position aggregate as the domain sees it and as it is stored (one Cosmos document per position,
// options and transfers nested). Amounts are integer euro-cents; instants are RFC 3339 strings in UTC ("…Z"),
// always produced by `toIso`, so that string order is time order (Cosmos range queries rely on it).

export const debtPositionStatuses = [
  "DRAFT",
  "PUBLISHED",
  "VALID",
  "INVALID",
  "EXPIRED",
  "PARTIALLY_PAID",
  "PAID",
  "REPORTED",
] as const;
export type DebtPositionStatus = (typeof debtPositionStatuses)[number];

export const paymentOptionStatuses = ["PO_UNPAID", "PO_PAID", "PO_PARTIALLY_REPORTED", "PO_REPORTED"] as const;
export type PaymentOptionStatus = (typeof paymentOptionStatuses)[number];

export const transferStatuses = ["T_UNREPORTED", "T_REPORTED"] as const;
export type TransferStatus = (typeof transferStatuses)[number];

export const transferIds = ["1", "2", "3", "4", "5"] as const;
export type TransferId = (typeof transferIds)[number];

/** An instant, ISO 8601 in UTC with milliseconds ("2026-11-22T10:00:00.000Z"). */
export type Instant = string;

export const toIso = (d: Date): Instant => d.toISOString();

export interface Metadata {
  key: string;
  value?: string | undefined;
}

export interface Stamp {
  hashDocument: string;
  stampType: string;
  provincialResidence: string;
}

export interface Transfer {
  idTransfer: TransferId;
  amount: number;
  /** The beneficiary: the position's organization unless a multi-beneficiary transfer names another. */
  organizationFiscalCode: string;
  companyName?: string | undefined;
  remittanceInformation: string;
  category: string;
  iban?: string | undefined;
  postalIban?: string | undefined;
  stamp?: Stamp | undefined;
  transferMetadata: Metadata[];
  status: TransferStatus;
  /** The reporting flow that reported this transfer: a re-delivered flow is recognised per transfer (idempotency). */
  idFlowReporting?: string | undefined;
  insertedDate: Instant;
  lastUpdatedDate: Instant;
}

export interface PaymentOption {
  nav: string;
  iuv: string;
  organizationFiscalCode: string;
  amount: number;
  description?: string | undefined;
  isPartialPayment: boolean;
  dueDate: Instant;
  retentionDate?: Instant | undefined;
  /** v1 has one validity for the whole position: it is copied onto every option (docs/domain/debt-positions.md#model). */
  validityDate?: Instant | undefined;
  switchToExpired: boolean;
  fee: number;
  /** Set only by the notification platform (PUT …/notificationfee); already included in `amount`. */
  notificationFee: number;
  paymentDate?: Instant | undefined;
  reportingDate?: Instant | undefined;
  paymentMethod?: string | undefined;
  pspCode?: string | undefined;
  pspTaxCode?: string | undefined;
  pspCompany?: string | undefined;
  idReceipt?: string | undefined;
  idFlowReporting?: string | undefined;
  /** Set when the flow that reported this option was matched to a bank credit (docs/adr/0036). */
  reconciledDate?: Instant | undefined;
  /** The bank statement entry reference of that credit. */
  reconciliationRef?: string | undefined;
  status: PaymentOptionStatus;
  insertedDate: Instant;
  lastUpdatedDate: Instant;
  paymentOptionMetadata: Metadata[];
  transfer: Transfer[];
}

export type DebtorType = "F" | "G";

export interface DebtPosition {
  organizationFiscalCode: string;
  iupd: string;
  type: DebtorType;
  payStandIn: boolean;
  fiscalCode: string;
  fullName: string;
  streetName?: string | undefined;
  civicNumber?: string | undefined;
  postalCode?: string | undefined;
  city?: string | undefined;
  province?: string | undefined;
  region?: string | undefined;
  country?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  switchToExpired: boolean;
  companyName: string;
  officeName?: string | undefined;
  /** Minimum validity over the options (docs/domain/debt-positions.md#model). */
  validityDate?: Instant | undefined;
  publishDate?: Instant | undefined;
  paymentDate?: Instant | undefined;
  /** Set when the position is REPORTED and every reported option of it is reconciled with the treasury. */
  reconciledDate?: Instant | undefined;
  insertedDate: Instant;
  lastUpdatedDate: Instant;
  status: DebtPositionStatus;
  paymentOption: PaymentOption[];
  /**
   * A digest of the create request that wrote this position (body and toPublish), so that the same request retried
   * after an ambiguous failure is recognised instead of answering 409 (docs/adr/0016). Dropped by an update.
   */
  creationFingerprint?: string | undefined;
  /** Set while the position belongs to a bulk create that is not committed yet: readers do not see it (ADR 0015). */
  pendingBulk?: string | undefined;
}

/** What an EC sends to create or replace a position (PaymentPositionModel); read-only fields already dropped. */
export interface DebtPositionInput {
  iupd: string;
  type: DebtorType;
  payStandIn?: boolean | undefined;
  fiscalCode: string;
  fullName: string;
  streetName?: string | undefined;
  civicNumber?: string | undefined;
  postalCode?: string | undefined;
  city?: string | undefined;
  province?: string | undefined;
  region?: string | undefined;
  country?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  switchToExpired: boolean;
  companyName: string;
  officeName?: string | undefined;
  validityDate?: Instant | undefined;
  paymentOption: PaymentOptionInput[];
}

export interface PaymentOptionInput {
  nav?: string | undefined;
  iuv: string;
  amount: number;
  description?: string | undefined;
  isPartialPayment: boolean;
  dueDate: Instant;
  retentionDate?: Instant | undefined;
  paymentOptionMetadata: Metadata[];
  transfer: TransferInput[];
}

export interface TransferInput {
  idTransfer: string;
  amount: number;
  organizationFiscalCode?: string | undefined;
  companyName?: string | undefined;
  remittanceInformation: string;
  category: string;
  iban?: string | undefined;
  postalIban?: string | undefined;
  stamp?: Stamp | undefined;
  transferMetadata: Metadata[];
}

/** The segregation code of an IUV: its first two characters (docs/domain/debt-positions.md#nav). */
export const segregationCodeOf = (iuv: string): string => iuv.slice(0, 2);
