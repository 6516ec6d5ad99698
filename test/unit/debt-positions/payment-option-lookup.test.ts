import { DomainError } from "../../../shared/domain/errors";
import { lookUpPaymentOption } from "../../../shared/domain/debt-positions/payment-option-lookup";
import type { PaymentOption } from "../../../shared/domain/debt-positions/model";
import { aDebtPosition, aPaymentOption, deepFreeze } from "../../support/builders";

/** The DomainError `f` throws (fails the test when it throws nothing or something else). */
const thrown = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError");
};

const now = new Date("2026-06-01T10:00:00.000Z");
const PAST = "2026-05-01T00:00:00.000Z";
const FUTURE = "2026-07-01T00:00:00.000Z";

const installment = (n: number, overrides: Partial<PaymentOption> = {}) =>
  aPaymentOption({ iuv: `0200000000000000${n}`, isPartialPayment: true, ...overrides });

describe("lookUpPaymentOption", () => {
  test("finds the option by NAV or by IUV, with the position's effective status", () => {
    const p = deepFreeze(
      aDebtPosition({
        status: "PUBLISHED",
        validityDate: PAST,
        paymentOption: [aPaymentOption({ validityDate: PAST })],
      }),
    );
    expect(lookUpPaymentOption(p, "301000000000000001", now)).toMatchObject({
      debtPositionStatus: "VALID",
      option: { iuv: "01000000000000001" },
    });
    expect(lookUpPaymentOption(p, "01000000000000001", now).option.nav).toBe("301000000000000001");
  });

  test("an unknown NAV, a validity not begun and an option another plan made unpayable are 404", () => {
    const p = deepFreeze(aDebtPosition({ status: "VALID" }));
    expect(thrown(() => lookUpPaymentOption(p, "309999999999999999", now)).code).toBe("PAYMENT_OPTION_NOT_FOUND");
    const notYet = deepFreeze(
      aDebtPosition({ status: "PUBLISHED", paymentOption: [aPaymentOption({ validityDate: FUTURE })] }),
    );
    expect(thrown(() => lookUpPaymentOption(notYet, "301000000000000001", now)).code).toBe("PAYMENT_OPTION_NOT_FOUND");
    const chosen = deepFreeze(
      aDebtPosition({
        status: "PARTIALLY_PAID",
        paymentOption: [aPaymentOption(), installment(1, { status: "PO_PAID" }), installment(2)],
      }),
    );
    expect(thrown(() => lookUpPaymentOption(chosen, "301000000000000001", now)).code).toBe("PAYMENT_OPTION_NOT_FOUND");
    expect(lookUpPaymentOption(chosen, "302000000000000002", now).debtPositionStatus).toBe("PARTIALLY_PAID");
    expect(lookUpPaymentOption(chosen, "302000000000000001", now).option.status).toBe("PO_PAID");
  });

  test("an unpaid option past its due date that may expire reads EXPIRED", () => {
    const p = deepFreeze(
      aDebtPosition({
        status: "PARTIALLY_PAID",
        paymentOption: [
          installment(1, { status: "PO_PAID" }),
          installment(2, { dueDate: PAST, switchToExpired: true }),
          installment(3, { dueDate: PAST, switchToExpired: false }),
        ],
      }),
    );
    expect(lookUpPaymentOption(p, "302000000000000002", now).debtPositionStatus).toBe("EXPIRED");
    expect(lookUpPaymentOption(p, "302000000000000003", now).debtPositionStatus).toBe("PARTIALLY_PAID");
  });
});
