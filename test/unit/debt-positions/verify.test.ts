import { verifyPaymentOptions, type VerifiedPaymentOptions } from "../../../shared/domain/debt-positions/verify";
import type { PaymentOption } from "../../../shared/domain/debt-positions/model";
import { aDebtPosition, aPaymentOption, aTransfer, deepFreeze } from "../../support/builders";

const now = new Date("2026-06-01T10:00:00.000Z");
const PAST = "2026-05-01T00:00:00.000Z";

const installment = (n: number, overrides: Partial<PaymentOption> = {}) =>
  aPaymentOption({
    iuv: `0200000000000000${n}`,
    isPartialPayment: true,
    amount: 5000,
    dueDate: `2026-0${6 + n}-01T00:00:00.000Z`,
    ...overrides,
  });

const verified = (r: ReturnType<typeof verifyPaymentOptions>): VerifiedPaymentOptions => {
  if (!r.ok) throw new Error(`refused: ${r.refusal}`);
  return r.value;
};

describe("verifyPaymentOptions", () => {
  const options = () => [
    aPaymentOption({ amount: 10000, dueDate: "2026-12-31T00:00:00.000Z" }),
    installment(1),
    installment(2),
  ];

  test("one group per plan, sorted by due date, with sums, max due date and per-installment statuses", () => {
    const v = verified(
      verifyPaymentOptions(deepFreeze(aDebtPosition({ status: "VALID", paymentOption: options() })), now),
    );
    expect(v).toMatchObject({ organizationFiscalCode: "77777777777", companyName: "Comune di Test", standIn: true });
    expect(v.paymentOptions.map((g) => [g.numberOfInstallments, g.amount, g.dueDate, g.status])).toEqual([
      [2, 10000, "2026-08-01T00:00:00.000Z", "PO_UNPAID"],
      [1, 10000, "2026-12-31T00:00:00.000Z", "PO_UNPAID"],
    ]);
    expect(v.paymentOptions[0]?.installments.map((i) => [i.nav, i.status])).toEqual([
      ["302000000000000001", "POI_UNPAID"],
      ["302000000000000002", "POI_UNPAID"],
    ]);
    expect(v.paymentOptions[0]?.allCCP).toBe(false);
  });

  test("once a plan progressed, the other plans are invalid and the plan partially paid", () => {
    const p = deepFreeze(
      aDebtPosition({
        status: "PARTIALLY_PAID",
        paymentOption: [
          aPaymentOption({ dueDate: "2026-12-31T00:00:00.000Z" }),
          installment(1, { status: "PO_PAID" }),
          installment(2),
        ],
      }),
    );
    const groups = verified(verifyPaymentOptions(p, now)).paymentOptions;
    expect(groups.map((g) => g.status)).toEqual(["PO_PARTIALLY_PAID", "PO_INVALID"]);
    expect(groups[0]?.installments.map((i) => i.status)).toEqual(["POI_PAID", "POI_UNPAID"]);
    expect(groups[1]?.installments.map((i) => i.status)).toEqual(["POI_INVALID"]);
  });

  test("an INVALID or (effectively) EXPIRED position shows everything invalid; PAID shows the paid plan", () => {
    for (const status of ["INVALID", "EXPIRED"] as const) {
      const groups = verified(
        verifyPaymentOptions(deepFreeze(aDebtPosition({ status, paymentOption: options() })), now),
      ).paymentOptions;
      expect(groups.map((g) => g.status)).toEqual(["PO_INVALID", "PO_INVALID"]);
    }
    const paid = deepFreeze(aDebtPosition({ status: "PAID", paymentOption: [aPaymentOption({ status: "PO_PAID" })] }));
    expect(verified(verifyPaymentOptions(paid, now)).paymentOptions[0]?.status).toBe("PO_PAID");
  });

  test("past due: not payable when the option may expire, still payable otherwise; all postal means allCCP", () => {
    const p = deepFreeze(
      aDebtPosition({
        status: "VALID",
        paymentOption: [
          aPaymentOption({ dueDate: PAST, switchToExpired: true }),
          aPaymentOption({
            iuv: "01000000000000002",
            dueDate: PAST,
            transfer: [aTransfer({ postalIban: "IT60X0542811101000000123456" })],
          }),
        ],
      }),
    );
    const groups = verified(verifyPaymentOptions(p, now)).paymentOptions;
    expect(groups.map((g) => [g.status, g.installments[0]?.status, g.allCCP])).toEqual([
      ["PO_EXPIRED_NOT_PAYABLE", "POI_EXPIRED_NOT_PAYABLE", false],
      ["PO_EXPIRED_UNPAID", "POI_EXPIRED_UNPAID", true],
    ]);
  });

  test("a DRAFT position is unknown to payers, a PUBLISHED one not valid yet", () => {
    expect(verifyPaymentOptions(deepFreeze(aDebtPosition({ status: "DRAFT" })), now)).toEqual({
      ok: false,
      refusal: "unknown-notice",
    });
    const published = deepFreeze(
      aDebtPosition({
        status: "PUBLISHED",
        paymentOption: [aPaymentOption({ validityDate: "2026-07-01T00:00:00.000Z" })],
      }),
    );
    expect(verifyPaymentOptions(published, now)).toEqual({ ok: false, refusal: "not-yet-valid" });
  });
});
