// Positions and organizations as notices are printed from them (pure data).
import type { DebtPosition } from "../../shared/domain/debt-positions/model";
import type { Organization } from "../../shared/domain/organizations/organization";
import { aDebtPosition, anOrganizationFiscalCode, aPaymentOption, aRegisteredPostalIban, aTransfer } from "./builders";

export const noticeNow = new Date("2026-06-01T10:00:00.000Z");

export const anOrganization = (overrides: Partial<Organization> = {}): Organization => ({
  fiscalCode: anOrganizationFiscalCode,
  companyName: "Comune di Test",
  auxDigit: "3",
  ibans: ["IT60X0542811101000000123456"],
  postalIbans: [aRegisteredPostalIban],
  stationCodes: [],
  cbill: "AB123",
  fdr3Enabled: false,
  updatedAt: "2026-01-01T00:00:00.000Z",
  ...overrides,
});

/** VALID, one single option of 123.45 € due 31/12/2026, on a bank IBAN only. */
export const aPayablePosition = (overrides: Partial<DebtPosition> = {}): DebtPosition =>
  aDebtPosition({
    status: "VALID",
    publishDate: "2026-01-02T00:00:00.000Z",
    validityDate: "2026-01-02T00:00:00.000Z",
    streetName: "Via Roma",
    civicNumber: "1",
    postalCode: "00100",
    city: "Roma",
    province: "RM",
    paymentOption: [
      aPaymentOption({
        iuv: "01000000000012345",
        nav: "301000000000012345",
        amount: 12345,
        description: "Tassa sui rifiuti 2026 - saldo",
        transfer: [aTransfer({ amount: 12345 })],
      }),
    ],
    ...overrides,
  });

/** The same with the transfer also naming the EC's postal IBAN: the notice carries the Bollettino Postale PA. */
export const aPostalPosition = (): DebtPosition =>
  aPayablePosition({
    iupd: "IUPD-POSTAL",
    paymentOption: [
      aPaymentOption({
        iuv: "01000000000054321",
        nav: "301000000000054321",
        amount: 9876,
        description: "Servizio mensa scolastica",
        transfer: [aTransfer({ amount: 9876, postalIban: aRegisteredPostalIban })],
      }),
    ],
  });

/** A single option (300.00 €) or three installments of their own amounts and due dates. */
export const aPlanPosition = (): DebtPosition =>
  aPayablePosition({
    iupd: "IUPD-PLAN",
    paymentOption: [
      aPaymentOption({
        iuv: "01000000000000100",
        nav: "301000000000000100",
        amount: 30000,
        dueDate: "2026-07-31T00:00:00.000Z",
        description: "Canone 2026",
      }),
      aPaymentOption({
        iuv: "01000000000000101",
        nav: "301000000000000101",
        amount: 10000,
        isPartialPayment: true,
        dueDate: "2026-07-31T00:00:00.000Z",
        description: "Canone 2026",
      }),
      aPaymentOption({
        iuv: "01000000000000102",
        nav: "301000000000000102",
        amount: 10050,
        isPartialPayment: true,
        dueDate: "2026-09-30T00:00:00.000Z",
        description: "Canone 2026",
      }),
      aPaymentOption({
        iuv: "01000000000000103",
        nav: "301000000000000103",
        amount: 9950,
        isPartialPayment: true,
        dueDate: "2026-11-30T00:00:00.000Z",
        description: "Canone 2026",
      }),
    ],
  });
