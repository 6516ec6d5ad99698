// Regression tests of the hostile inputs that used to cost seconds of CPU or answer 500 (pure parts: request
// parsing, amounts, receipts). Their HTTP counterparts run against the local host in test/e2e/hardening.test.ts.
import { parseBulkBody, parseDebtPositionBody } from "../../../functions/debt-positions/schemas";
import { parseNotificationFeeBody } from "../../../functions/payment-options/schemas";
import { parseReceiptListQuery } from "../../../functions/receipts/schemas";
import { parseFlowDateQuery, parseFlowPath } from "../../../functions/reporting/schemas";
import { applyNotificationFee } from "../../../shared/domain/debt-positions/payments";
import { DomainError } from "../../../shared/domain/errors";
import { MAX_AMOUNT_CENTS } from "../../../shared/domain/money";
import { parseReceipt } from "../../../shared/xml/receipt-xml";
import { RECEIPT_CLOCK_SKEW_MS, settleReceipt } from "../../../shared/domain/receipts/settlement";
import { isCalendarDate } from "../../../shared/http/dates";
import { MAX_JSON_DEPTH, textExceedsDepth } from "../../../shared/http/endpoint";
import { aDebtPosition, aPaymentOption, aTransfer, deepFreeze } from "../../support/builders";
import { aReceiptXml } from "../../support/xml-builders";

const refusal = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError");
};

const validOption = (i: number) => ({
  iuv: `010000000000${String(i).padStart(5, "0")}`,
  amount: 100,
  isPartialPayment: false,
  dueDate: "2030-12-31T23:59:59Z",
  transfer: [{ idTransfer: "1", amount: 100, remittanceInformation: "r", category: "9/0101108TS/" }],
});
const aBody = (paymentOption: unknown[]) => ({
  iupd: "IUPD-1",
  type: "F",
  fiscalCode: "RSSMRA80A01H501U",
  fullName: "Mario Rossi",
  companyName: "Comune",
  paymentOption,
});

describe("counts come before elements (bounded work for any body)", () => {
  test("150,000 empty options are refused by their count, with a short answer", () => {
    const e = refusal(() => parseDebtPositionBody(aBody(Array.from({ length: 150_000 }, () => ({})))));
    expect(e.code).toBe("DEBT_POSITION_REQUEST_DATA_ERROR");
    expect(e.detail).toMatch(/from 1 to 49 payment options \[payment options found=150000\]/);
    expect(e.detail.length).toBeLessThan(300);
  });

  test("a transfer array of 150,000 numbers is refused by its count", () => {
    const option = { ...validOption(1), transfer: Array.from({ length: 150_000 }, (_, i) => i) };
    const e = refusal(() => parseDebtPositionBody(aBody([option])));
    expect(e.detail).toMatch(/maximum of 5 transactions \[transactions found=150000\]/);
  });

  test("metadata beyond 10 items and bulks beyond 100 positions are refused by their count", () => {
    const option = { ...validOption(1), paymentOptionMetadata: Array.from({ length: 20_000 }, () => ({})) };
    expect(refusal(() => parseDebtPositionBody(aBody([option]))).detail).toBe(
      "paymentOption[0].paymentOptionMetadata: size must be between 0 and 10",
    );
    const transferMeta = {
      ...validOption(1),
      transfer: [{ ...validOption(1).transfer[0], transferMetadata: Array.from({ length: 11 }, () => 1) }],
    };
    expect(refusal(() => parseDebtPositionBody(aBody([transferMeta]))).detail).toBe(
      "paymentOption[0].transfer[0].transferMetadata: size must be between 0 and 10",
    );
    const bulk = { paymentPositions: Array.from({ length: 101 }, () => aBody([validOption(1)])) };
    expect(refusal(() => parseBulkBody(bulk)).detail).toBe("paymentPositions: size must be between 1 and 100");
  });

  test("the error list names at most 20 problems and counts the rest", () => {
    // 49 options (the most allowed), each with 5 wrong fields: 245 problems.
    const options = Array.from({ length: 49 }, () => ({ iuv: 1, amount: "x", isPartialPayment: 3, dueDate: 4 }));
    const e = refusal(() => parseDebtPositionBody(aBody(options)));
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.detail.split(", paymentOption[").length).toBe(20);
    expect(e.detail).toMatch(/, and \d+ more problem\(s\)$/);
  });
});

describe("bad input that used to answer 500", () => {
  test("JSON nested deeper than the limit is detected on the text, before parsing", () => {
    const nested = (n: number, open: string, close: string) => `${open.repeat(n)}1${close.repeat(n)}`;
    expect(textExceedsDepth(`{"description":${nested(50_000, '{"d":', "}")}}`, MAX_JSON_DEPTH)).toBe(true);
    expect(textExceedsDepth(nested(MAX_JSON_DEPTH, "[", "]"), MAX_JSON_DEPTH)).toBe(false);
    expect(textExceedsDepth(nested(MAX_JSON_DEPTH + 1, "[", "]"), MAX_JSON_DEPTH)).toBe(true);
    // Brackets inside strings (escaped quotes included) are text, not nesting.
    expect(textExceedsDepth(JSON.stringify({ a: "[".repeat(100), b: '\\"{{{{' }), MAX_JSON_DEPTH)).toBe(false);
  });

  test.each(["x", "2026-13-45", "2026-02-30", "0000-00-00", "99999-01-01", ""])(
    "receipts from=%j is a 400, never a RangeError",
    (value) => {
      expect(refusal(() => parseReceiptListQuery({ from: value })).code).toBe("BAD_REQUEST");
      expect(refusal(() => parseReceiptListQuery({ to: value })).code).toBe("BAD_REQUEST");
    },
  );

  test("reporting dates: impossible days and date-times are 400s", () => {
    expect(refusal(() => parseFlowDateQuery("2026-13-45")).code).toBe("BAD_REQUEST");
    expect(refusal(() => parseFlowPath({ flowId: "F1", date: "2026-02-30T10:00:00Z" })).code).toBe("BAD_REQUEST");
    expect(parseFlowPath({ flowId: "F1", date: "2026-02-28T10:00:00Z" }).flowDate).toBe("2026-02-28");
  });

  test("calendar days", () => {
    expect(["2024-02-29", "2026-12-31", "0001-01-01"].every(isCalendarDate)).toBe(true);
    expect(["2026-02-29", "2026-04-31", "2026-00-10", "2026-1-1", "x"].some(isCalendarDate)).toBe(false);
  });
});

describe("amounts stay within the business maximum", () => {
  test("a notification fee beyond the maximum is a 400 at the edge", () => {
    expect(parseNotificationFeeBody({ notificationFee: MAX_AMOUNT_CENTS })).toBe(MAX_AMOUNT_CENTS);
    expect(refusal(() => parseNotificationFeeBody({ notificationFee: 9007199254740991 })).status).toBe(400);
    expect(refusal(() => parseNotificationFeeBody({ notificationFee: MAX_AMOUNT_CENTS + 1 })).status).toBe(400);
  });

  test("a notification fee with decimals is told that fees are euro cents", () => {
    expect(refusal(() => parseNotificationFeeBody({ notificationFee: 1.5 })).detail).toBe(
      "notificationFee: Invalid value 1.5 for property notificationFee; amounts are whole euro cents (1.5 € is 150)",
    );
  });

  test("a fee that would take the option beyond the maximum is refused (422) and changes nothing", () => {
    const position = deepFreeze(
      aDebtPosition({
        status: "VALID",
        paymentOption: [aPaymentOption({ amount: 10_000, transfer: [aTransfer({ idTransfer: "1", amount: 10_000 })] })],
      }),
    );
    const r = applyNotificationFee(position, "301000000000000001", MAX_AMOUNT_CENTS - 9_999, new Date());
    expect(r.outcome).toBe("refused");
    if (r.outcome === "refused") {
      expect(r.error.code).toBe("PAYMENT_OPTION_NOTIFICATION_FEE_UPDATE_AMOUNT_TOO_LARGE");
      expect(r.error.status).toBe(422);
    }
    expect(applyNotificationFee(position, "301000000000000001", MAX_AMOUNT_CENTS - 10_000, new Date()).outcome).toBe(
      "applied",
    );
  });
});

describe("receipts the platform could never have produced", () => {
  const iuv = "01000000000000001";
  const now = new Date("2026-03-10T10:00:00.000Z");
  const receipt = (paymentDateTime: string) =>
    parseReceipt(aReceiptXml({ iuv, receiptId: "R1", amountCents: 10_000, paymentDateTime }));
  const position = (status: "DRAFT" | "VALID") =>
    deepFreeze(aDebtPosition({ status, paymentOption: [aPaymentOption({ iuv, amount: 10_000 })] }));

  test("a receipt for a position never published is rejected", () => {
    const s = settleReceipt(position("DRAFT"), receipt("2026-03-10T09:00:00Z"), now);
    expect(s.outcome).toBe("reject");
    if (s.outcome === "reject") expect(s.reason).toMatch(/^never-published: /);
  });

  test("a paymentDateTime beyond the clock skew is rejected; within it, accepted", () => {
    const skewMinutes = RECEIPT_CLOCK_SKEW_MS / 60_000;
    const late = new Date(now.getTime() + RECEIPT_CLOCK_SKEW_MS + 1000).toISOString();
    const s = settleReceipt(position("VALID"), receipt(late), now);
    expect(s.outcome).toBe("reject");
    if (s.outcome === "reject") expect(s.reason).toMatch(new RegExp(`^future-payment-date: .* ${skewMinutes} minutes`));
    const within = new Date(now.getTime() + RECEIPT_CLOCK_SKEW_MS - 1000).toISOString();
    expect(settleReceipt(position("VALID"), receipt(within), now).outcome).toBe("pay");
  });
});
