// The values paVerifyPaymentNotice and paGetPayment(V2) answer with: exact euros from cents, texts cut to the XSD's
// lengths, the IBAN and metadata rules. Pure, no I/O.
import type { Transfer } from "../../../shared/domain/debt-positions/model";
import {
  allCcp,
  debtorView,
  euros,
  fitText,
  metadataView,
  paymentView,
  requiredText,
  verifyView,
} from "../../../shared/domain/node/payment-views";
import { aDebtPosition, anOrganizationFiscalCode, aPaymentOption, aTransfer } from "../../support/builders";

const postal = "IT93X0760103200001234567890";
const names = new Map<string, string>();

describe("amounts", () => {
  test.each([
    [1, "0.01"],
    [10, "0.10"],
    [100, "1.00"],
    [12_345, "123.45"],
    [99_999_999_999, "999999999.99"],
    [Number.MAX_SAFE_INTEGER, "90071992547409.91"],
  ])("%d cents → %s", (cents, text) => {
    expect(euros(cents)).toBe(text);
  });
});

describe("texts", () => {
  test("cut to the limit in characters, never splitting an astral character", () => {
    expect(fitText("a".repeat(141), 140)).toBe("a".repeat(140));
    expect(fitText("😀".repeat(141), 140)).toBe("😀".repeat(140));
    expect(Array.from(fitText("é".repeat(200), 70) ?? "")).toHaveLength(70);
  });

  test("characters XML 1.0 cannot carry are removed; nothing printable left → undefined, or NA when required", () => {
    expect(fitText("a\u0000b\u001Fc\uFFFE", 10)).toBe("abc");
    expect(fitText("\u0001", 10)).toBeUndefined();
    expect(fitText("   ", 10)).toBeUndefined();
    expect(fitText(undefined, 10)).toBeUndefined();
    expect(requiredText("", 140)).toBe("NA");
    expect(requiredText("\t\n", 140)).toBe("NA");
    expect(requiredText("tab\tkept", 140)).toBe("tab\tkept");
  });
});

describe("verifyView", () => {
  test("amount with the notification fee, EQ, the due date as xs:date, texts cut to 140", () => {
    const option = aPaymentOption({
      amount: 10_250,
      notificationFee: 250,
      description: "d".repeat(300),
      dueDate: "2026-12-31T23:59:59.000Z",
    });
    const position = aDebtPosition({ status: "VALID", companyName: "c".repeat(200), paymentOption: [option] });
    expect(verifyView(position, option)).toEqual({
      amount: "102.50",
      dueDate: "2026-12-31",
      detailDescription: "d".repeat(140),
      allCCP: false,
      paymentDescription: "d".repeat(140),
      fiscalCodePA: anOrganizationFiscalCode,
      companyName: "c".repeat(140),
      officeName: undefined,
    });
  });

  test("an option without description says NA", () => {
    const option = aPaymentOption({ description: undefined });
    expect(verifyView(aDebtPosition({ paymentOption: [option] }), option).paymentDescription).toBe("NA");
  });

  test("allCCP only when every transfer has a postal IBAN", () => {
    const withPostal = (t: Partial<Transfer>) => aTransfer({ postalIban: postal, ...t });
    expect(allCcp(aPaymentOption({ transfer: [withPostal({}), withPostal({ idTransfer: "2" })] }))).toBe(true);
    expect(allCcp(aPaymentOption({ transfer: [withPostal({}), aTransfer({ idTransfer: "2" })] }))).toBe(false);
    expect(allCcp(aPaymentOption({ transfer: [aTransfer()] }))).toBe(false);
  });
});

describe("debtorView", () => {
  test("lengths of ctSubject, and values its types would refuse left out", () => {
    const view = debtorView(
      aDebtPosition({
        fullName: "n".repeat(80),
        city: "c".repeat(40),
        country: "Italy",
        email: "not an email",
        province: "RM",
        postalCode: "00100",
      }),
    );
    expect(view).toMatchObject({
      type: "F",
      value: "RSSMRA80A01H501U",
      fullName: "n".repeat(70),
      city: "c".repeat(35),
    });
    expect(view.country).toBeUndefined();
    expect(view.email).toBeUndefined();
    expect(view.stateProvinceRegion).toBe("RM");
  });
});

describe("metadataView", () => {
  test("at most 15 entries; entries without a value dropped; keys and values cut to 140", () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({
      key: `k${i}`,
      value: i === 0 ? undefined : "v".repeat(150),
    }));
    const view = metadataView(entries);
    expect(view).toHaveLength(15);
    expect(view[0]).toEqual({ key: "k1", value: "v".repeat(140) });
  });
});

describe("paymentView", () => {
  const stamp = {
    hashDocument: "5Z5+ZyBhOXmf4oi1YfQvFf9QwVoFx4mAszbm9+ZpW6M=",
    stampType: "01",
    provincialResidence: "RM",
  };

  test("transfers in idTransfer order, each with its beneficiary; NOTIFICATION_FEE in the option metadata", () => {
    const option = aPaymentOption({
      amount: 10_100,
      notificationFee: 100,
      transfer: [
        aTransfer({ idTransfer: "2", amount: 3_000, organizationFiscalCode: "88888888888", companyName: undefined }),
        aTransfer({ idTransfer: "1", amount: 7_100 }),
      ],
    });
    const position = aDebtPosition({ status: "VALID", paymentOption: [option] });
    const built = paymentView(position, option, {
      version: 2,
      beneficiaryNames: new Map([["88888888888", "Provincia di Altrove"]]),
    });
    if (!built.ok) throw new Error("expected a view");
    expect(built.view.paymentAmount).toBe("101.00");
    expect(built.view.transfers.map((t) => [t.idTransfer, t.transferAmount, t.fiscalCodePA, t.companyName])).toEqual([
      [1, "71.00", anOrganizationFiscalCode, "Comune di Test"],
      [2, "30.00", "88888888888", "Provincia di Altrove"],
    ]);
    expect(built.view.metadata).toEqual([{ key: "NOTIFICATION_FEE", value: "100" }]);
  });

  test("V1 carries neither companyName nor transfer metadata per transfer", () => {
    const option = aPaymentOption({ transfer: [aTransfer({ transferMetadata: [{ key: "a", value: "b" }] })] });
    const built = paymentView(aDebtPosition({ paymentOption: [option] }), option, {
      version: 1,
      beneficiaryNames: names,
    });
    if (!built.ok) throw new Error("expected a view");
    expect(built.view.transfers[0]).toMatchObject({ companyName: undefined, metadata: [] });
  });

  test.each([
    [undefined, 1, "IT60X0542811101000000123456", []],
    ["POSTAL", 1, postal, []],
    ["POSTAL", 2, postal, []],
    ["PAGOPA", 2, "IT60X0542811101000000123456", [{ key: "IBANAPPOGGIO", value: postal }]],
    ["PAGOPA", 1, "IT60X0542811101000000123456", []],
  ] as const)("transferType %s, V%d → IBAN %s", (transferType, version, iban, metadata) => {
    const option = aPaymentOption({ transfer: [aTransfer({ postalIban: postal })] });
    const built = paymentView(aDebtPosition({ paymentOption: [option] }), option, {
      version,
      transferType,
      beneficiaryNames: names,
    });
    if (!built.ok) throw new Error("expected a view");
    expect(built.view.transfers[0]?.iban).toBe(iban);
    expect(built.view.transfers[0]?.metadata).toEqual(metadata);
  });

  test("a transfer with only a postal IBAN pays there whatever the transfer type", () => {
    const option = aPaymentOption({ transfer: [aTransfer({ iban: undefined, postalIban: postal })] });
    const built = paymentView(aDebtPosition({ paymentOption: [option] }), option, {
      version: 1,
      beneficiaryNames: names,
    });
    expect(built.ok && built.view.transfers[0]?.iban).toBe(postal);
  });

  test("a stamp is richiestaMarcaDaBollo in V2 and PAA_SEMANTICA in V1", () => {
    const option = aPaymentOption({
      amount: 11_600,
      transfer: [aTransfer(), aTransfer({ idTransfer: "2", amount: 1_600, iban: undefined, stamp })],
    });
    const position = aDebtPosition({ paymentOption: [option] });
    const v2 = paymentView(position, option, { version: 2, beneficiaryNames: names });
    if (!v2.ok) throw new Error("expected a view");
    expect(v2.view.transfers[1]?.iban).toBeUndefined();
    expect(v2.view.transfers[1]).toMatchObject({
      stamp: { hashDocumento: stamp.hashDocument, tipoBollo: "01", provinciaResidenza: "RM" },
    });
    const v1 = paymentView(position, option, { version: 1, beneficiaryNames: names });
    expect(v1.ok ? "view" : v1.fault.faultCode).toBe("PAA_SEMANTICA");
  });
});
