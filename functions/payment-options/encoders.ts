// Domain → API shapes of the payment-option operations: PaymentsModelResponse (pay, paid outside pagoPA),
// PaymentsWithDebtorInfoModelResponse (lookup by NAV), TransferModelResponse (report), the verify response and its
// error body (orgs_payment_options.json ErrorResponse).
import type { HttpResponseInit } from "@azure/functions";
import type { PaymentOption, Transfer } from "../../shared/domain/debt-positions/model";
import type { PaymentOptionLookup } from "../../shared/domain/debt-positions/payment-option-lookup";
import type { VerifiedPaymentOptions } from "../../shared/domain/debt-positions/verify";
import { toPaymentOptionResponse, toTransferResponse } from "../../shared/http/payment-option-response";

/** Every position of this service is a GPD one (ACA and WISP positions belong to other channels). */
const serviceType = "GPD";

export const toPaymentsModelResponse = (option: PaymentOption) => ({
  ...toPaymentOptionResponse(option),
  serviceType,
});

export const toTransferModelResponse = (transfer: Transfer) => toTransferResponse(transfer);

export const toPaymentsWithDebtorInfo = ({ position, option, debtPositionStatus }: PaymentOptionLookup) => {
  const { lastUpdatedDate: _lastUpdated, ...optionFields } = toPaymentOptionResponse(option);
  return {
    ...optionFields,
    payStandIn: position.payStandIn,
    serviceType,
    iupd: position.iupd,
    type: position.type,
    fiscalCode: position.fiscalCode,
    fullName: position.fullName,
    streetName: position.streetName,
    civicNumber: position.civicNumber,
    postalCode: position.postalCode,
    city: position.city,
    province: position.province,
    region: position.region,
    country: position.country,
    email: position.email,
    phone: position.phone,
    companyName: position.companyName,
    officeName: position.officeName,
    debtPositionStatus,
  };
};

export const toVerifyResponse = (v: VerifiedPaymentOptions) => ({
  organizationFiscalCode: v.organizationFiscalCode,
  companyName: v.companyName,
  officeName: v.officeName,
  standin: v.standIn,
  paymentOptions: v.paymentOptions.map((g) => ({
    description: g.description,
    numberOfInstallments: g.numberOfInstallments,
    amount: g.amount,
    dueDate: g.dueDate,
    validFrom: g.validFrom,
    status: g.status,
    statusReason: g.statusReason,
    allCCP: g.allCCP,
    installments: g.installments.map((i) => ({
      nav: i.nav,
      iuv: i.iuv,
      amount: i.amount,
      description: i.description,
      dueDate: i.dueDate,
      validFrom: i.validFrom,
      status: i.status,
      statusReason: i.statusReason,
    })),
  })),
});

/** The ODP codes of orgs_payment_options.json, with their HTTP status and pagoPA fault name. */
export const odpErrors = {
  "ODP-101": { status: 400, description: "Bad Request", fault: "PAA_SINTASSI" },
  "ODP-102": { status: 422, description: "Unprocessable Entity", fault: "PAA_SEMANTICA" },
  "ODP-103": { status: 500, description: "Internal Server Error", fault: "PAA_SYSTEM_ERROR" },
  "ODP-104": { status: 400, description: "Bad Request", fault: "PAA_ID_DOMINIO_ERRATO" },
  "ODP-107": { status: 404, description: "Not Found", fault: "PAA_PAGAMENTO_SCONOSCIUTO" },
  "ODP-108": { status: 409, description: "Conflict", fault: "PAA_PAGAMENTO_DUPLICATO" },
  "ODP-110": { status: 422, description: "Unprocessable Entity", fault: "PAA_PAGAMENTO_SCADUTO" },
  "ODP-111": { status: 422, description: "Unprocessable Entity", fault: "PAA_PAGAMENTO_ANNULLATO" },
} as const;
export type OdpCode = keyof typeof odpErrors;

/** ErrorResponse: errorMessage is the fault name then the detail, as orgs_payment_options.json's examples show. */
export function odpError(code: OdpCode, detail: string, now: Date): HttpResponseInit {
  const e = odpErrors[code];
  return {
    status: e.status,
    jsonBody: {
      httpStatusCode: e.status,
      httpStatusDescription: e.description,
      appErrorCode: code,
      timestamp: Math.floor(now.getTime() / 1000),
      dateTime: now.toISOString(),
      errorMessage: `${e.fault} ${detail}`,
    },
  };
}
