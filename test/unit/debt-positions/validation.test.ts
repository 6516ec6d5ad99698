import { DomainError } from "../../../shared/domain/errors";
import type { DebtPositionInput, PaymentOptionInput } from "../../../shared/domain/debt-positions/model";
import {
  type IbanRegistryLookup,
  validateDebtPosition,
  type ValidationContext,
} from "../../../shared/domain/debt-positions/validation";
import {
  aDebtPositionInput,
  anOrganizationFiscalCode,
  aPaymentOptionInput,
  aRegisteredIban,
  aRegisteredPostalIban,
  aTransferInput,
  deepFreeze,
} from "../../support/builders";

const NOW = "2026-06-01T10:00:00.000Z";
const now = new Date(NOW);
const at = (offsetMs: number): string => new Date(now.getTime() + offsetMs).toISOString();
const DAY = 86_400_000;

const OTHER_EC = "88888888888";
const OTHER_EC_IBAN = "SM86U0322509800000000270100";
const UNKNOWN_EC = "99999999999";
const VALID_UNREGISTERED_IBAN = "DE89370400440532013000";
const aStamp = {
  hashDocument: "5Z5+ZyBhOXmf4oi1YfQvFf9QwVoFx4mAszbm9+ZpW6M=",
  stampType: "01",
  provincialResidence: "RM",
};

const registry: IbanRegistryLookup = (fc) => {
  if (fc === anOrganizationFiscalCode) return { ibans: [aRegisteredIban], postalIbans: [aRegisteredPostalIban] };
  if (fc === OTHER_EC) return { ibans: [OTHER_EC_IBAN], postalIbans: [] };
  return undefined;
};

const ctxOf = (overrides: Partial<ValidationContext> = {}): ValidationContext => ({
  operation: "create",
  now,
  organizationFiscalCode: anOrganizationFiscalCode,
  registry,
  ...overrides,
});

const failure = (input: DebtPositionInput, ctx: Partial<ValidationContext> = {}): DomainError => {
  try {
    validateDebtPosition(deepFreeze(input), ctxOf(ctx));
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError");
};

const dataError = (input: DebtPositionInput, ctx: Partial<ValidationContext> = {}): string => {
  const e = failure(input, ctx);
  expect(e.code).toBe("DEBT_POSITION_REQUEST_DATA_ERROR");
  expect(e.status).toBe(400);
  expect(e.title).toBe("Error in the debt position request data");
  return e.detail;
};

const passes = (input: DebtPositionInput, ctx: Partial<ValidationContext> = {}): void => {
  expect(() => {
    validateDebtPosition(deepFreeze(input), ctxOf(ctx));
  }).not.toThrow();
};

const withOption = (po: Partial<PaymentOptionInput>, pp: Partial<DebtPositionInput> = {}): DebtPositionInput =>
  aDebtPositionInput({ paymentOption: [aPaymentOptionInput(po)], ...pp });

const dueMessage = (due: string, validity: string | null) =>
  `Dates congruence error: due_date must be >= validity_date (if provided) or due_date must be >= current_date [due_date=${due}; validity_date=${validity ?? "null"}; current_date=${NOW}]`;

describe("a valid position", () => {
  test.each(["create", "update"] as const)("passes on %s", (operation) => {
    passes(aDebtPositionInput(), { operation });
  });

  test("a full multi-beneficiary position with stamp, postal IBAN and metadata passes", () => {
    passes(
      aDebtPositionInput({
        validityDate: at(DAY),
        switchToExpired: true,
        paymentOption: [
          aPaymentOptionInput({
            iuv: "01000000000000001",
            nav: "301000000000000001",
            amount: 10600,
            retentionDate: at(400 * DAY),
            paymentOptionMetadata: [{ key: "k", value: "v" }],
            transfer: [
              aTransferInput({ idTransfer: "1", amount: 10000, postalIban: aRegisteredPostalIban }),
              aTransferInput({ idTransfer: "2", amount: 500, organizationFiscalCode: OTHER_EC, iban: OTHER_EC_IBAN }),
              aTransferInput({
                idTransfer: "3",
                amount: 100,
                iban: undefined,
                stamp: aStamp,
                organizationFiscalCode: UNKNOWN_EC,
              }),
            ],
          }),
          aPaymentOptionInput({ iuv: "01000000000000002", isPartialPayment: true }),
        ],
      }),
    );
  });
});

describe("number of payment options (storage limit: one transactional batch of 100 operations)", () => {
  const options = (n: number) =>
    Array.from({ length: n }, (_, i) => aPaymentOptionInput({ iuv: `010000000000${String(i).padStart(5, "0")}` }));
  const message = (n: number) =>
    `Number of payment options congruence error: Each debt position must have from 1 to 49 payment options [payment options found=${n}]`;

  test("49 pass, 50 and 0 are refused", () => {
    passes(aDebtPositionInput({ paymentOption: options(49) }));
    expect(dataError(aDebtPositionInput({ paymentOption: options(50) }))).toBe(message(50));
    expect(dataError(aDebtPositionInput({ paymentOption: [] }))).toBe(message(0));
  });
});

describe("IUV and NAV unique inside the payload", () => {
  test("duplicate IUV", () => {
    const input = aDebtPositionInput({
      paymentOption: [
        aPaymentOptionInput({ iuv: "01000000000000011" }),
        aPaymentOptionInput({ iuv: "01000000000000012" }),
        aPaymentOptionInput({ iuv: "01000000000000011" }),
      ],
    });
    expect(dataError(input)).toBe("IUV congruence error: duplicate IUV at paymentOption[2] [iuv=01000000000000011]");
  });

  test("duplicate explicit NAV; absent NAVs do not collide", () => {
    const dup = aDebtPositionInput({
      paymentOption: [aPaymentOptionInput({ iuv: "A", nav: "3X" }), aPaymentOptionInput({ iuv: "B", nav: "3X" })],
    });
    expect(dataError(dup)).toBe("NAV congruence error: duplicate NAV at paymentOption[1] [nav=3X]");
    passes(
      aDebtPositionInput({
        paymentOption: [
          aPaymentOptionInput({ iuv: "01000000000000011" }),
          aPaymentOptionInput({ iuv: "01000000000000012" }),
        ],
      }),
    );
  });
});

describe("V2 validity date strictly after now (create only)", () => {
  const message = (validity: string) =>
    `Dates congruence error: validity_date must be >= current_date [validity_date=${validity}; current_date=${NOW}] `;

  test("validity = now + 1 ms passes; = now and earlier are refused on create", () => {
    passes(withOption({}, { validityDate: at(1) }));
    expect(dataError(withOption({}, { validityDate: NOW }))).toBe(message(NOW));
    expect(dataError(withOption({}, { validityDate: at(-DAY) }))).toBe(message(at(-DAY)));
  });

  test("not applied on update", () => {
    passes(withOption({}, { validityDate: NOW }), { operation: "update" });
    passes(withOption({}, { validityDate: at(-DAY) }), { operation: "update" });
  });
});

describe("V3 due date ≥ validity date, or ≥ now without one", () => {
  test("with a validity date: due = validity passes, due = validity − 1 ms is refused", () => {
    const validity = at(10 * DAY);
    passes(withOption({ dueDate: validity }, { validityDate: validity }));
    expect(dataError(withOption({ dueDate: at(10 * DAY - 1) }, { validityDate: validity }))).toBe(
      dueMessage(at(10 * DAY - 1), validity),
    );
  });

  test.each(["create", "update"] as const)(
    "without one (%s): due = now passes, due = now − 1 ms is refused",
    (operation) => {
      passes(withOption({ dueDate: NOW }), { operation });
      expect(dataError(withOption({ dueDate: at(-1) }), { operation })).toBe(dueMessage(at(-1), null));
    },
  );
});

describe("V4 due date ≥ now even with a validity date (create; update only with switchToExpired)", () => {
  const pastValidity = at(-10 * DAY);
  const pastDue = at(-DAY);

  test("update, switchToExpired=false, past validity: a past due date is allowed (PIDM-896)", () => {
    passes(withOption({ dueDate: pastDue }, { validityDate: pastValidity, switchToExpired: false }), {
      operation: "update",
    });
  });

  test("update, switchToExpired=true: due = now passes, due = now − 1 ms is refused", () => {
    passes(withOption({ dueDate: NOW }, { validityDate: pastValidity, switchToExpired: true }), {
      operation: "update",
    });
    expect(
      dataError(withOption({ dueDate: at(-1) }, { validityDate: pastValidity, switchToExpired: true }), {
        operation: "update",
      }),
    ).toBe(dueMessage(at(-1), pastValidity));
  });
});

describe("V5 retention date ≥ due date", () => {
  const due = at(30 * DAY);
  test("retention = due passes, due − 1 ms is refused, absent passes", () => {
    passes(withOption({ dueDate: due, retentionDate: due }));
    passes(withOption({ dueDate: due }));
    expect(dataError(withOption({ dueDate: due, retentionDate: at(30 * DAY - 1) }))).toBe(
      `Dates congruence error: retention_date must be >= due_date [retention_date=${at(30 * DAY - 1)}; due_date=${due}] `,
    );
  });
});

describe("V6 one to five transfers", () => {
  const transfers = (n: number) =>
    Array.from({ length: n }, (_, i) => aTransferInput({ idTransfer: String(i + 1), amount: 100 }));

  test("5 pass, 6 are refused with the reference message", () => {
    passes(withOption({ amount: 500, transfer: transfers(5) }));
    expect(dataError(withOption({ amount: 600, transfer: transfers(6) }))).toBe(
      "Number of transfers congruence error: Each payment option must have a maximum of 5 transactions [transactions found=6]",
    );
  });

  test("1 passes, 0 are refused with an explicit message", () => {
    passes(withOption({ amount: 100, transfer: transfers(1) }));
    expect(dataError(withOption({ amount: 100, transfer: [] }))).toBe(
      "Number of transfers congruence error: Each payment option must have at least 1 transaction [iuv=01000000000000001; transactions found=0]",
    );
  });
});

describe("V7 idTransfer in 1..5 and unique in the option", () => {
  test.each(["1", "2", "3", "4", "5"])("%s passes", (idTransfer) => {
    passes(withOption({ transfer: [aTransferInput({ idTransfer })] }));
  });

  test.each(["0", "6", "01", "", " 1", "A"])("%j is refused", (idTransfer) => {
    expect(dataError(withOption({ transfer: [aTransferInput({ idTransfer })] }))).toBe(
      `Transfer ID congruence error: The transaction id not have a value between those expected [transaction id=${idTransfer}; expected values=[1, 2, 3, 4, 5]]`,
    );
  });

  test("a duplicate idTransfer is a 400, not a crash", () => {
    const input = withOption({
      amount: 200,
      transfer: [aTransferInput({ idTransfer: "2", amount: 100 }), aTransferInput({ idTransfer: "2", amount: 100 })],
    });
    expect(dataError(input)).toBe(
      "Transfer ID congruence error: The transaction id must be unique within the payment option [iuv=01000000000000001, transaction id=2]",
    );
  });
});

describe("V8 an IBAN (optionally with a postal IBAN) or a stamp, never both", () => {
  const v8 =
    "The Iban may be present (optionally combined with the Postal Iban) or the Stamp. Not all at the same time [iuv=01000000000000001, transaction id=1].";

  test.each([
    ["iban", { iban: aRegisteredIban }],
    ["iban + postal iban", { iban: aRegisteredIban, postalIban: aRegisteredPostalIban }],
    ["stamp", { iban: undefined, stamp: aStamp }],
  ])("%s passes", (_, means) => {
    passes(withOption({ transfer: [aTransferInput(means)] }));
  });

  test.each([
    ["iban + stamp", { iban: aRegisteredIban, stamp: aStamp }],
    ["postal iban + stamp", { iban: undefined, postalIban: aRegisteredPostalIban, stamp: aStamp }],
    ["iban + postal iban + stamp", { iban: aRegisteredIban, postalIban: aRegisteredPostalIban, stamp: aStamp }],
    ["postal iban alone", { iban: undefined, postalIban: aRegisteredPostalIban }],
    ["nothing", { iban: undefined }],
    ["empty iban", { iban: "" }],
  ])("%s is refused", (_, means) => {
    expect(dataError(withOption({ transfer: [aTransferInput(means)] }))).toBe(v8);
  });
});

describe("IBAN checksum (ISO 13616)", () => {
  test("a corrupted IBAN is refused, masked", () => {
    expect(dataError(withOption({ transfer: [aTransferInput({ iban: "IT61X0542811101000000123456" })] }))).toBe(
      "IBAN congruence error: the IBAN is not a valid ISO 13616 IBAN [iuv=01000000000000001, transaction id=1, iban=IT61*******************3456]",
    );
  });

  test("a corrupted postal IBAN is refused, masked", () => {
    expect(dataError(withOption({ transfer: [aTransferInput({ postalIban: "IT93X0760103200001234567891" })] }))).toBe(
      "IBAN congruence error: the postal IBAN is not a valid ISO 13616 IBAN [iuv=01000000000000001, transaction id=1, postal iban=IT93*******************7891]",
    );
  });
});

describe("IBAN registration (SANP: IBANs must be registered on pagoPA, for the transfer's beneficiary)", () => {
  test("a valid IBAN not registered for the EC is refused", () => {
    expect(dataError(withOption({ transfer: [aTransferInput({ iban: VALID_UNREGISTERED_IBAN })] }))).toBe(
      `IBAN congruence error: the IBAN is not registered on pagoPA for the beneficiary organization [iuv=01000000000000001, transaction id=1, organization fiscal code=${anOrganizationFiscalCode}, iban=DE89**************3000]`,
    );
  });

  test("a postal IBAN must be one of the beneficiary's postal IBANs", () => {
    expect(dataError(withOption({ transfer: [aTransferInput({ postalIban: aRegisteredIban })] }))).toBe(
      `IBAN congruence error: the postal IBAN is not registered on pagoPA for the beneficiary organization [iuv=01000000000000001, transaction id=1, organization fiscal code=${anOrganizationFiscalCode}, postal iban=IT60*******************3456]`,
    );
  });

  test("a registered postal IBAN may be used as the transfer's IBAN", () => {
    passes(withOption({ transfer: [aTransferInput({ iban: aRegisteredPostalIban })] }));
  });

  test("comparison is by value: case and registry spacing do not matter", () => {
    passes(withOption({ transfer: [aTransferInput({ iban: aRegisteredIban.toLowerCase() })] }));
    const spaced: IbanRegistryLookup = () => ({ ibans: ["it60 x054 2811 1010 0000 0123 456"], postalIbans: [] });
    passes(withOption({}), { registry: spaced });
  });

  test("multi-beneficiary: the other EC's IBAN is checked against the other EC", () => {
    const input = (iban: string) =>
      withOption({
        amount: 200,
        transfer: [
          aTransferInput({ idTransfer: "1", amount: 100 }),
          aTransferInput({ idTransfer: "2", amount: 100, organizationFiscalCode: OTHER_EC, iban }),
        ],
      });
    passes(input(OTHER_EC_IBAN));
    expect(dataError(input(aRegisteredIban))).toBe(
      `IBAN congruence error: the IBAN is not registered on pagoPA for the beneficiary organization [iuv=01000000000000001, transaction id=2, organization fiscal code=${OTHER_EC}, iban=IT60*******************3456]`,
    );
  });

  test("the EC's IBAN is refused when the transfer names the EC explicitly but uses another EC's IBAN", () => {
    const input = withOption({
      transfer: [aTransferInput({ organizationFiscalCode: anOrganizationFiscalCode, iban: OTHER_EC_IBAN })],
    });
    expect(dataError(input)).toMatch(/^IBAN congruence error: the IBAN is not registered/);
  });

  test("an unknown beneficiary is refused; a stamp-only transfer needs no registration", () => {
    expect(
      dataError(
        withOption({ transfer: [aTransferInput({ organizationFiscalCode: UNKNOWN_EC, iban: OTHER_EC_IBAN })] }),
      ),
    ).toBe(
      `Beneficiary congruence error: the beneficiary organization is not registered on pagoPA [iuv=01000000000000001, transaction id=1, organization fiscal code=${UNKNOWN_EC}]`,
    );
    passes(
      withOption({
        transfer: [aTransferInput({ organizationFiscalCode: UNKNOWN_EC, iban: undefined, stamp: aStamp })],
      }),
    );
  });

  test("the registry is asked once per beneficiary", () => {
    const calls: string[] = [];
    const counting: IbanRegistryLookup = (fc) => {
      calls.push(fc);
      return registry(fc);
    };
    const po = (iuv: string) =>
      aPaymentOptionInput({
        iuv,
        amount: 200,
        transfer: [
          aTransferInput({ idTransfer: "1", amount: 100 }),
          aTransferInput({ idTransfer: "2", amount: 100, organizationFiscalCode: OTHER_EC, iban: OTHER_EC_IBAN }),
        ],
      });
    passes(aDebtPositionInput({ paymentOption: [po("01000000000000011"), po("01000000000000012")] }), {
      registry: counting,
    });
    expect(calls).toEqual([anOrganizationFiscalCode, OTHER_EC]);
  });
});

describe("category is a taxonomy code (SANP: validità della tassonomia)", () => {
  test.each(["text", "9/0101108TS", "9/0101108ts/", "9/010110TS/"])("%j is refused", (category) => {
    expect(dataError(withOption({ transfer: [aTransferInput({ category })] }))).toBe(
      `Taxonomy congruence error: the category is not a valid taxonomy code, expected 9/ + 7 digits + 2 capital letters + / (e.g. 9/0101108TS/) [iuv=01000000000000001, transaction id=1, category=${category}]`,
    );
  });

  test("any well-formed code passes without a catalogue", () => {
    passes(withOption({ transfer: [aTransferInput({ category: "9/9999999ZZ/" })] }));
  });

  test("with a catalogue, the code must be in it", () => {
    const taxonomy = new Set(["9/0101108TS/"]);
    passes(withOption({}), { taxonomy });
    expect(dataError(withOption({ transfer: [aTransferInput({ category: "9/0101100IM/" })] }), { taxonomy })).toBe(
      "Taxonomy congruence error: the category is not in the pagoPA taxonomy catalogue [iuv=01000000000000001, transaction id=1, category=9/0101100IM/]",
    );
  });
});

describe("V9 option amount = Σ transfer amounts", () => {
  const two = [aTransferInput({ idTransfer: "1", amount: 700 }), aTransferInput({ idTransfer: "2", amount: 300 })];
  const message = (amount: number, total: number) =>
    `Amounts congruence error: payment option amount must coincide with the total of the transfers amount [payment_option_amount(in cent)=${amount}; total_tranfers_amount(in cent)=${total}]`;

  test("equal passes, one cent more or less is refused", () => {
    passes(withOption({ amount: 1000, transfer: two }));
    expect(dataError(withOption({ amount: 1001, transfer: two }))).toBe(message(1001, 1000));
    expect(dataError(withOption({ amount: 999, transfer: two }))).toBe(message(999, 1000));
  });

  test("amounts beyond the business maximum (99,999,999,999 cents) are refused before they are summed", () => {
    const max = 99_999_999_999;
    passes(withOption({ amount: max, transfer: [aTransferInput({ idTransfer: "1", amount: max })] }));
    const big = Number.MAX_SAFE_INTEGER;
    const transfers = [
      aTransferInput({ idTransfer: "1", amount: big }),
      aTransferInput({ idTransfer: "2", amount: 2 }),
    ];
    expect(dataError(withOption({ amount: big, transfer: transfers }))).toBe(
      `Amounts congruence error: every amount must be from 1 to ${max} cents [iuv=01000000000000001; amount(in cent)=${big}]`,
    );
    expect(
      dataError(withOption({ amount: max + 1, transfer: [aTransferInput({ idTransfer: "1", amount: max + 1 })] })),
    ).toMatch(/every amount must be from 1 to 99999999999 cents/);
  });
});

describe("V10 reserved metadata", () => {
  test("NOTIFICATION_FEE in the option metadata → 409", () => {
    const e = failure(withOption({ paymentOptionMetadata: [{ key: "NOTIFICATION_FEE", value: "100" }] }));
    expect(e.code).toBe("PAYMENT_OPTION_RESERVED_METADATA");
    expect(e.status).toBe(409);
    expect(e.title).toBe("The payment option contains reserved metadata");
    expect(e.detail).toBe(
      "The caller should not add or modify reserved payment option metadata. Reserved metadata list = {NOTIFICATION_FEE}.",
    );
  });

  test("other keys, and NOTIFICATION_FEE on a transfer, are not reserved", () => {
    passes(withOption({ paymentOptionMetadata: [{ key: "NOTIFICATION_FEE_X" }, { key: "notification_fee" }] }));
    passes(withOption({ transfer: [aTransferInput({ transferMetadata: [{ key: "NOTIFICATION_FEE" }] })] }));
  });
});

describe("V11 metadata keys unique (bean message)", () => {
  test("option metadata", () => {
    const e = failure(
      withOption({
        paymentOptionMetadata: [
          { key: "a", value: "1" },
          { key: "a", value: "2" },
        ],
      }),
    );
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.detail).toBe("paymentOption[0].paymentOptionMetadata: paymentOptionMetadata keys must be unique");
  });

  test("transfer metadata", () => {
    const e = failure(withOption({ transfer: [aTransferInput({ transferMetadata: [{ key: "a" }, { key: "a" }] })] }));
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.detail).toBe("paymentOption[0].transfer[0].transferMetadata: transferMetadata keys must be unique");
  });
});

describe("order of failures: the first broken rule wins", () => {
  test("option count before duplicate IUVs", () => {
    const options = Array.from({ length: 50 }, () => aPaymentOptionInput({ iuv: "SAME" }));
    expect(dataError(aDebtPositionInput({ paymentOption: options }))).toMatch(/^Number of payment options/);
  });

  test("duplicate IUV before any per-option rule", () => {
    const input = aDebtPositionInput({
      validityDate: at(-DAY),
      paymentOption: [
        aPaymentOptionInput({ iuv: "01000000000000011" }),
        aPaymentOptionInput({ iuv: "01000000000000011" }),
      ],
    });
    expect(dataError(input)).toMatch(/^IUV congruence error/);
  });

  test("V2 before V3", () => {
    expect(dataError(withOption({ dueDate: at(-2 * DAY) }, { validityDate: at(-DAY) }))).toMatch(
      /validity_date must be >= current_date/,
    );
  });

  test("V3 before V5", () => {
    expect(dataError(withOption({ dueDate: at(-1), retentionDate: at(-2) }))).toBe(dueMessage(at(-1), null));
  });

  test("V5 before V6", () => {
    expect(dataError(withOption({ retentionDate: at(1), transfer: [] }))).toMatch(/retention_date must be >= due_date/);
  });

  test("V6 before V7", () => {
    const six = Array.from({ length: 6 }, () => aTransferInput({ idTransfer: "9" }));
    expect(dataError(withOption({ transfer: six }))).toMatch(/maximum of 5 transactions/);
  });

  test("V7 before V8, duplicate id before V8", () => {
    expect(dataError(withOption({ transfer: [aTransferInput({ idTransfer: "7", iban: undefined })] }))).toMatch(
      /^Transfer ID congruence error: The transaction id not have/,
    );
    const dup = [aTransferInput({ amount: 5000 }), aTransferInput({ amount: 5000, iban: undefined })];
    expect(dataError(withOption({ transfer: dup }))).toMatch(/must be unique within the payment option/);
  });

  test("V8 before the IBAN checksum, checksum before registration, registration before category", () => {
    expect(
      dataError(withOption({ transfer: [aTransferInput({ iban: "IT61X0542811101000000123456", stamp: aStamp })] })),
    ).toMatch(/^The Iban may be present/);
    expect(
      dataError(
        withOption({
          transfer: [aTransferInput({ iban: "IT61X0542811101000000123456", organizationFiscalCode: UNKNOWN_EC })],
        }),
      ),
    ).toMatch(/not a valid ISO 13616 IBAN/);
    expect(
      dataError(withOption({ transfer: [aTransferInput({ iban: VALID_UNREGISTERED_IBAN, category: "bad" })] })),
    ).toMatch(/not registered on pagoPA/);
  });

  test("category before V9", () => {
    expect(dataError(withOption({ amount: 1, transfer: [aTransferInput({ category: "bad" })] }))).toMatch(
      /^Taxonomy congruence error/,
    );
  });

  test("transfers in array order: transfer[0]'s category before transfer[1]'s id", () => {
    const transfers = [
      aTransferInput({ idTransfer: "1", amount: 5000, category: "bad" }),
      aTransferInput({ idTransfer: "9", amount: 5000 }),
    ];
    expect(dataError(withOption({ transfer: transfers }))).toMatch(/^Taxonomy congruence error/);
  });

  test("options in array order: option[0]'s V9 before option[1]'s V5", () => {
    const input = aDebtPositionInput({
      paymentOption: [
        aPaymentOptionInput({ iuv: "01000000000000011", amount: 1 }),
        aPaymentOptionInput({ iuv: "01000000000000012", retentionDate: at(1) }),
      ],
    });
    expect(dataError(input)).toMatch(/^Amounts congruence error/);
  });

  test("V9 of a later option before V10 of an earlier one; V10 before V11", () => {
    const input = aDebtPositionInput({
      paymentOption: [
        aPaymentOptionInput({ iuv: "01000000000000011", paymentOptionMetadata: [{ key: "NOTIFICATION_FEE" }] }),
        aPaymentOptionInput({ iuv: "01000000000000012", amount: 1 }),
      ],
    });
    expect(dataError(input)).toMatch(/^Amounts congruence error/);
    const v10v11 = withOption({ paymentOptionMetadata: [{ key: "x" }, { key: "x" }, { key: "NOTIFICATION_FEE" }] });
    expect(failure(v10v11).code).toBe("PAYMENT_OPTION_RESERVED_METADATA");
  });
});

describe("NAV payable through the node (paForNode.xsd stNoticeNumber: 18 digits)", () => {
  test("aux digit + a 17-digit IUV, or an explicit 18-digit NAV, passes", () => {
    passes(withOption({ iuv: "01000000000000011" }));
    passes(withOption({ iuv: "01000000000000011" }), { auxDigit: "0" });
    passes(withOption({ iuv: "ABC", nav: "301000000000000099" }));
  });

  test.each([
    ["a 16-digit IUV", { iuv: "0100000000000001" }, "3" + "0100000000000001"],
    ["an IUV with letters", { iuv: "01A00000000000001" }, "301A00000000000001"],
    ["an 18-digit IUV (19-digit NAV)", { iuv: "010000000000000001" }, "3010000000000000001"],
    ["an explicit NAV of 17 digits", { iuv: "01000000000000011", nav: "30100000000000001" }, "30100000000000001"],
  ])("%s is refused, naming the option", (_label, po, nav) => {
    const input = aDebtPositionInput({
      paymentOption: [aPaymentOptionInput({ iuv: "01000000000000012" }), aPaymentOptionInput(po)],
    });
    expect(dataError(input)).toBe(
      `NAV congruence error: the notice number of paymentOption[1] must be 18 digits to be payable through pagoPA [iuv=${po.iuv}; nav=${nav}]`,
    );
  });

  test("the organization's aux digit is the one used", () => {
    expect(dataError(withOption({ iuv: "0100000000000001" }), { auxDigit: "0" })).toMatch(/nav=00100000000000001\]/);
  });
});
