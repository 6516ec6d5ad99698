// settleReceipt, pure (shared/domain/receipts/settlement.ts): every outcome the ingestion job classifies.
import type { DebtPosition } from "../../../shared/domain/debt-positions/model";
import { parseReceipt } from "../../../shared/xml/receipt-xml";
import { receiptEntryOf, settleReceipt } from "../../../shared/domain/receipts/settlement";
import { aDebtPosition, aPaymentOption, deepFreeze } from "../../support/builders";
import { aReceiptXml, type ReceiptXmlOptions } from "../../support/xml-builders";

const now = new Date("2026-03-10T10:00:00.000Z");
const iuv = "01000000000000001";
const receipt = (o: ReceiptXmlOptions = {}) => parseReceipt(aReceiptXml({ iuv, receiptId: "R1", ...o }));
const position = (overrides: Partial<DebtPosition> = {}) =>
  deepFreeze(
    aDebtPosition({ status: "VALID", paymentOption: [aPaymentOption({ iuv, amount: 10_000 })], ...overrides }),
  );

describe("settleReceipt", () => {
  it("pays an unpaid option with the receipt's data and makes the position PAID", () => {
    const s = settleReceipt(position(), receipt({ feeCents: 120, paymentDateTime: "2026-03-09T08:00:00Z" }), now);
    if (s.outcome !== "pay") throw new Error(s.outcome);
    expect(s.position.status).toBe("PAID");
    expect(s.position.paymentDate).toBe("2026-03-09T08:00:00.000Z");
    expect(s.option).toMatchObject({
      status: "PO_PAID",
      idReceipt: "R1",
      fee: 120,
      pspCompany: "Banca di Prova",
      paymentMethod: "creditCard",
    });
  });

  it("dates a receipt without paymentDateTime at `now`", () => {
    const s = settleReceipt(position(), receipt({ paymentDateTime: "" }), now);
    expect(s).toMatchObject({ outcome: "pay", option: { paymentDate: now.toISOString() } });
  });

  it("recognises the receipt that already paid the option", () => {
    const paid = position({
      status: "PAID",
      paymentOption: [aPaymentOption({ iuv, status: "PO_PAID", idReceipt: "R1" })],
    });
    expect(settleReceipt(paid, receipt(), now)).toMatchObject({
      outcome: "already-applied",
      option: { idReceipt: "R1" },
    });
  });

  it.each<[string, DebtPosition, ReceiptXmlOptions, RegExp]>([
    [
      "another receipt already paid it",
      position({ status: "PAID", paymentOption: [aPaymentOption({ iuv, status: "PO_PAID", idReceipt: "R0" })] }),
      {},
      /^PAYMENT_OPTION_ALREADY_PAID/,
    ],
    ["the amount differs", position(), { amountCents: 9_999 }, /^amount-mismatch/],
    [
      "the notice number names no option",
      position(),
      { noticeNumber: "399999999999999999" },
      /^unknown-payment-option/,
    ],
    [
      "the notification fee makes the amount differ",
      position({ paymentOption: [aPaymentOption({ iuv, amount: 10_200, notificationFee: 200 })] }),
      { amountCents: 10_000 },
      /^amount-mismatch/,
    ],
  ])("rejects when %s", (_label, p, o, reason) => {
    const s = settleReceipt(p, receipt(o), now);
    expect(s.outcome).toBe("reject");
    if (s.outcome === "reject") expect(s.reason).toMatch(reason);
  });

  it("indexes the receipt as its option dates the payment", () => {
    const option = aPaymentOption({ iuv, paymentDate: "2026-03-09T08:00:00.000Z" });
    expect(receiptEntryOf(receipt({ paymentDateTime: "" }), option, "77777777777/x.xml", now)).toEqual({
      organizationFiscalCode: "77777777777",
      iuv,
      debtorFiscalCode: "RSSMRA80A01H501U",
      paymentDateTime: "2026-03-09T08:00:00.000Z",
      receiptId: "R1",
      amount: 10000,
      noticeNumber: `3${iuv}`,
      segregationCode: "01",
      documentName: "77777777777/x.xml",
    });
  });
});
