// Receipts API shapes (openapi/receipts.json ReceiptsInfo).
import type { ReceiptEntry, ReceiptListPage } from "../../shared/domain/receipts/ports";

const receiptModelResponse = (r: ReceiptEntry) => ({
  organizationFiscalCode: r.organizationFiscalCode,
  iuv: r.iuv,
  debtorFiscalCode: r.debtorFiscalCode,
  // Additive to the documented list fields: what intermediaries reconcile on without fetching every receipt.
  receiptId: r.receiptId,
  amount: r.amount,
  paymentDateTime: r.paymentDateTime,
});

export const toReceiptsInfo = (page: number, limit: number, result: ReceiptListPage) => ({
  receipts_list: result.items.map(receiptModelResponse),
  page_info: { page, limit, items_found: result.items.length, more_pages: result.morePages },
});
