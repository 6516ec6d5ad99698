// Test fixtures as builders with overrides. Pure data; no I/O.
import type {
  DebtPosition,
  DebtPositionInput,
  PaymentOption,
  PaymentOptionInput,
  Transfer,
  TransferInput,
} from "../../shared/domain/debt-positions/model";

// ---- stored aggregate: aDebtPosition() and its parts ----------------------------------------------------------

export const anOrganizationFiscalCode = "77777777777";
/** A fixed instant the stored fixtures were written at, well before any test's `now`. */
export const fixtureInstant = "2026-01-01T00:00:00.000Z";

export const aTransfer = (overrides: Partial<Transfer> = {}): Transfer => ({
  idTransfer: "1",
  amount: 10000,
  organizationFiscalCode: anOrganizationFiscalCode,
  companyName: "Comune di Test",
  remittanceInformation: "TARI 2026",
  category: "9/0101108TS/",
  iban: "IT60X0542811101000000123456",
  transferMetadata: [],
  status: "T_UNREPORTED",
  insertedDate: fixtureInstant,
  lastUpdatedDate: fixtureInstant,
  ...overrides,
});

export const aPaymentOption = (overrides: Partial<PaymentOption> = {}): PaymentOption => {
  const iuv = overrides.iuv ?? "01000000000000001";
  return {
    nav: `3${iuv}`,
    iuv,
    organizationFiscalCode: anOrganizationFiscalCode,
    amount: 10000,
    description: "TARI 2026",
    isPartialPayment: false,
    dueDate: "2026-12-31T23:59:59.000Z",
    switchToExpired: false,
    fee: 0,
    notificationFee: 0,
    status: "PO_UNPAID",
    insertedDate: fixtureInstant,
    lastUpdatedDate: fixtureInstant,
    paymentOptionMetadata: [],
    transfer: [aTransfer()],
    ...overrides,
  };
};

/** A DRAFT position with one single option of 100.00 € on one transfer to the EC. */
export const aDebtPosition = (overrides: Partial<DebtPosition> = {}): DebtPosition => ({
  organizationFiscalCode: anOrganizationFiscalCode,
  iupd: "IUPD-0001",
  type: "F",
  payStandIn: true,
  fiscalCode: "RSSMRA80A01H501U",
  fullName: "Mario Rossi",
  switchToExpired: false,
  companyName: "Comune di Test",
  insertedDate: fixtureInstant,
  lastUpdatedDate: fixtureInstant,
  status: "DRAFT",
  paymentOption: [aPaymentOption()],
  ...overrides,
});

/** Freezes a fixture all the way down, so a test fails if the code under test mutates its input. */
export const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};

// ---- request input: aDebtPositionInput() and its parts (what parseDebtPositionBody returns) --------------------

/** The EC's registered IBAN (valid ISO 13616) and postal IBAN (Poste Italiane ABI 07601, valid checksum). */
export const aRegisteredIban = "IT60X0542811101000000123456";
export const aRegisteredPostalIban = "IT93X0760103200001234567890";

export const aTransferInput = (overrides: Partial<TransferInput> = {}): TransferInput => ({
  idTransfer: "1",
  amount: 10000,
  remittanceInformation: "TARI 2026",
  category: "9/0101108TS/",
  iban: aRegisteredIban,
  transferMetadata: [],
  ...overrides,
});

export const aPaymentOptionInput = (overrides: Partial<PaymentOptionInput> = {}): PaymentOptionInput => ({
  iuv: "01000000000000001",
  amount: 10000,
  description: "TARI 2026",
  isPartialPayment: false,
  dueDate: "2026-12-31T23:59:59.000Z",
  paymentOptionMetadata: [],
  transfer: [aTransferInput()],
  ...overrides,
});

/** A valid create/update input: no validity date, one option of 100.00 € due 2026-12-31 on one transfer to the EC. */
export const aDebtPositionInput = (overrides: Partial<DebtPositionInput> = {}): DebtPositionInput => ({
  iupd: "IUPD-0001",
  type: "F",
  fiscalCode: "RSSMRA80A01H501U",
  fullName: "Mario Rossi",
  switchToExpired: false,
  companyName: "Comune di Test",
  paymentOption: [aPaymentOptionInput()],
  ...overrides,
});
