import { DomainError } from "../../../shared/domain/errors";
import {
  assertDeletable,
  createDebtPosition,
  expireDebtPosition,
  invalidateDebtPosition,
  publishDebtPosition,
  replaceDebtPosition,
  toPublicView,
  validateDebtPosition,
} from "../../../shared/domain/debt-positions/lifecycle";
import type {
  DebtPosition,
  DebtPositionInput,
  PaymentOptionInput,
  TransferInput,
} from "../../../shared/domain/debt-positions/model";
import { applyNotificationFee } from "../../../shared/domain/debt-positions/payments";
import { aDebtPosition, aPaymentOption, aTransfer, deepFreeze } from "../../support/builders";

const EC = "77777777777";
const now = new Date("2026-06-01T10:00:00.000Z");
const NOW = now.toISOString();
const FUTURE_VALIDITY = "2026-07-01T00:00:00.000Z";
const DUE = "2026-12-31T23:59:59.000Z";

// Local input fixtures (already validated inputs, as the handler passes them).
const aTransferInput = (overrides: Partial<TransferInput> = {}): TransferInput => ({
  idTransfer: "1",
  amount: 10000,
  remittanceInformation: "TARI 2026",
  category: "9/0101108TS/",
  iban: "IT60X0542811101000000123456",
  transferMetadata: [],
  ...overrides,
});
const anOptionInput = (overrides: Partial<PaymentOptionInput> = {}): PaymentOptionInput => ({
  iuv: "01000000000000001",
  amount: 10000,
  description: "TARI 2026",
  isPartialPayment: false,
  dueDate: DUE,
  paymentOptionMetadata: [],
  transfer: [aTransferInput()],
  ...overrides,
});
const anInput = (overrides: Partial<DebtPositionInput> = {}): DebtPositionInput =>
  deepFreeze({
    iupd: "IUPD-0001",
    type: "F",
    fiscalCode: "RSSMRA80A01H501U",
    fullName: "Mario Rossi",
    switchToExpired: true,
    companyName: "Comune di Test",
    paymentOption: [anOptionInput()],
    ...overrides,
  });

const createCtx = { organizationFiscalCode: EC, auxDigit: "3", now, toPublish: false };

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return undefined;
};
const errorOf = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError");
};

describe("createDebtPosition", () => {
  test("a DRAFT with defaults: NAV from aux digit, EC on transfers, copies, zero fees, statuses, dates", () => {
    const p = createDebtPosition(anInput({ validityDate: FUTURE_VALIDITY }), createCtx);
    expect(p).toMatchObject({
      organizationFiscalCode: EC,
      iupd: "IUPD-0001",
      status: "DRAFT",
      payStandIn: true,
      switchToExpired: true,
      validityDate: FUTURE_VALIDITY,
      insertedDate: NOW,
      lastUpdatedDate: NOW,
    });
    expect(p.publishDate).toBeUndefined();
    expect(p.paymentDate).toBeUndefined();
    const option = p.paymentOption[0]!;
    expect(option).toMatchObject({
      nav: "301000000000000001",
      iuv: "01000000000000001",
      organizationFiscalCode: EC,
      amount: 10000,
      switchToExpired: true,
      validityDate: FUTURE_VALIDITY,
      fee: 0,
      notificationFee: 0,
      status: "PO_UNPAID",
      insertedDate: NOW,
      lastUpdatedDate: NOW,
    });
    expect(option.transfer[0]).toMatchObject({
      idTransfer: "1",
      organizationFiscalCode: EC,
      status: "T_UNREPORTED",
      insertedDate: NOW,
    });
  });

  test("keeps a NAV and a multi-beneficiary fiscal code given by the EC", () => {
    const p = createDebtPosition(
      anInput({
        paymentOption: [
          anOptionInput({
            nav: "399999999999999999",
            amount: 15000,
            transfer: [
              aTransferInput(),
              aTransferInput({ idTransfer: "2", amount: 5000, organizationFiscalCode: "88888888888" }),
            ],
          }),
        ],
      }),
      createCtx,
    );
    expect(p.paymentOption[0]!.nav).toBe("399999999999999999");
    expect(p.paymentOption[0]!.transfer.map((t) => t.organizationFiscalCode)).toEqual([EC, "88888888888"]);
  });

  test("the aux digit is configurable", () => {
    expect(createDebtPosition(anInput(), { ...createCtx, auxDigit: "0" }).paymentOption[0]!.nav).toBe(
      "001000000000000001",
    );
  });

  test("toPublish with no validity → VALID at once, validity = now everywhere, publishDate = now", () => {
    const p = createDebtPosition(anInput(), { ...createCtx, toPublish: true });
    expect(p).toMatchObject({ status: "VALID", validityDate: NOW, publishDate: NOW });
    expect(p.paymentOption.map((o) => o.validityDate)).toEqual([NOW]);
  });

  test("toPublish with a future validity → PUBLISHED", () => {
    const p = createDebtPosition(anInput({ validityDate: FUTURE_VALIDITY }), { ...createCtx, toPublish: true });
    expect(p).toMatchObject({ status: "PUBLISHED", validityDate: FUTURE_VALIDITY, publishDate: NOW });
  });

  test("payStandIn false is kept", () => {
    expect(createDebtPosition(anInput({ payStandIn: false }), createCtx).payStandIn).toBe(false);
  });
});

describe("replaceDebtPosition (docs/domain/debt-positions.md#validation update semantics)", () => {
  const earlier = "2026-03-01T00:00:00.000Z";
  const existing = (overrides: Partial<DebtPosition> = {}): DebtPosition =>
    deepFreeze(
      aDebtPosition({
        status: "VALID",
        publishDate: earlier,
        validityDate: earlier,
        insertedDate: earlier,
        switchToExpired: true,
        paymentOption: [
          aPaymentOption({
            iuv: "01000000000000001",
            insertedDate: earlier,
            validityDate: earlier,
            switchToExpired: true,
            transfer: [aTransfer({ insertedDate: earlier })],
          }),
          aPaymentOption({
            iuv: "01000000000000002",
            insertedDate: earlier,
            validityDate: earlier,
            switchToExpired: true,
          }),
        ],
        ...overrides,
      }),
    );
  const replaceCtx = { now, toPublish: false, auxDigit: "3" };

  test("merges options by IUV and transfers by idTransfer; drops missing IUVs; resets to DRAFT", () => {
    const input = anInput({
      fullName: "Maria Bianchi",
      paymentOption: [
        anOptionInput({
          iuv: "01000000000000001",
          amount: 12000,
          transfer: [aTransferInput({ amount: 10000 }), aTransferInput({ idTransfer: "2", amount: 2000 })],
          paymentOptionMetadata: [{ key: "k", value: "v" }],
        }),
        anOptionInput({ iuv: "01000000000000003" }),
      ],
    });
    const p = replaceDebtPosition(existing(), input, replaceCtx);
    expect(p).toMatchObject({
      status: "DRAFT",
      fullName: "Maria Bianchi",
      insertedDate: earlier,
      lastUpdatedDate: NOW,
      organizationFiscalCode: EC,
    });
    expect(p.publishDate).toBeUndefined();
    expect(p.paymentOption.map((o) => [o.iuv, o.insertedDate, o.lastUpdatedDate])).toEqual([
      ["01000000000000001", earlier, NOW],
      ["01000000000000003", NOW, NOW],
    ]);
    const matched = p.paymentOption[0]!;
    expect(matched.amount).toBe(12000);
    expect(matched.paymentOptionMetadata).toEqual([{ key: "k", value: "v" }]);
    expect(matched.transfer.map((t) => [t.idTransfer, t.insertedDate, t.status])).toEqual([
      ["1", earlier, "T_UNREPORTED"],
      ["2", NOW, "T_UNREPORTED"],
    ]);
    expect(matched.validityDate).toBeUndefined();
  });

  test("protected fields are kept, not taken from the input", () => {
    const stored = existing({
      paymentOption: [aPaymentOption({ fee: 150, insertedDate: earlier })],
    });
    const p = replaceDebtPosition(stored, anInput(), replaceCtx);
    expect(p.paymentOption[0]).toMatchObject({ fee: 150, status: "PO_UNPAID" });
  });

  test("EXPIRED is updatable (PAGOPA-2459), and so is an effectively EXPIRED VALID", () => {
    expect(replaceDebtPosition(existing({ status: "EXPIRED" }), anInput(), replaceCtx).status).toBe("DRAFT");
    const pastDue = existing({
      paymentOption: [aPaymentOption({ switchToExpired: true, dueDate: "2026-05-01T00:00:00.000Z" })],
    });
    expect(replaceDebtPosition(pastDue, anInput(), replaceCtx).status).toBe("DRAFT");
  });

  test.each(["INVALID", "PARTIALLY_PAID", "PAID", "REPORTED"] as const)("%s → 409 NOT_UPDATABLE", (status) => {
    expect(codeOf(() => replaceDebtPosition(existing({ status }), anInput(), replaceCtx))).toBe(
      "DEBT_POSITION_NOT_UPDATABLE",
    );
  });

  test("toPublish with a future validity → PUBLISHED, publishDate = now", () => {
    const p = replaceDebtPosition(existing(), anInput({ validityDate: FUTURE_VALIDITY }), {
      ...replaceCtx,
      toPublish: true,
    });
    expect(p).toMatchObject({ status: "PUBLISHED", publishDate: NOW, validityDate: FUTURE_VALIDITY });
  });

  test("toPublish on a VALID position with no validity keeps the past validity (docs/domain/debt-positions.md#validation special rule)", () => {
    const p = replaceDebtPosition(existing(), anInput(), { ...replaceCtx, toPublish: true });
    expect(p).toMatchObject({ status: "VALID", publishDate: NOW, validityDate: earlier });
    expect(p.paymentOption.map((o) => o.validityDate)).toEqual([earlier]);
  });

  test("toPublish on a DRAFT with no validity → VALID from now", () => {
    const p = replaceDebtPosition(existing({ status: "DRAFT" }), anInput(), { ...replaceCtx, toPublish: true });
    expect(p).toMatchObject({ status: "VALID", validityDate: NOW });
  });

  describe("notification fee is kept across replace (docs/domain/debt-positions.md#validation notificationFee 3)", () => {
    const withFee = (transfers = [aTransfer()]) => {
      const stored = aDebtPosition({ status: "VALID", paymentOption: [aPaymentOption({ transfer: transfers })] });
      const applied = applyNotificationFee(stored, "301000000000000001", 250, now);
      if (applied.outcome !== "applied") throw new Error("fixture");
      return deepFreeze(applied.position);
    };

    test("re-added to the new amount and to the primary transfer", () => {
      const stored = withFee();
      expect(stored.paymentOption[0]).toMatchObject({ amount: 10250, notificationFee: 250 });
      const p = replaceDebtPosition(
        stored,
        anInput({
          paymentOption: [
            anOptionInput({
              amount: 8000,
              transfer: [
                aTransferInput({ idTransfer: "2", amount: 3000 }),
                aTransferInput({ idTransfer: "1", amount: 5000, organizationFiscalCode: "88888888888" }),
              ],
            }),
          ],
        }),
        replaceCtx,
      );
      const option = p.paymentOption[0]!;
      expect(option).toMatchObject({ amount: 8250, notificationFee: 250 });
      // transfer 1 belongs to another EC: the primary is the first EC transfer by idTransfer, i.e. "2".
      expect(option.transfer.map((t) => [t.idTransfer, t.amount])).toEqual([
        ["2", 3250],
        ["1", 5000],
      ]);
    });

    test("a new IUV gets no fee", () => {
      const p = replaceDebtPosition(
        withFee(),
        anInput({ paymentOption: [anOptionInput({ iuv: "01000000000000009" })] }),
        replaceCtx,
      );
      expect(p.paymentOption[0]).toMatchObject({ amount: 10000, notificationFee: 0 });
    });

    test("no EC transfer to carry it → 422", () => {
      const e = errorOf(() =>
        replaceDebtPosition(
          withFee(),
          anInput({
            paymentOption: [anOptionInput({ transfer: [aTransferInput({ organizationFiscalCode: "88888888888" })] })],
          }),
          replaceCtx,
        ),
      );
      expect(e).toMatchObject({
        code: "DEBT_POSITION_UPDATE_FAILED_NO_TRANSFER_FOR_NOTIFICATION_FEE",
        status: 422,
        detail: `No valid transfer found to apply the registered notification fee on the debt position with Organization Fiscal Code ${EC} and IUPD IUPD-0001`,
      });
    });
  });
});

describe("publishDebtPosition (docs/domain/statuses.md#transitions)", () => {
  const draft = (validityDate: string | undefined, dueDate = DUE) =>
    deepFreeze(aDebtPosition({ validityDate, paymentOption: [aPaymentOption({ validityDate, dueDate })] }));

  test("future validity → PUBLISHED, publishDate = now", () => {
    expect(publishDebtPosition(draft(FUTURE_VALIDITY), now)).toMatchObject({
      status: "PUBLISHED",
      publishDate: NOW,
      lastUpdatedDate: NOW,
      validityDate: FUTURE_VALIDITY,
    });
  });

  test("no validity → VALID with validity = now", () => {
    const p = publishDebtPosition(draft(undefined), now);
    expect(p).toMatchObject({ status: "VALID", validityDate: NOW });
    expect(p.paymentOption[0]!.validityDate).toBe(NOW);
  });

  test("validity equal to now passes the check and is VALID", () => {
    expect(publishDebtPosition(draft(NOW), now).status).toBe("VALID");
  });

  test("due date equal to now passes the check", () => {
    expect(publishDebtPosition(draft(undefined, NOW), now).status).toBe("VALID");
  });

  const ref = `Organization Fiscal Code ${EC} and IUPD IUPD-0001`;
  test.each([
    [
      "due before validity",
      draft("2026-08-01T00:00:00.000Z", "2026-07-31T00:00:00.000Z"),
      "DEBT_POSITION_PUBLISH_DUE_DATE_BEFORE_VALIDITY_DATE",
      `Invalid publish request: the payment option due date cannot be before the validity date for the debt position with ${ref}`,
    ],
    [
      "due date 1 ms past",
      draft(undefined, "2026-06-01T09:59:59.999Z"),
      "DEBT_POSITION_PUBLISH_DUE_DATE_MISMATCH",
      `A publish request occurred after the due date of a payment options has expired for the debt position with ${ref}`,
    ],
    [
      "validity 1 ms past",
      draft("2026-06-01T09:59:59.999Z"),
      "DEBT_POSITION_PUBLISH_VALIDITY_DATE_MISMATCH",
      `A publish request has been made after the validity date began for the debt position with ${ref}`,
    ],
  ])("%s → 409", (_label, position, code, detail) => {
    expect(errorOf(() => publishDebtPosition(position, now))).toMatchObject({ code, detail, status: 409 });
  });

  test.each(["PUBLISHED", "VALID", "INVALID", "EXPIRED", "PAID"] as const)("%s → NOT_PUBLISHABLE", (status) => {
    expect(codeOf(() => publishDebtPosition(aDebtPosition({ status }), now))).toBe("DEBT_POSITION_NOT_PUBLISHABLE");
  });
});

describe("invalidate, jobs, delete", () => {
  test.each(["PUBLISHED", "VALID"] as const)("invalidate %s → INVALID", (status) => {
    expect(invalidateDebtPosition(deepFreeze(aDebtPosition({ status })), now)).toMatchObject({
      status: "INVALID",
      lastUpdatedDate: NOW,
    });
  });

  test("invalidate of a VALID position past due with switchToExpired → 409 NOT_INVALIDABLE", () => {
    const p = aDebtPosition({
      status: "VALID",
      switchToExpired: true,
      paymentOption: [aPaymentOption({ switchToExpired: true, dueDate: "2026-06-01T09:59:59.999Z" })],
    });
    expect(codeOf(() => invalidateDebtPosition(p, now))).toBe("DEBT_POSITION_NOT_INVALIDABLE");
  });

  test("validate job: PUBLISHED with validity reached → VALID; not due → 409", () => {
    const p = aDebtPosition({ status: "PUBLISHED", paymentOption: [aPaymentOption({ validityDate: NOW })] });
    expect(validateDebtPosition(p, now)).toMatchObject({ status: "VALID", lastUpdatedDate: NOW });
    expect(codeOf(() => validateDebtPosition(p, new Date(now.getTime() - 1)))).toBe("CONFLICT");
  });

  test("expire job: VALID past due → EXPIRED; due equal to now → 409", () => {
    const p = aDebtPosition({
      status: "VALID",
      switchToExpired: true,
      paymentOption: [aPaymentOption({ switchToExpired: true, dueDate: NOW })],
    });
    expect(codeOf(() => expireDebtPosition(p, now))).toBe("CONFLICT");
    expect(expireDebtPosition(p, new Date(now.getTime() + 1))).toMatchObject({ status: "EXPIRED" });
  });

  test.each(["DRAFT", "PUBLISHED", "VALID", "EXPIRED", "INVALID"] as const)("%s is deletable", (status) => {
    expect(() => {
      assertDeletable(aDebtPosition({ status }), now);
    }).not.toThrow();
  });

  test.each(["PARTIALLY_PAID", "PAID", "REPORTED"] as const)("%s → 409 PAYMENT_FOUND", (status) => {
    expect(
      codeOf(() => {
        assertDeletable(aDebtPosition({ status }), now);
      }),
    ).toBe("DEBT_POSITION_PAYMENT_FOUND");
  });
});

describe("toPublicView", () => {
  test("shows the effective status, the min validity and switchToExpired only if every option has it", () => {
    const stored = deepFreeze(
      aDebtPosition({
        status: "PUBLISHED",
        switchToExpired: true,
        validityDate: "2026-05-02T00:00:00.000Z",
        paymentOption: [
          aPaymentOption({ iuv: "01000000000000001", switchToExpired: true, validityDate: "2026-05-01T00:00:00.000Z" }),
          aPaymentOption({
            iuv: "01000000000000002",
            switchToExpired: false,
            validityDate: "2026-05-02T00:00:00.000Z",
          }),
        ],
      }),
    );
    const view = toPublicView(stored, now);
    expect(view).toMatchObject({ status: "VALID", validityDate: "2026-05-01T00:00:00.000Z", switchToExpired: false });
    expect(stored.status).toBe("PUBLISHED");
  });
});
