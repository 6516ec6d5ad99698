// PaymentOptionModelResponse: how every API shows a payment option (debt-position reads, the notification fee).
import type { Metadata, PaymentOption, Transfer } from "../domain/debt-positions/model";

const metadata = (m: readonly Metadata[]) => m.map((e) => ({ key: e.key, value: e.value }));

export const toTransferResponse = (t: Transfer) => ({
  organizationFiscalCode: t.organizationFiscalCode,
  companyName: t.companyName,
  idTransfer: t.idTransfer,
  amount: t.amount,
  remittanceInformation: t.remittanceInformation,
  category: t.category,
  iban: t.iban,
  postalIban: t.postalIban,
  stamp: t.stamp,
  insertedDate: t.insertedDate,
  status: t.status,
  lastUpdatedDate: t.lastUpdatedDate,
  transferMetadata: metadata(t.transferMetadata),
});

export const toPaymentOptionResponse = (o: PaymentOption) => ({
  nav: o.nav,
  iuv: o.iuv,
  organizationFiscalCode: o.organizationFiscalCode,
  amount: o.amount,
  description: o.description,
  isPartialPayment: o.isPartialPayment,
  dueDate: o.dueDate,
  retentionDate: o.retentionDate,
  paymentDate: o.paymentDate,
  reportingDate: o.reportingDate,
  insertedDate: o.insertedDate,
  paymentMethod: o.paymentMethod,
  fee: o.fee,
  notificationFee: o.notificationFee,
  pspCompany: o.pspCompany,
  idReceipt: o.idReceipt,
  idFlowReporting: o.idFlowReporting,
  reconciledDate: o.reconciledDate,
  reconciliationRef: o.reconciliationRef,
  status: o.status,
  lastUpdatedDate: o.lastUpdatedDate,
  paymentOptionMetadata: metadata(o.paymentOptionMetadata),
  transfer: o.transfer.map(toTransferResponse),
});
