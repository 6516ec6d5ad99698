import type { DebtPosition, DebtPositionStatus, PaymentOption } from "../../../shared/domain/debt-positions/model";
import {
  applyNotificationFee,
  payPaymentOption,
  primaryTransfer,
  reportTransfer,
  type Payment,
  type PayResult,
  type ReportResult,
} from "../../../shared/domain/debt-positions/payments";
import { aDebtPosition, aPaymentOption, aTransfer, deepFreeze } from "../../support/builders";

const EC = "77777777777";
const now = new Date("2026-06-01T10:00:00.000Z");
const NOW = now.toISOString();

const aPayment = (overrides: Partial<Payment> = {}): Payment => ({
  paymentDate: "2026-06-01T09:00:00.000Z",
  paymentMethod: "CP",
  pspCode: "PSP01",
  pspTaxCode: "12345678901",
  pspCompany: "Banca Test",
  idReceipt: "RCPT-1",
  fee: 150,
  ...overrides,
});

const paid = (r: PayResult): DebtPosition => {
  if (r.outcome !== "paid") throw new Error(`expected paid, got ${r.outcome}`);
  return deepFreeze(r.position);
};
const reported = (r: ReportResult): DebtPosition => {
  if (r.outcome !== "reported") throw new Error(`expected reported, got ${r.outcome}`);
  return deepFreeze(r.position);
};
const refusal = (r: PayResult | ReportResult | ReturnType<typeof applyNotificationFee>) =>
  r.outcome === "refused" ? { code: r.error.code, status: r.error.status, detail: r.error.detail } : r.outcome;

const twoTransfers = () => [aTransfer({ amount: 6000 }), aTransfer({ idTransfer: "2", amount: 4000 })];
const installment = (n: number, overrides: Partial<PaymentOption> = {}) =>
  aPaymentOption({ iuv: `0200000000000000${n}`, isPartialPayment: true, transfer: twoTransfers(), ...overrides });
const single = (n: number, overrides: Partial<PaymentOption> = {}) =>
  aPaymentOption({ iuv: `0100000000000000${n}`, ...overrides });

describe("payPaymentOption", () => {
  const position = (status: DebtPositionStatus = "VALID", options = [single(1)]) =>
    deepFreeze(aDebtPosition({ status, paymentOption: options }));

  test("marks the option PO_PAID with the payment data; a single option settles the position", () => {
    const r = payPaymentOption(position(), { nav: "301000000000000001" }, aPayment(), now);
    const p = paid(r);
    expect(p.paymentOption[0]).toMatchObject({
      status: "PO_PAID",
      paymentDate: "2026-06-01T09:00:00.000Z",
      paymentMethod: "CP",
      pspCode: "PSP01",
      pspTaxCode: "12345678901",
      pspCompany: "Banca Test",
      idReceipt: "RCPT-1",
      fee: 150,
      lastUpdatedDate: NOW,
    });
    expect(p).toMatchObject({ status: "PAID", paymentDate: "2026-06-01T09:00:00.000Z", lastUpdatedDate: NOW });
  });

  test("finds the option by IUV, or by NAV and IUV together", () => {
    expect(payPaymentOption(position(), { iuv: "01000000000000001" }, aPayment(), now).outcome).toBe("paid");
    expect(
      payPaymentOption(position(), { iuv: "01000000000000001", nav: "301000000000000001" }, aPayment(), now).outcome,
    ).toBe("paid");
  });

  test.each([
    [
      { nav: "399999999999999999" },
      `Not found a payment option for Organization Fiscal Code ${EC} and NAV 399999999999999999`,
    ],
    [
      { iuv: "09999999999999999" },
      `Not found a payment option for Organization Fiscal Code ${EC} and IUV 09999999999999999`,
    ],
    [{ iuv: "01000000000000001", nav: "399999999999999999" }, expect.stringContaining("NAV 399999999999999999")],
    [{}, expect.stringContaining("Not found a payment option")],
  ])("unknown option %j → 404", (ref, detail) => {
    expect(refusal(payPaymentOption(position(), ref, aPayment(), now))).toEqual({
      code: "PAYMENT_OPTION_NOT_FOUND",
      status: 404,
      detail,
    });
  });

  test("the same receipt twice is an idempotent no-op", () => {
    const once = paid(payPaymentOption(position(), { nav: "301000000000000001" }, aPayment(), now));
    expect(payPaymentOption(once, { nav: "301000000000000001" }, aPayment(), now)).toEqual({
      outcome: "already-paid-same-receipt",
    });
  });

  test("another receipt for a paid option → 409 ALREADY_PAID", () => {
    const once = paid(payPaymentOption(position(), { nav: "301000000000000001" }, aPayment(), now));
    expect(
      refusal(payPaymentOption(once, { nav: "301000000000000001" }, aPayment({ idReceipt: "RCPT-2" }), now)),
    ).toEqual({
      code: "PAYMENT_OPTION_ALREADY_PAID",
      status: 409,
      detail: `A payment transaction has already been carried out for the Organization Fiscal Code ${EC} and NAV 301000000000000001`,
    });
  });

  test.each(["DRAFT", "PUBLISHED", "VALID", "INVALID", "EXPIRED"] as const)(
    "a receipt is accepted in %s: money was collected",
    (status) => {
      expect(paid(payPaymentOption(position(status), { iuv: "01000000000000001" }, aPayment(), now)).status).toBe(
        "PAID",
      );
    },
  );

  test.each(["PAID", "REPORTED"] as const)("%s refuses an unpaid option with 409 ALREADY_PAID", (status) => {
    const p = position(status, [single(1, { status: "PO_PAID", idReceipt: "X" }), single(2)]);
    expect(refusal(payPaymentOption(p, { iuv: "01000000000000002" }, aPayment(), now))).toMatchObject({
      code: "PAYMENT_OPTION_ALREADY_PAID",
    });
  });

  test("cross-payment: a single option while an installment progressed → 404", () => {
    const p = position("PARTIALLY_PAID", [
      single(1),
      installment(1, { status: "PO_PAID", idReceipt: "X" }),
      installment(2),
    ]);
    expect(refusal(payPaymentOption(p, { iuv: "01000000000000001" }, aPayment(), now))).toMatchObject({
      code: "PAYMENT_OPTION_NOT_FOUND",
      status: 404,
    });
  });

  test("does not mutate its input", () => {
    const p = position();
    payPaymentOption(p, { iuv: "01000000000000001" }, aPayment(), now);
    expect(p.paymentOption[0]!.status).toBe("PO_UNPAID");
  });
});

describe("installment plan paid one by one, then reported across two flows", () => {
  const start = deepFreeze(
    aDebtPosition({
      status: "VALID",
      paymentOption: [
        single(1, { amount: 20000, transfer: [aTransfer({ amount: 20000 })] }),
        installment(1),
        installment(2),
      ],
    }),
  );
  const flowA = { idFlowReporting: "2026-06-02PSP01-0001", reportingDate: "2026-06-02T08:00:00.000Z" };
  const flowB = { idFlowReporting: "2026-06-03PSP01-0002", reportingDate: "2026-06-03T08:00:00.000Z" };

  test("PARTIALLY_PAID → PAID → (PO_PARTIALLY_REPORTED) → REPORTED, idempotent on re-delivery", () => {
    // installment 1 paid
    const p1 = paid(
      payPaymentOption(start, { iuv: "02000000000000001" }, aPayment({ paymentDate: "2026-06-01T08:00:00.000Z" }), now),
    );
    expect(p1.status).toBe("PARTIALLY_PAID");
    expect(p1.paymentDate).toBeUndefined();

    // the single option can no longer be paid (cross-payment guard)
    expect(
      refusal(payPaymentOption(p1, { iuv: "01000000000000001" }, aPayment({ idReceipt: "R-S" }), now)),
    ).toMatchObject({ code: "PAYMENT_OPTION_NOT_FOUND" });

    // installment 1 can be reported while the position is PARTIALLY_PAID (flow A, transfer 1 only)
    const r1 = reported(reportTransfer(p1, "02000000000000001", "1", flowA, now));
    expect(r1.paymentOption[1]).toMatchObject({
      status: "PO_PARTIALLY_REPORTED",
      reportingDate: flowA.reportingDate,
      idFlowReporting: flowA.idFlowReporting,
    });
    expect(r1.status).toBe("PARTIALLY_PAID");

    // installment 2 paid → PAID, paymentDate = the completing payment
    const p2 = paid(
      payPaymentOption(
        r1,
        { iuv: "02000000000000002" },
        aPayment({ idReceipt: "RCPT-2", paymentDate: "2026-06-01T09:30:00.000Z" }),
        now,
      ),
    );
    expect(p2).toMatchObject({ status: "PAID", paymentDate: "2026-06-01T09:30:00.000Z" });

    // flow A also reports installment 2 fully
    const r2 = reported(reportTransfer(p2, "02000000000000002", "1", flowA, now));
    const r3 = reported(reportTransfer(r2, "02000000000000002", "2", flowA, now));
    expect(r3.paymentOption[2]!.status).toBe("PO_REPORTED");
    expect(r3.status).toBe("PAID");

    // flow A re-delivered: no-op
    expect(reportTransfer(r3, "02000000000000001", "1", flowA, now)).toEqual({ outcome: "already-reported-same-flow" });

    // flow B reports the last transfer of installment 1 → every installment reported → REPORTED
    const r4 = reported(reportTransfer(r3, "02000000000000001", "2", flowB, now));
    expect(r4.paymentOption[1]).toMatchObject({
      status: "PO_REPORTED",
      idFlowReporting: flowB.idFlowReporting,
      reportingDate: flowB.reportingDate,
    });
    expect(r4.paymentOption[1]!.transfer.map((t) => [t.status, t.idFlowReporting])).toEqual([
      ["T_REPORTED", flowA.idFlowReporting],
      ["T_REPORTED", flowB.idFlowReporting],
    ]);
    expect(r4).toMatchObject({ status: "REPORTED", paymentDate: "2026-06-01T09:30:00.000Z" });

    // both flows re-delivered after REPORTED: still no-ops
    expect(reportTransfer(r4, "02000000000000001", "2", flowB, now).outcome).toBe("already-reported-same-flow");
    expect(reportTransfer(r4, "02000000000000002", "2", flowA, now).outcome).toBe("already-reported-same-flow");
    // a receipt re-delivered after REPORTED: no-op
    expect(payPaymentOption(r4, { iuv: "02000000000000002" }, aPayment({ idReceipt: "RCPT-2" }), now).outcome).toBe(
      "already-paid-same-receipt",
    );
  });
});

describe("reportTransfer refusals", () => {
  const paidPosition = deepFreeze(
    aDebtPosition({
      status: "PAID",
      paymentOption: [single(1, { status: "PO_PAID", idReceipt: "R", transfer: twoTransfers() }), single(2)],
    }),
  );
  const flow = { idFlowReporting: "F1", reportingDate: "2026-06-02T08:00:00.000Z" };

  test.each([
    ["01000000000000009", "1"],
    ["01000000000000001", "3"],
  ])("unknown (%s, %s) → 404", (iuv, idTransfer) => {
    expect(refusal(reportTransfer(paidPosition, iuv, idTransfer, flow, now))).toEqual({
      code: "TRANSFER_NOT_FOUND",
      status: 404,
      detail: `Not found a transfer for Organization Fiscal Code ${EC}, IUV ${iuv} and TxID ${idTransfer}`,
    });
  });

  test("an unpaid option → 409 NOT_ACCOUNTABLE", () => {
    expect(refusal(reportTransfer(paidPosition, "01000000000000002", "1", flow, now))).toEqual({
      code: "TRANSFER_NOT_ACCOUNTABLE",
      status: 409,
      detail: `The transfer option with Organization Fiscal Code ${EC}, IUV 01000000000000002 and TxID 1 is not in payable state`,
    });
  });

  test.each(["DRAFT", "PUBLISHED", "VALID", "INVALID", "EXPIRED", "REPORTED"] as const)(
    "position %s → 409 NOT_ACCOUNTABLE",
    (status) => {
      expect(refusal(reportTransfer({ ...paidPosition, status }, "01000000000000001", "1", flow, now))).toMatchObject({
        code: "TRANSFER_NOT_ACCOUNTABLE",
      });
    },
  );

  test("already reported by another flow → 409 NOT_ACCOUNTABLE", () => {
    const once = reported(reportTransfer(paidPosition, "01000000000000001", "1", flow, now));
    expect(
      refusal(reportTransfer(once, "01000000000000001", "1", { ...flow, idFlowReporting: "F2" }, now)),
    ).toMatchObject({ code: "TRANSFER_NOT_ACCOUNTABLE" });
  });

  test("a single option reported transfer by transfer", () => {
    const once = reported(reportTransfer(paidPosition, "01000000000000001", "1", flow, now));
    expect(once.paymentOption[0]!.status).toBe("PO_PARTIALLY_REPORTED");
    expect(once.status).toBe("PAID");
    const twice = reported(reportTransfer(once, "01000000000000001", "2", flow, now));
    expect(twice.paymentOption[0]!.status).toBe("PO_REPORTED");
    expect(twice.status).toBe("REPORTED");
    expect(twice.paymentOption[0]!.transfer.every((t) => t.lastUpdatedDate === NOW)).toBe(true);
  });
});

describe("applyNotificationFee (docs/domain/notification-fee.md)", () => {
  const multi = () =>
    deepFreeze(
      aDebtPosition({
        status: "VALID",
        paymentOption: [
          aPaymentOption({
            amount: 10000,
            transfer: [
              aTransfer({ idTransfer: "2", amount: 4000 }),
              aTransfer({ idTransfer: "1", amount: 6000, organizationFiscalCode: "88888888888" }),
              aTransfer({ idTransfer: "3", amount: 0 }),
            ],
          }),
        ],
      }),
    );

  test("adds the fee to the option amount and to the primary transfer (first EC transfer by idTransfer)", () => {
    const r = applyNotificationFee(multi(), "301000000000000001", 300, now);
    if (r.outcome !== "applied") throw new Error("expected applied");
    expect(r.option).toMatchObject({ amount: 10300, notificationFee: 300, lastUpdatedDate: NOW });
    expect(r.option.transfer.map((t) => [t.idTransfer, t.amount])).toEqual([
      ["2", 4300],
      ["1", 6000],
      ["3", 0],
    ]);
    expect(r.position.lastUpdatedDate).toBe(NOW);
  });

  test("a new fee replaces the earlier one (subtracted first)", () => {
    const first = applyNotificationFee(multi(), "301000000000000001", 300, now);
    if (first.outcome !== "applied") throw new Error("expected applied");
    const second = applyNotificationFee(deepFreeze(first.position), "301000000000000001", 100, now);
    if (second.outcome !== "applied") throw new Error("expected applied");
    expect(second.option).toMatchObject({ amount: 10100, notificationFee: 100 });
    expect(second.option.transfer[0]!.amount).toBe(4100);
    const zero = applyNotificationFee(deepFreeze(second.position), "301000000000000001", 0, now);
    if (zero.outcome !== "applied") throw new Error("expected applied");
    expect(zero.option).toMatchObject({ amount: 10000, notificationFee: 0 });
  });

  test("the option may be named by its IUV", () => {
    expect(applyNotificationFee(multi(), "01000000000000001", 300, now).outcome).toBe("applied");
  });

  test("unknown NAV → 404", () => {
    expect(refusal(applyNotificationFee(multi(), "399999999999999999", 300, now))).toEqual({
      code: "PAYMENT_OPTION_NOT_FOUND",
      status: 404,
      detail: `Not found a payment option for Organization Fiscal Code ${EC} and NAV 399999999999999999`,
    });
  });

  test.each(["PO_PAID", "PO_PARTIALLY_REPORTED", "PO_REPORTED"] as const)("%s → 422 NOT_UPDATABLE", (status) => {
    const p = aDebtPosition({ status: "PAID", paymentOption: [aPaymentOption({ status })] });
    expect(refusal(applyNotificationFee(p, "301000000000000001", 300, now))).toEqual({
      code: "PAYMENT_OPTION_NOTIFICATION_FEE_UPDATE_NOT_UPDATABLE",
      status: 422,
      detail: `The payment option with Organization Fiscal Code ${EC} and NAV 301000000000000001 is not in unpaid state and the notification fee cannot be updated.`,
    });
  });

  test("no EC transfer → 422 TRANSFER_NOT_FOUND", () => {
    const p = aDebtPosition({
      paymentOption: [aPaymentOption({ transfer: [aTransfer({ organizationFiscalCode: "88888888888" })] })],
    });
    expect(refusal(applyNotificationFee(p, "301000000000000001", 300, now))).toEqual({
      code: "PAYMENT_OPTION_NOTIFICATION_FEE_UPDATE_TRANSFER_NOT_FOUND",
      status: 422,
      detail: `No transfer found for payment option with IUV 01000000000000001 related to Organization Fiscal Code ${EC}`,
    });
  });

  test("primaryTransfer picks by idTransfer order, not array order", () => {
    expect(primaryTransfer(multi().paymentOption[0]!, EC)?.idTransfer).toBe("2");
  });
});
