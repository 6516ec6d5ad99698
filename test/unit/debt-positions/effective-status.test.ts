import {
  effectiveStatus,
  isDueForExpiry,
  isDueForValidation,
  maxDueDate,
  minDueDate,
  minValidityDate,
} from "../../../shared/domain/debt-positions/effective-status";
import {
  debtPositionStatuses,
  type DebtPosition,
  type DebtPositionStatus,
  type PaymentOptionStatus,
} from "../../../shared/domain/debt-positions/model";
import { aDebtPosition, aPaymentOption } from "../../support/builders";

const now = new Date("2026-06-01T10:00:00.000Z");
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();

const position = (opts: {
  status: DebtPositionStatus;
  validityOffset?: number | undefined;
  dueOffset: number;
  switchToExpired?: boolean;
  optionStatus?: PaymentOptionStatus;
  paymentDate?: string;
}): DebtPosition => {
  const switchToExpired = opts.switchToExpired ?? true;
  const validityDate = opts.validityOffset === undefined ? undefined : at(opts.validityOffset);
  return aDebtPosition({
    status: opts.status,
    switchToExpired,
    validityDate,
    paymentDate: opts.paymentDate,
    paymentOption: [
      aPaymentOption({
        switchToExpired,
        validityDate,
        dueDate: at(opts.dueOffset),
        status: opts.optionStatus ?? "PO_UNPAID",
      }),
    ],
  });
};

describe("effectiveStatus on its boundaries", () => {
  test.each([
    ["validity 1 ms in the future", 1, "PUBLISHED"],
    ["validity equal to now", 0, "VALID"],
    ["validity 1 ms past", -1, "VALID"],
  ])("PUBLISHED with %s reads %s", (_label, validityOffset, expected) => {
    expect(effectiveStatus(position({ status: "PUBLISHED", validityOffset, dueOffset: 86_400_000 }), now)).toBe(
      expected,
    );
  });

  test.each([
    ["due 1 ms in the future", 1, "VALID"],
    ["due equal to now (not expired: still payable)", 0, "VALID"],
    ["due 1 ms past", -1, "EXPIRED"],
  ])("VALID with switchToExpired and %s reads %s", (_label, dueOffset, expected) => {
    expect(effectiveStatus(position({ status: "VALID", validityOffset: -10, dueOffset }), now)).toBe(expected);
  });

  test("PUBLISHED whose validity has begun and whose due date has passed reads EXPIRED", () => {
    expect(effectiveStatus(position({ status: "PUBLISHED", validityOffset: -10, dueOffset: -1 }), now)).toBe("EXPIRED");
  });

  test("PUBLISHED past due but whose validity has not begun stays PUBLISHED", () => {
    expect(effectiveStatus(position({ status: "PUBLISHED", validityOffset: 1, dueOffset: -1 }), now)).toBe("PUBLISHED");
  });

  test("PUBLISHED with no validity at all stays PUBLISHED (the scheduler needs validity_date IS NOT NULL)", () => {
    expect(effectiveStatus(position({ status: "PUBLISHED", dueOffset: 1 }), now)).toBe("PUBLISHED");
  });

  test("without switchToExpired a VALID position never reads EXPIRED", () => {
    expect(effectiveStatus(position({ status: "VALID", dueOffset: -1, switchToExpired: false }), now)).toBe("VALID");
  });

  test("the max due date decides: one option past due, another not, stays VALID", () => {
    const p = aDebtPosition({
      status: "VALID",
      switchToExpired: true,
      paymentOption: [
        aPaymentOption({ iuv: "01000000000000001", switchToExpired: true, dueDate: at(-1) }),
        aPaymentOption({ iuv: "01000000000000002", switchToExpired: true, dueDate: at(0) }),
      ],
    });
    expect(effectiveStatus(p, now)).toBe("VALID");
    expect(effectiveStatus(p, new Date(now.getTime() + 1))).toBe("EXPIRED");
  });

  test("an option not switching to expired keeps the position VALID", () => {
    const p = aDebtPosition({
      status: "VALID",
      switchToExpired: true,
      paymentOption: [aPaymentOption({ switchToExpired: false, dueDate: at(-1) })],
    });
    expect(effectiveStatus(p, now)).toBe("VALID");
  });

  test("a position with a paymentDate never expires", () => {
    expect(effectiveStatus(position({ status: "VALID", dueOffset: -1, paymentDate: at(-5) }), now)).toBe("VALID");
  });

  test.each(debtPositionStatuses.filter((s) => s !== "PUBLISHED" && s !== "VALID"))(
    "%s is never changed by time",
    (status) => {
      expect(effectiveStatus(position({ status, validityOffset: -10, dueOffset: -1 }), now)).toBe(status);
    },
  );
});

describe("the job predicates agree with effectiveStatus on every boundary", () => {
  // Running the validation job, then the expiry job, at `now` must persist exactly what reads show at `now`.
  const runJobs = (p: DebtPosition): DebtPositionStatus => {
    const validated = isDueForValidation(p, now) ? { ...p, status: "VALID" as const } : p;
    return isDueForExpiry(validated, now) ? "EXPIRED" : validated.status;
  };
  const offsets = [-1, 0, 1];
  const grid = debtPositionStatuses.flatMap((status) =>
    [undefined, ...offsets].flatMap((validityOffset) =>
      offsets.flatMap((dueOffset) =>
        [true, false].flatMap((switchToExpired) =>
          (["PO_UNPAID", "PO_PAID"] as const).map((optionStatus) => ({
            status,
            validityOffset,
            dueOffset,
            switchToExpired,
            optionStatus,
          })),
        ),
      ),
    ),
  );

  test.each(grid)("$status validity $validityOffset due $dueOffset switch $switchToExpired $optionStatus", (opts) => {
    const p = position(opts);
    expect(runJobs(p)).toBe(effectiveStatus(p, now));
  });

  test("isDueForValidation only for stored PUBLISHED", () => {
    expect(isDueForValidation(position({ status: "PUBLISHED", validityOffset: 0, dueOffset: 1 }), now)).toBe(true);
    expect(isDueForValidation(position({ status: "DRAFT", validityOffset: 0, dueOffset: 1 }), now)).toBe(false);
    expect(isDueForValidation(position({ status: "PUBLISHED", validityOffset: 1, dueOffset: 1 }), now)).toBe(false);
  });

  test("isDueForExpiry only for stored VALID", () => {
    expect(isDueForExpiry(position({ status: "VALID", dueOffset: -1 }), now)).toBe(true);
    expect(isDueForExpiry(position({ status: "VALID", dueOffset: 0 }), now)).toBe(false);
    expect(isDueForExpiry(position({ status: "PUBLISHED", validityOffset: -5, dueOffset: -1 }), now)).toBe(false);
  });
});

describe("date aggregates", () => {
  const p = aDebtPosition({
    validityDate: "2026-01-01T00:00:00.000Z",
    paymentOption: [
      aPaymentOption({
        iuv: "01000000000000001",
        dueDate: "2026-07-01T00:00:00.000Z",
        validityDate: "2026-06-02T00:00:00.000Z",
      }),
      aPaymentOption({
        iuv: "01000000000000002",
        dueDate: "2026-06-30T23:59:59.999Z",
        validityDate: "2026-06-01T12:00:00.000Z",
      }),
      aPaymentOption({ iuv: "01000000000000003", dueDate: "2026-08-01T00:00:00.000Z" }),
    ],
  });

  test("maxDueDate / minDueDate over the options", () => {
    expect(maxDueDate(p)).toBe("2026-08-01T00:00:00.000Z");
    expect(minDueDate(p)).toBe("2026-06-30T23:59:59.999Z");
  });

  test("minValidityDate is the minimum over the options, ignoring options without one", () => {
    expect(minValidityDate(p)).toBe("2026-06-01T12:00:00.000Z");
  });

  test("minValidityDate falls back to the position's when no option has one", () => {
    expect(
      minValidityDate(aDebtPosition({ validityDate: "2026-02-01T00:00:00.000Z", paymentOption: [aPaymentOption()] })),
    ).toBe("2026-02-01T00:00:00.000Z");
  });

  test("instants are compared as times, not strings", () => {
    const mixed = aDebtPosition({
      paymentOption: [
        aPaymentOption({ iuv: "01000000000000001", dueDate: "2026-06-01T10:00:00Z" }),
        aPaymentOption({ iuv: "01000000000000002", dueDate: "2026-06-01T09:30:00.000Z" }),
      ],
    });
    expect(maxDueDate(mixed)).toBe("2026-06-01T10:00:00Z");
  });

  test("no options → undefined", () => {
    const empty = aDebtPosition({ paymentOption: [] });
    expect(maxDueDate(empty)).toBeUndefined();
    expect(minDueDate(empty)).toBeUndefined();
    expect(minValidityDate(empty)).toBeUndefined();
  });
});
