// The notice's content and payloads, without any PDF: which positions get a notice, what each slip says, and the
// exact QR and Poste data matrix strings (layout in docs/adr/0045-payment-notice-content.md).
import type { DebtPositionStatus } from "../../../shared/domain/debt-positions/model";
import { DomainError } from "../../../shared/domain/errors";
import {
  asciiText,
  buildNotice,
  formatDate,
  formatEuros,
  groupNav,
  postalAccountOf,
  posteDataMatrixPayload,
  qrPayload,
} from "../../../shared/domain/notices/notice";
import { aPaymentOption, aRegisteredPostalIban, aTransfer } from "../../support/builders";
import {
  anOrganization,
  aPayablePosition,
  aPlanPosition,
  aPostalPosition,
  noticeNow,
} from "../../support/notice-fixtures";

describe("QR payload", () => {
  it("is PAGOPA|002|NAV|EC fiscal code|cents", () => {
    expect(qrPayload("301000000000012345", "77777777777", 12345)).toBe(
      "PAGOPA|002|301000000000012345|77777777777|12345",
    );
  });

  it("left-pads the NAV to 18 and the fiscal code to 11 with zeros", () => {
    expect(qrPayload("1234", "123", 1)).toBe("PAGOPA|002|000000000000001234|00000000123|1");
  });
});

describe("Poste data matrix payload", () => {
  const fields = {
    nav: "301000000000054321",
    postalAccount: "1234567890",
    amountCents: 9876,
    organizationFiscalCode: "77777777777",
    debtorFiscalCode: "RSSMRA80A01H501U",
    fullName: "Mario Rossi",
    subject: "Servizio mensa scolastica",
  };

  it("lays out every field at its width: 256 characters", () => {
    const payload = posteDataMatrixPayload(fields);
    expect(payload).toHaveLength(256);
    // Offsets written out by hand from the ADR's table, not from the code's constants.
    expect(payload.slice(0, 13)).toBe("codfase=NBPA;");
    expect(payload.slice(13, 15)).toBe("18");
    expect(payload.slice(15, 33)).toBe("301000000000054321");
    expect(payload.slice(33, 35)).toBe("12");
    expect(payload.slice(35, 47)).toBe("001234567890");
    expect(payload.slice(47, 49)).toBe("10");
    expect(payload.slice(49, 59)).toBe("0000009876");
    expect(payload.slice(59, 63)).toBe("3896");
    expect(payload.slice(63, 66)).toBe("1P1");
    expect(payload.slice(66, 77)).toBe("77777777777");
    expect(payload.slice(77, 93)).toBe("RSSMRA80A01H501U");
    expect(payload.slice(93, 133)).toBe("Mario Rossi".padEnd(40));
    expect(payload.slice(133, 243)).toBe("Servizio mensa scolastica".padEnd(110));
    expect(payload.slice(243, 255)).toBe(" ".repeat(12));
    expect(payload.slice(255)).toBe("A");
  });

  it("cuts long texts to their widths so no field moves", () => {
    const payload = posteDataMatrixPayload({ ...fields, fullName: "N".repeat(60), subject: "S".repeat(200) });
    expect(payload).toHaveLength(256);
    expect(payload.slice(93, 133)).toBe("N".repeat(40));
    expect(payload.slice(133, 243)).toBe("S".repeat(110));
    expect(payload.endsWith(`${" ".repeat(12)}A`)).toBe(true);
  });

  it("keeps to printable ASCII: accents dropped, other characters become spaces", () => {
    const payload = posteDataMatrixPayload({ ...fields, fullName: "Nicolò Čapek €", subject: "Tariffa → più" });
    expect(payload).toHaveLength(256);
    expect(payload.slice(93, 133)).toBe("Nicolo Capek  ".padEnd(40));
    expect(payload.slice(133, 243)).toBe("Tariffa   piu".padEnd(110));
    expect(asciiText("àèéìòù")).toBe("aeeiou");
  });

  it("refuses a value that does not fit a numeric field", () => {
    expect(() => posteDataMatrixPayload({ ...fields, amountCents: 12_345_678_901 })).toThrow(DomainError);
    expect(() => posteDataMatrixPayload({ ...fields, postalAccount: "12AB" })).toThrow(DomainError);
  });
});

describe("formatting", () => {
  it.each([
    [1, "0,01"],
    [100, "1,00"],
    [12345, "123,45"],
    [123456789, "1.234.567,89"],
  ])("%i cents → %s", (cents, text) => {
    expect(formatEuros(cents)).toBe(text);
  });

  it("groups the NAV by four as printed notices do", () => {
    expect(groupNav("301000000000012345")).toBe("3010 0000 0000 0123 45");
  });

  it("prints the due date's calendar day", () => {
    expect(formatDate("2026-12-31T23:59:59.000Z")).toBe("31/12/2026");
  });

  it("reads the account of a Poste Italiane IBAN only", () => {
    expect(postalAccountOf(aRegisteredPostalIban)).toBe("001234567890");
    expect(postalAccountOf("IT60X0542811101000000123456")).toBeUndefined();
  });
});

describe("buildNotice", () => {
  it("prints a VALID position: parties, subject, one slip with its QR", () => {
    const notice = buildNotice(aPayablePosition(), anOrganization(), noticeNow);
    expect(notice.organization).toEqual({ fiscalCode: "77777777777", name: "Comune di Test", cbill: "AB123" });
    expect(notice.debtor).toEqual({
      fiscalCode: "RSSMRA80A01H501U",
      fullName: "Mario Rossi",
      address: "Via Roma, 1 - 00100 Roma (RM)",
    });
    expect(notice.subject).toBe("Tassa sui rifiuti 2026 - saldo");
    expect(notice.installments).toEqual([]);
    expect(notice.single).toEqual([
      {
        nav: "301000000000012345",
        navGrouped: "3010 0000 0000 0123 45",
        iuv: "01000000000012345",
        amountCents: 12345,
        amountText: "123,45",
        dueDateText: "31/12/2026",
        installment: undefined,
        qrPayload: "PAGOPA|002|301000000000012345|77777777777|12345",
        postal: undefined,
      },
    ]);
  });

  it("adds the data matrix when a transfer names a postal IBAN", () => {
    const [slip] = buildNotice(aPostalPosition(), anOrganization(), noticeNow).single;
    expect(slip?.postal?.account).toBe("001234567890");
    expect(slip?.postal?.dataMatrixPayload.slice(15, 33)).toBe("301000000000054321");
    expect(slip?.postal?.dataMatrixPayload.slice(49, 59)).toBe("0000009876");
  });

  it("gives each installment its own code, amount, due date and number", () => {
    const notice = buildNotice(aPlanPosition(), anOrganization(), noticeNow);
    expect(notice.single.map((s) => s.qrPayload)).toEqual(["PAGOPA|002|301000000000000100|77777777777|30000"]);
    expect(notice.installments.map((s) => [s.installment, s.qrPayload, s.dueDateText])).toEqual([
      [{ number: 1, of: 3 }, "PAGOPA|002|301000000000000101|77777777777|10000", "31/07/2026"],
      [{ number: 2, of: 3 }, "PAGOPA|002|301000000000000102|77777777777|10050", "30/09/2026"],
      [{ number: 3, of: 3 }, "PAGOPA|002|301000000000000103|77777777777|9950", "30/11/2026"],
    ]);
  });

  it("includes the notification fee, which is part of the option's amount", () => {
    const position = aPayablePosition({
      paymentOption: [aPaymentOption({ nav: "301000000000000009", amount: 10200, notificationFee: 200 })],
    });
    expect(buildNotice(position, anOrganization(), noticeNow).single[0]?.qrPayload).toBe(
      "PAGOPA|002|301000000000000009|77777777777|10200",
    );
  });

  it("falls back to the remittance information when the option has no description", () => {
    const position = aPayablePosition({
      paymentOption: [
        aPaymentOption({ description: undefined, transfer: [aTransfer({ remittanceInformation: "Multa 123" })] }),
      ],
    });
    expect(buildNotice(position, anOrganization(), noticeNow).subject).toBe("Multa 123");
  });

  it("prints PUBLISHED positions too (payable once their validity begins)", () => {
    const position = aPayablePosition({ status: "PUBLISHED", validityDate: "2026-09-01T00:00:00.000Z" });
    expect(buildNotice(position, anOrganization(), noticeNow).single).toHaveLength(1);
  });

  it.each<DebtPositionStatus>(["DRAFT", "INVALID", "EXPIRED", "PARTIALLY_PAID", "PAID", "REPORTED"])(
    "refuses a %s position with 409",
    (status) => {
      const attempt = () => buildNotice(aPayablePosition({ status }), anOrganization(), noticeNow);
      expect(attempt).toThrow(expect.objectContaining({ code: "NOTICE_NOT_PAYABLE", status: 409 }) as Error);
    },
  );

  it("uses the effective status: a VALID position past its due date with switchToExpired reads EXPIRED", () => {
    const position = aPayablePosition({
      switchToExpired: true,
      paymentOption: [aPaymentOption({ switchToExpired: true, dueDate: "2026-05-01T00:00:00.000Z" })],
    });
    expect(() => buildNotice(position, anOrganization(), noticeNow)).toThrow(/is EXPIRED/);
  });

  it("cuts a subject longer than the template's 90 characters", () => {
    const position = aPayablePosition({ paymentOption: [aPaymentOption({ description: "x".repeat(140) })] });
    const { subject } = buildNotice(position, anOrganization(), noticeNow);
    expect(subject).toHaveLength(90);
    expect(subject.endsWith("…")).toBe(true);
  });
});
