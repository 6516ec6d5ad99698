// Domain → API shapes of openapi-gpd.json. Explicit field lists, so a new domain field never leaks by accident.
import type { DebtPosition, PaymentOption, Transfer } from "../../shared/domain/debt-positions/model";
import { toPaymentOptionResponse } from "../../shared/http/payment-option-response";

const metadata = (items: readonly { key: string; value?: string | undefined }[]) =>
  items.map((m) => ({ key: m.key, value: m.value }));

const transferModel = (t: Transfer) => ({
  idTransfer: t.idTransfer,
  amount: t.amount,
  organizationFiscalCode: t.organizationFiscalCode,
  companyName: t.companyName,
  remittanceInformation: t.remittanceInformation,
  category: t.category,
  iban: t.iban,
  postalIban: t.postalIban,
  stamp: t.stamp,
  transferMetadata: metadata(t.transferMetadata),
});

const paymentOptionModel = (o: PaymentOption) => ({
  nav: o.nav,
  iuv: o.iuv,
  amount: o.amount,
  description: o.description,
  isPartialPayment: o.isPartialPayment,
  dueDate: o.dueDate,
  retentionDate: o.retentionDate,
  fee: o.fee,
  notificationFee: o.notificationFee,
  transfer: o.transfer.map(transferModel),
  paymentOptionMetadata: metadata(o.paymentOptionMetadata),
});

/** PaymentPositionModel: what create, update, publish and invalidate answer (the input shape plus read-only fields). */
export const toPaymentPositionModel = (p: DebtPosition) => ({
  iupd: p.iupd,
  type: p.type,
  payStandIn: p.payStandIn,
  fiscalCode: p.fiscalCode,
  fullName: p.fullName,
  streetName: p.streetName,
  civicNumber: p.civicNumber,
  postalCode: p.postalCode,
  city: p.city,
  province: p.province,
  region: p.region,
  country: p.country,
  email: p.email,
  phone: p.phone,
  switchToExpired: p.switchToExpired,
  companyName: p.companyName,
  officeName: p.officeName,
  validityDate: p.validityDate,
  paymentDate: p.paymentDate,
  status: p.status,
  paymentOption: p.paymentOption.map(paymentOptionModel),
});

/** PaymentPositionModelBaseResponse: what get and list answer (no debtor data, docs/domain/debt-positions.md#model). */
export const toBaseResponse = (p: DebtPosition) => ({
  iupd: p.iupd,
  organizationFiscalCode: p.organizationFiscalCode,
  type: p.type,
  companyName: p.companyName,
  officeName: p.officeName,
  insertedDate: p.insertedDate,
  publishDate: p.publishDate,
  validityDate: p.validityDate,
  paymentDate: p.paymentDate,
  reconciledDate: p.reconciledDate,
  status: p.status,
  lastUpdatedDate: p.lastUpdatedDate,
  paymentOption: p.paymentOption.map(toPaymentOptionResponse),
});

export const toPageInfo = (page: number, limit: number, itemsOnPage: number, total: number) => ({
  page,
  limit,
  items_found: itemsOnPage,
  total_pages: Math.ceil(total / limit),
});
