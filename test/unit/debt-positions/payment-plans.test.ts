import type {
  DebtPositionStatus,
  PaymentOption,
  PaymentOptionStatus,
} from "../../../shared/domain/debt-positions/model";
import {
  canPayOption,
  deriveStatus,
  paymentPlans,
  planOf,
  recomputeStatus,
} from "../../../shared/domain/debt-positions/payment-plans";
import { aDebtPosition, aPaymentOption, deepFreeze } from "../../support/builders";

const now = new Date("2026-06-01T10:00:00.000Z");

const single = (n: number, status: PaymentOptionStatus = "PO_UNPAID", paymentDate?: string): PaymentOption =>
  aPaymentOption({ iuv: `0100000000000000${n}`, isPartialPayment: false, status, paymentDate });
const installment = (n: number, status: PaymentOptionStatus = "PO_UNPAID", paymentDate?: string): PaymentOption =>
  aPaymentOption({ iuv: `0200000000000000${n}`, isPartialPayment: true, status, paymentDate });

describe("payment plans (docs/domain/statuses.md#derived)", () => {
  const position = aDebtPosition({
    paymentOption: [single(1), installment(1), single(2), installment(2), installment(3)],
  });

  test("every single option is its own plan; all installments of a v1 position form one plan", () => {
    const plans = paymentPlans(position);
    expect(plans.map((p) => [p.kind, p.options.map((o) => o.iuv)])).toEqual([
      ["single", ["01000000000000001"]],
      ["single", ["01000000000000002"]],
      ["installments", ["02000000000000001", "02000000000000002", "02000000000000003"]],
    ]);
  });

  test("planOf finds the plan of an IUV", () => {
    expect(planOf(position, "02000000000000002")?.kind).toBe("installments");
    expect(planOf(position, "01000000000000002")?.id).toBe("SINGLE:01000000000000002");
    expect(planOf(position, "99")).toBeUndefined();
  });

  test("a position with no installments has no installment plan", () => {
    expect(paymentPlans(aDebtPosition({ paymentOption: [single(1)] })).map((p) => p.kind)).toEqual(["single"]);
  });
});

describe("deriveStatus (docs/domain/statuses.md#derived)", () => {
  test.each<[string, PaymentOption[], DebtPositionStatus, DebtPositionStatus]>([
    ["nothing progressed keeps the status", [single(1), installment(1), installment(2)], "VALID", "VALID"],
    ["nothing progressed keeps DRAFT too", [single(1)], "DRAFT", "DRAFT"],
    ["one installment paid", [single(1), installment(1, "PO_PAID"), installment(2)], "VALID", "PARTIALLY_PAID"],
    [
      "every installment paid",
      [single(1), installment(1, "PO_PAID"), installment(2, "PO_PAID")],
      "PARTIALLY_PAID",
      "PAID",
    ],
    [
      "a plan paid or (partially) reported counts as paid",
      [installment(1, "PO_REPORTED"), installment(2, "PO_PARTIALLY_REPORTED"), installment(3, "PO_PAID")],
      "PAID",
      "PAID",
    ],
    ["a single option paid", [single(1, "PO_PAID"), installment(1), installment(2)], "VALID", "PAID"],
    ["a single option reported", [single(1, "PO_REPORTED"), single(2)], "PAID", "REPORTED"],
    [
      "some installments reported, the plan not fully reported",
      [installment(1, "PO_REPORTED"), installment(2, "PO_PAID")],
      "PAID",
      "PAID",
    ],
    ["every installment reported", [installment(1, "PO_REPORTED"), installment(2, "PO_REPORTED")], "PAID", "REPORTED"],
    [
      "one installment reported, the other unpaid",
      [installment(1, "PO_REPORTED"), installment(2)],
      "PARTIALLY_PAID",
      "PARTIALLY_PAID",
    ],
    ["an EXPIRED position that receives a payment", [single(1, "PO_PAID")], "EXPIRED", "PAID"],
  ])("%s", (_label, options, status, expected) => {
    expect(deriveStatus(aDebtPosition({ status, paymentOption: options }))).toBe(expected);
  });
});

describe("recomputeStatus sets paymentDate when the position becomes PAID/REPORTED", () => {
  test("PARTIALLY_PAID has no paymentDate", () => {
    const p = deepFreeze(
      aDebtPosition({
        status: "VALID",
        paymentOption: [installment(1, "PO_PAID", "2026-05-01T00:00:00.000Z"), installment(2)],
      }),
    );
    const r = recomputeStatus(p, now);
    expect(r.status).toBe("PARTIALLY_PAID");
    expect(r.paymentDate).toBeUndefined();
    expect(r.lastUpdatedDate).toBe(now.toISOString());
  });

  test("PAID takes the latest payment date of the settling plan", () => {
    const p = aDebtPosition({
      status: "PARTIALLY_PAID",
      paymentOption: [
        installment(1, "PO_PAID", "2026-05-01T00:00:00.000Z"),
        installment(2, "PO_PAID", "2026-05-20T00:00:00.000Z"),
      ],
    });
    expect(recomputeStatus(p, now)).toMatchObject({ status: "PAID", paymentDate: "2026-05-20T00:00:00.000Z" });
  });

  test("REPORTED keeps the paymentDate set when it became PAID", () => {
    const p = aDebtPosition({
      status: "PAID",
      paymentDate: "2026-05-20T00:00:00.000Z",
      paymentOption: [single(1, "PO_REPORTED", "2026-05-21T00:00:00.000Z")],
    });
    expect(recomputeStatus(p, now)).toMatchObject({ status: "REPORTED", paymentDate: "2026-05-20T00:00:00.000Z" });
  });

  test("falls back to now when the options carry no payment date", () => {
    expect(recomputeStatus(aDebtPosition({ paymentOption: [single(1, "PO_PAID")] }), now).paymentDate).toBe(
      now.toISOString(),
    );
  });
});

describe("canPayOption: the cross-payment guard (docs/domain/statuses.md#derived)", () => {
  test.each<[string, PaymentOption[], string, boolean]>([
    ["a single option when nothing progressed", [single(1), single(2), installment(1)], "01000000000000001", true],
    ["an installment when nothing progressed", [single(1), installment(1), installment(2)], "02000000000000001", true],
    [
      "a single option while an installment progressed",
      [single(1), installment(1, "PO_PAID"), installment(2)],
      "01000000000000001",
      false,
    ],
    ["a single option while another single progressed", [single(1), single(2, "PO_PAID")], "01000000000000001", false],
    [
      "an installment while another installment of the same plan progressed",
      [single(1), installment(1, "PO_PAID"), installment(2)],
      "02000000000000002",
      true,
    ],
    [
      "an installment while a single option progressed",
      [single(1, "PO_PAID"), installment(1), installment(2)],
      "02000000000000001",
      false,
    ],
    ["an unknown IUV", [single(1)], "09999999999999999", false],
  ])("%s → %s", (_label, options, iuv, expected) => {
    expect(canPayOption(aDebtPosition({ paymentOption: options }), iuv)).toBe(expected);
  });
});
