// The stored shape of a one-option position the bench cases write (VALID, unpaid, due in 2099): the same document the
// app writes, built here so a case's baseline can write it directly with the SDK. Each case names its IUPDs.
import type { DebtPosition } from "../shared/domain/debt-positions/model";

export interface BenchPositionOptions {
  /** The IUPD is `${iupdPrefix}${iuv}`. */
  iupdPrefix: string;
  /** Transfers of 10.00 € each, or one transfer of 100.00 € when absent. */
  transfers?: number;
  description?: string;
  /** Set to publish time (positions the events case reads as published). */
  publishDate?: string;
  iban?: string;
}

/** The amount of a one-transfer bench position, in cents (the receipts the cases send pay exactly this). */
export const benchAmountCents = 10_000;
const perTransfer = 1000;

export function aBenchPosition(org: string, iuv: string, at: string, options: BenchPositionOptions): DebtPosition {
  const transfers = options.transfers;
  const amounts = transfers === undefined ? [benchAmountCents] : Array.from({ length: transfers }, () => perTransfer);
  return {
    organizationFiscalCode: org,
    iupd: `${options.iupdPrefix}${iuv}`,
    type: "F",
    payStandIn: true,
    fiscalCode: "RSSMRA80A01H501U",
    fullName: "Mario Rossi",
    switchToExpired: false,
    companyName: "Comune di Bench",
    insertedDate: at,
    lastUpdatedDate: at,
    ...(options.publishDate === undefined ? {} : { publishDate: options.publishDate }),
    status: "VALID",
    paymentOption: [
      {
        nav: `3${iuv}`,
        iuv,
        organizationFiscalCode: org,
        amount: amounts.reduce((a, b) => a + b, 0),
        ...(options.description === undefined ? {} : { description: options.description }),
        isPartialPayment: false,
        dueDate: "2099-12-31T23:59:59.000Z",
        switchToExpired: false,
        fee: 0,
        notificationFee: 0,
        status: "PO_UNPAID",
        insertedDate: at,
        lastUpdatedDate: at,
        paymentOptionMetadata: [],
        transfer: amounts.map((amount, t) => ({
          idTransfer: String(t + 1) as "1",
          amount,
          organizationFiscalCode: org,
          remittanceInformation: "Bench",
          category: "9/0101108TS/",
          iban: options.iban ?? "IT60X0542811101000000123456",
          transferMetadata: [],
          status: "T_UNREPORTED" as const,
          insertedDate: at,
          lastUpdatedDate: at,
        })),
      },
    ],
  };
}
