import { DomainError } from "../../../shared/domain/errors";
import type { DebtPosition, DebtPositionStatus } from "../../../shared/domain/debt-positions/model";
import {
  assertTransition,
  publishedStatus,
  transition,
  type Action,
  type ActionKind,
} from "../../../shared/domain/debt-positions/status-machine";
import { aDebtPosition, aPaymentOption, deepFreeze } from "../../support/builders";

const now = new Date("2026-06-01T10:00:00.000Z");
const FUTURE_VALIDITY = "2026-07-01T00:00:00.000Z";
const FUTURE_DUE = "2026-12-31T23:59:59.000Z";
const PAST_VALIDITY = "2026-05-01T00:00:00.000Z";
const PAST_DUE = "2026-05-31T23:59:59.000Z";

/** A position whose effective status is its stored one: validity and due date in the future. */
const fresh = (status: DebtPositionStatus): DebtPosition =>
  deepFreeze(
    aDebtPosition({
      status,
      switchToExpired: true,
      validityDate: FUTURE_VALIDITY,
      paymentOption: [aPaymentOption({ switchToExpired: true, validityDate: FUTURE_VALIDITY, dueDate: FUTURE_DUE })],
    }),
  );

/** A position the jobs would pick up if its stored status allowed: validity begun, due date passed, nothing paid. */
const stale = (status: DebtPositionStatus): DebtPosition =>
  deepFreeze(
    aDebtPosition({
      status,
      switchToExpired: true,
      validityDate: PAST_VALIDITY,
      paymentOption: [aPaymentOption({ switchToExpired: true, validityDate: PAST_VALIDITY, dueDate: PAST_DUE })],
    }),
  );

const actionOf = (kind: ActionKind): Action => ({ kind });

// The expected table, written out by hand from docs/domain/statuses.md#transitions (not derived from the implementation's table).
// A status means "allowed, leads there"; an error code means "refused with it".
const expected: Record<DebtPositionStatus, Record<ActionKind, string>> = {
  DRAFT: {
    update: "DRAFT",
    delete: "DELETED",
    publish: "PUBLISHED",
    invalidate: "DEBT_POSITION_NOT_INVALIDABLE",
    validate: "CONFLICT",
    expire: "CONFLICT",
  },
  PUBLISHED: {
    update: "DRAFT",
    delete: "DELETED",
    publish: "DEBT_POSITION_NOT_PUBLISHABLE",
    invalidate: "INVALID",
    validate: "VALID",
    expire: "CONFLICT",
  },
  VALID: {
    update: "DRAFT",
    delete: "DELETED",
    publish: "DEBT_POSITION_NOT_PUBLISHABLE",
    invalidate: "INVALID",
    validate: "CONFLICT",
    expire: "EXPIRED",
  },
  EXPIRED: {
    update: "DRAFT",
    delete: "DELETED",
    publish: "DEBT_POSITION_NOT_PUBLISHABLE",
    invalidate: "DEBT_POSITION_NOT_INVALIDABLE",
    validate: "CONFLICT",
    expire: "CONFLICT",
  },
  INVALID: {
    update: "DEBT_POSITION_NOT_UPDATABLE",
    delete: "DELETED",
    publish: "DEBT_POSITION_NOT_PUBLISHABLE",
    invalidate: "DEBT_POSITION_NOT_INVALIDABLE",
    validate: "CONFLICT",
    expire: "CONFLICT",
  },
  PARTIALLY_PAID: {
    update: "DEBT_POSITION_NOT_UPDATABLE",
    delete: "DEBT_POSITION_PAYMENT_FOUND",
    publish: "DEBT_POSITION_NOT_PUBLISHABLE",
    invalidate: "DEBT_POSITION_NOT_INVALIDABLE",
    validate: "CONFLICT",
    expire: "CONFLICT",
  },
  PAID: {
    update: "DEBT_POSITION_NOT_UPDATABLE",
    delete: "DEBT_POSITION_PAYMENT_FOUND",
    publish: "DEBT_POSITION_NOT_PUBLISHABLE",
    invalidate: "DEBT_POSITION_NOT_INVALIDABLE",
    validate: "CONFLICT",
    expire: "CONFLICT",
  },
  REPORTED: {
    update: "DEBT_POSITION_NOT_UPDATABLE",
    delete: "DEBT_POSITION_PAYMENT_FOUND",
    publish: "DEBT_POSITION_NOT_PUBLISHABLE",
    invalidate: "DEBT_POSITION_NOT_INVALIDABLE",
    validate: "CONFLICT",
    expire: "CONFLICT",
  },
};

const cells = (Object.keys(expected) as DebtPositionStatus[]).flatMap((status) =>
  (Object.keys(expected[status]) as ActionKind[]).map((action) => ({
    status,
    action,
    outcome: expected[status][action],
  })),
);

const statuses = new Set<string>(["DRAFT", "PUBLISHED", "VALID", "INVALID", "EXPIRED", "DELETED"]);

describe("transition table (docs/domain/statuses.md#transitions), every cell", () => {
  test("covers 8 statuses × 6 actions", () => {
    expect(cells).toHaveLength(48);
  });

  test.each(cells)("$status × $action → $outcome", ({ status, action, outcome }) => {
    // API actions are judged on the effective status: use a position whose effective status is the stored one.
    // Jobs are judged on the stored status with their own filter: use a position the filter would select.
    const position = action === "validate" || action === "expire" ? stale(status) : fresh(status);
    const result = transition(position, actionOf(action), now);
    if (statuses.has(outcome)) {
      expect(result).toEqual({ ok: true, action, from: status, to: outcome });
      expect(assertTransition(position, actionOf(action), now)).toBe(outcome);
    } else {
      expect(result).toMatchObject({ ok: false, action, status, code: outcome });
      expect(() => assertTransition(position, actionOf(action), now)).toThrow(DomainError);
    }
  });
});

describe("refusal details (docs/domain/api-surface.md#errors templates)", () => {
  const ref = "Organization Fiscal Code 77777777777 and IUPD IUPD-0001";
  test.each([
    [
      "INVALID",
      "update",
      `A payment transaction has already been carried out or, the debt position with ${ref}, is not in updatable state`,
    ],
    [
      "VALID",
      "publish",
      `A payment transaction has already been carried out or, the debt position with ${ref}, is not in publishable state`,
    ],
    [
      "DRAFT",
      "invalidate",
      `A payment transaction has already been carried out or, the debt position with ${ref}, is not in invalidable state`,
    ],
    ["PAID", "delete", `A payment transaction has already been carried out on the debt position with ${ref}`],
  ] as const)("%s × %s", (status, action, detail) => {
    let thrown: unknown;
    try {
      assertTransition(fresh(status), actionOf(action), now);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ status: 409, detail });
  });
});

describe("the machine decides on the effective status", () => {
  test("invalidate of a VALID position past its due date with switchToExpired is 409 (it is effectively EXPIRED)", () => {
    const result = transition(stale("VALID"), { kind: "invalidate" }, now);
    expect(result).toMatchObject({
      ok: false,
      status: "EXPIRED",
      action: "invalidate",
      code: "DEBT_POSITION_NOT_INVALIDABLE",
    });
  });

  test("the same VALID position without switchToExpired can be invalidated", () => {
    const position = aDebtPosition({
      status: "VALID",
      paymentOption: [aPaymentOption({ validityDate: PAST_VALIDITY, dueDate: PAST_DUE })],
    });
    expect(transition(position, { kind: "invalidate" }, now)).toEqual({
      ok: true,
      action: "invalidate",
      from: "VALID",
      to: "INVALID",
    });
  });

  test("a stored PUBLISHED position whose validity has begun is judged VALID", () => {
    const position = aDebtPosition({
      status: "PUBLISHED",
      paymentOption: [aPaymentOption({ validityDate: PAST_VALIDITY, dueDate: FUTURE_DUE })],
    });
    expect(transition(position, { kind: "invalidate" }, now)).toMatchObject({ ok: true, from: "VALID", to: "INVALID" });
    expect(transition(position, { kind: "publish" }, now)).toMatchObject({ ok: false, status: "VALID" });
  });

  test("an effectively EXPIRED position stays updatable (PAGOPA-2459) and deletable", () => {
    expect(transition(stale("VALID"), { kind: "update" }, now)).toMatchObject({
      ok: true,
      from: "EXPIRED",
      to: "DRAFT",
    });
    expect(transition(stale("VALID"), { kind: "delete" }, now)).toMatchObject({
      ok: true,
      from: "EXPIRED",
      to: "DELETED",
    });
  });
});

describe("job guards (docs/domain/jobs.md) on their boundaries", () => {
  const publishedWithValidity = (validityDate: string) =>
    aDebtPosition({ status: "PUBLISHED", paymentOption: [aPaymentOption({ validityDate, dueDate: FUTURE_DUE })] });
  const validWithDue = (dueDate: string, switchToExpired = true) =>
    aDebtPosition({ status: "VALID", switchToExpired, paymentOption: [aPaymentOption({ switchToExpired, dueDate })] });

  test.each([
    ["validity 1 ms after now", "2026-06-01T10:00:00.001Z", "CONFLICT"],
    ["validity equal to now", "2026-06-01T10:00:00.000Z", "VALID"],
    ["validity 1 ms before now", "2026-06-01T09:59:59.999Z", "VALID"],
  ])("validate with %s", (_label, validityDate, outcome) => {
    const result = transition(publishedWithValidity(validityDate), { kind: "validate" }, now);
    expect(result.ok ? result.to : result.code).toBe(outcome);
  });

  test.each([
    ["due 1 ms after now", "2026-06-01T10:00:00.001Z", "CONFLICT"],
    ["due equal to now (still payable)", "2026-06-01T10:00:00.000Z", "CONFLICT"],
    ["due 1 ms before now", "2026-06-01T09:59:59.999Z", "EXPIRED"],
  ])("expire with %s", (_label, dueDate, outcome) => {
    const result = transition(validWithDue(dueDate), { kind: "expire" }, now);
    expect(result.ok ? result.to : result.code).toBe(outcome);
  });

  test("expire refuses without switchToExpired", () => {
    expect(transition(validWithDue(PAST_DUE, false), { kind: "expire" }, now)).toMatchObject({
      ok: false,
      code: "CONFLICT",
    });
  });

  test("expire refuses when an option has progressed", () => {
    const position = aDebtPosition({
      status: "VALID",
      switchToExpired: true,
      paymentOption: [
        aPaymentOption({ iuv: "01000000000000001", isPartialPayment: true, switchToExpired: true, dueDate: PAST_DUE }),
        aPaymentOption({
          iuv: "01000000000000002",
          isPartialPayment: true,
          switchToExpired: true,
          dueDate: PAST_DUE,
          status: "PO_PAID",
        }),
      ],
    });
    expect(transition(position, { kind: "expire" }, now)).toMatchObject({ ok: false, code: "CONFLICT" });
  });
});

describe("update and delete are refused once anything is paid, whatever the stored status", () => {
  const draftWithPaidOption = aDebtPosition({ paymentOption: [aPaymentOption({ status: "PO_PAID" })] });
  test("update → DEBT_POSITION_NOT_UPDATABLE", () => {
    expect(transition(draftWithPaidOption, { kind: "update" }, now)).toMatchObject({
      ok: false,
      code: "DEBT_POSITION_NOT_UPDATABLE",
    });
  });
  test("delete → DEBT_POSITION_PAYMENT_FOUND", () => {
    expect(transition(draftWithPaidOption, { kind: "delete" }, now)).toMatchObject({
      ok: false,
      code: "DEBT_POSITION_PAYMENT_FOUND",
    });
  });
});

describe("update with publish and the publish logic", () => {
  test.each([
    ["every validity in the future", "PUBLISHED", [FUTURE_VALIDITY]],
    ["a missing validity", "VALID", [FUTURE_VALIDITY, undefined]],
    ["a validity equal to now", "VALID", ["2026-06-01T10:00:00.000Z"]],
    ["a validity 1 ms after now", "PUBLISHED", ["2026-06-01T10:00:00.001Z"]],
  ])("%s → %s", (_label, to, validityDates) => {
    expect(publishedStatus(validityDates, now)).toBe(to);
    expect(transition(fresh("VALID"), { kind: "update", publish: { validityDates } }, now)).toMatchObject({
      ok: true,
      to,
    });
  });

  test("publish from DRAFT with no validity → VALID", () => {
    expect(transition(aDebtPosition(), { kind: "publish" }, now)).toMatchObject({ ok: true, to: "VALID" });
  });
});
