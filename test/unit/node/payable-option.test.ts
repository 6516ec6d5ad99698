// Which option the node may pay, and the order of the faults (docs/adr/0020-pa-for-node.md): pure, no I/O.
import type { DebtPosition } from "../../../shared/domain/debt-positions/model";
import { checkCaller, findPayableOption } from "../../../shared/domain/node/payable-option";
import { newOrganization } from "../../../shared/domain/organizations/organization";
import { aDebtPosition, anOrganizationFiscalCode, aPaymentOption, deepFreeze } from "../../support/builders";

const now = new Date("2026-06-01T10:00:00.000Z");
const nav = "301000000000000001";
const org = anOrganizationFiscalCode;

const codeOf = (position: DebtPosition | undefined, at = now, n = nav) => {
  const found = findPayableOption(position === undefined ? undefined : deepFreeze(position), org, n, at);
  return found.ok ? "OK" : found.fault.faultCode;
};

const valid = (overrides: Partial<DebtPosition> = {}) => aDebtPosition({ status: "VALID", ...overrides });

describe("findPayableOption", () => {
  test.each<[string, DebtPosition | undefined, string]>([
    ["no position", undefined, "PAA_PAGAMENTO_SCONOSCIUTO"],
    ["DRAFT", aDebtPosition({ status: "DRAFT" }), "PAA_PAGAMENTO_SCONOSCIUTO"],
    [
      "PUBLISHED, validity in the future",
      aDebtPosition({
        status: "PUBLISHED",
        paymentOption: [aPaymentOption({ validityDate: "2026-06-02T00:00:00.000Z" })],
      }),
      "PAA_PAGAMENTO_SCONOSCIUTO",
    ],
    [
      "PUBLISHED, validity begun (effectively VALID)",
      aDebtPosition({
        status: "PUBLISHED",
        paymentOption: [aPaymentOption({ validityDate: "2026-06-01T10:00:00.000Z" })],
      }),
      "OK",
    ],
    ["VALID", valid(), "OK"],
    [
      "VALID past its due date with switchToExpired (effectively EXPIRED)",
      valid({
        switchToExpired: true,
        paymentOption: [aPaymentOption({ switchToExpired: true, dueDate: "2026-05-31T00:00:00.000Z" })],
      }),
      "PAA_PAGAMENTO_SCADUTO",
    ],
    ["EXPIRED", aDebtPosition({ status: "EXPIRED" }), "PAA_PAGAMENTO_SCADUTO"],
    ["INVALID", aDebtPosition({ status: "INVALID" }), "PAA_PAGAMENTO_ANNULLATO"],
    [
      "option paid",
      aDebtPosition({ status: "PAID", paymentOption: [aPaymentOption({ status: "PO_PAID", idReceipt: "R" })] }),
      "PAA_PAGAMENTO_DUPLICATO",
    ],
    [
      "option reported",
      aDebtPosition({ status: "REPORTED", paymentOption: [aPaymentOption({ status: "PO_REPORTED" })] }),
      "PAA_PAGAMENTO_DUPLICATO",
    ],
  ])("%s → %s", (_label, position, code) => {
    expect(codeOf(position)).toBe(code);
  });

  test("an unknown NAV in an existing position is SCONOSCIUTO", () => {
    expect(codeOf(valid(), now, "301000000000000099")).toBe("PAA_PAGAMENTO_SCONOSCIUTO");
  });

  test("installments: once one is paid, the others are payable and the single option is hidden", () => {
    const single = aPaymentOption({ iuv: "01000000000000001" });
    const first = aPaymentOption({ iuv: "01000000000000002", isPartialPayment: true, status: "PO_PAID" });
    const second = aPaymentOption({ iuv: "01000000000000003", isPartialPayment: true });
    const position = aDebtPosition({ status: "PARTIALLY_PAID", paymentOption: [single, first, second] });
    expect(codeOf(position, now, second.nav)).toBe("OK");
    expect(codeOf(position, now, first.nav)).toBe("PAA_PAGAMENTO_DUPLICATO");
    expect(codeOf(position, now, single.nav)).toBe("PAA_PAGAMENTO_SCONOSCIUTO");
  });

  test("the single option paid settles the position: an installment then reads DUPLICATO", () => {
    const single = aPaymentOption({ iuv: "01000000000000001", status: "PO_PAID" });
    const installment = aPaymentOption({ iuv: "01000000000000002", isPartialPayment: true });
    const position = aDebtPosition({ status: "PAID", paymentOption: [single, installment] });
    expect(codeOf(position, now, installment.nav)).toBe("PAA_PAGAMENTO_DUPLICATO");
  });

  test("order: an INVALID position with a paid option is ANNULLATO, an EXPIRED one SCADUTO (status before option)", () => {
    const paid = [aPaymentOption({ status: "PO_PAID" })];
    expect(codeOf(aDebtPosition({ status: "INVALID", paymentOption: paid }))).toBe("PAA_PAGAMENTO_ANNULLATO");
    expect(codeOf(aDebtPosition({ status: "EXPIRED", paymentOption: paid }))).toBe("PAA_PAGAMENTO_SCADUTO");
    expect(codeOf(aDebtPosition({ status: "DRAFT", paymentOption: paid }))).toBe("PAA_PAGAMENTO_SCONOSCIUTO");
  });

  test("the fault names the organization and the notice number", () => {
    const found = findPayableOption(undefined, org, nav, now);
    expect(found).toEqual({
      ok: false,
      fault: {
        faultCode: "PAA_PAGAMENTO_SCONOSCIUTO",
        faultString: "pagamento sconosciuto",
        id: org,
        description: `L'id del pagamento ricevuto non esiste: no payment option with notice number ${nav}`,
      },
    });
  });
});

describe("checkCaller", () => {
  const organization = newOrganization({
    fiscalCode: org,
    companyName: "Comune di Test",
    brokerCode: "15376371009",
    stationCodes: ["15376371009_01", "15376371009_02"],
    now,
  });
  const ids = { idPA: org, idBrokerPA: "15376371009", idStation: "15376371009_02" };

  test("organization, broker and station all match", () => {
    expect(checkCaller(organization, ids)).toBeUndefined();
  });

  test.each([
    ["unknown organization", undefined, ids, "PAA_ID_DOMINIO_ERRATO"],
    ["another broker", organization, { ...ids, idBrokerPA: "15376371008" }, "PAA_ID_INTERMEDIARIO_ERRATO"],
    ["another station", organization, { ...ids, idStation: "15376371009_03" }, "PAA_STAZIONE_INT_ERRATA"],
    [
      "broker checked before station",
      organization,
      { ...ids, idBrokerPA: "1", idStation: "2" },
      "PAA_ID_INTERMEDIARIO_ERRATO",
    ],
    [
      "an organization without a broker",
      newOrganization({ fiscalCode: org, companyName: "X", now }),
      ids,
      "PAA_ID_INTERMEDIARIO_ERRATO",
    ],
  ])("%s → %s", (_label, organizationOrNone, callerIds, code) => {
    expect(checkCaller(organizationOrNone, callerIds)?.faultCode).toBe(code);
  });
});
