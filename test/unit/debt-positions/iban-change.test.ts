import { DomainError } from "../../../shared/domain/errors";
import {
  changeableIbans,
  changeIbanOnPosition,
  checkIbanChange,
  ibanChangeableStatuses,
} from "../../../shared/domain/debt-positions/iban-change";
import { debtPositionStatuses } from "../../../shared/domain/debt-positions/model";
import { aDebtPosition, aPaymentOption, aTransfer, deepFreeze } from "../../support/builders";

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

const OLD = "IT60X0542811101000000123456";
const NEW = "IT07X0542811101000000654321";
const OTHER = "IT46A0306909606100000063921";
const now = new Date("2026-06-01T10:00:00.000Z");
const change = { oldIban: OLD, newIban: NEW };

const position = (overrides: Parameters<typeof aDebtPosition>[0] = {}) =>
  deepFreeze(
    aDebtPosition({
      status: "VALID",
      paymentOption: [
        aPaymentOption({
          transfer: [aTransfer(), aTransfer({ idTransfer: "2", iban: OTHER }), aTransfer({ idTransfer: "3" })],
        }),
        aPaymentOption({ iuv: "01000000000000002", transfer: [aTransfer({ iban: OLD.toLowerCase() })] }),
      ],
      ...overrides,
    }),
  );

describe("checkIbanChange", () => {
  const registered = { ibans: [NEW, OLD], postalIbans: [] };
  test("normalises both IBANs", () => {
    expect(checkIbanChange({ oldIban: OLD.toLowerCase(), newIban: NEW.toLowerCase() }, registered)).toEqual(change);
  });
  test.each([
    ["an invalid new IBAN", "IT00X0542811101000000123456", registered, "not a valid IBAN"],
    ["a new IBAN the organization did not register", OTHER, registered, "not registered"],
    ["an unregistered organization", NEW, undefined, "not registered"],
    ["the same IBAN", OLD, registered, "must differ"],
  ])("refuses %s with a 400", (_label, newIban, reg, detail) => {
    const e = thrown(() => checkIbanChange({ oldIban: OLD, newIban }, reg));
    expect(e.status).toBe(400);
    expect(e.detail).toContain(detail);
  });
  test("accepts a registered postal IBAN", () => {
    expect(checkIbanChange({ oldIban: OLD, newIban: NEW }, { ibans: [], postalIbans: [NEW] }).newIban).toBe(NEW);
  });
});

describe("changeIbanOnPosition", () => {
  test("replaces every matching unpaid transfer of the organization, in order, and stamps what changed", () => {
    const r = changeIbanOnPosition(position(), change, 1000, now);
    expect(r.updatedTransfers).toBe(3);
    const ibans = r.next?.paymentOption.map((o) => o.transfer.map((t) => t.iban));
    expect(ibans).toEqual([[NEW, OTHER, NEW], [NEW]]);
    expect(r.next?.paymentOption[0]?.transfer[1]?.lastUpdatedDate).toBe("2026-01-01T00:00:00.000Z");
    expect(r.next?.paymentOption[0]?.transfer[0]?.lastUpdatedDate).toBe(now.toISOString());
    expect(r.next?.lastUpdatedDate).toBe(now.toISOString());
  });

  test("stops at the limit and leaves the rest for the next call", () => {
    const first = changeIbanOnPosition(position(), change, 2, now);
    expect(first.updatedTransfers).toBe(2);
    expect(changeableIbans(first.next!)).toEqual([NEW, OLD, OTHER].sort());
    const second = changeIbanOnPosition(deepFreeze(first.next!), change, 2, now);
    expect(second.updatedTransfers).toBe(1);
    expect(changeableIbans(second.next!)).toEqual([NEW, OTHER].sort());
  });

  test("leaves paid options, other beneficiaries' transfers and stamps alone", () => {
    const p = position({
      paymentOption: [
        aPaymentOption({ status: "PO_PAID", transfer: [aTransfer()] }),
        aPaymentOption({ iuv: "01000000000000002", transfer: [aTransfer({ organizationFiscalCode: "88888888888" })] }),
        aPaymentOption({
          iuv: "01000000000000003",
          transfer: [
            aTransfer({ iban: undefined, stamp: { hashDocument: "x", stampType: "01", provincialResidence: "RM" } }),
          ],
        }),
      ],
      status: "PARTIALLY_PAID",
    });
    expect(changeIbanOnPosition(p, change, 1000, now)).toEqual({ next: undefined, updatedTransfers: 0 });
    expect(changeableIbans(p)).toEqual([]);
  });

  test.each(debtPositionStatuses.map((s) => [s, ibanChangeableStatuses.includes(s)] as const))(
    "position %s changeable: %p",
    (status, changeable) => {
      const r = changeIbanOnPosition(position({ status }), change, 1000, now);
      expect(r.updatedTransfers > 0).toBe(changeable);
      expect(changeableIbans(position({ status })).length > 0).toBe(changeable);
    },
  );

  test("a limit of 0 changes nothing", () => {
    expect(changeIbanOnPosition(position(), change, 0, now).next).toBeUndefined();
  });
});
