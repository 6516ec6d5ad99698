import {
  parseBulkBody,
  parseDebtPositionBody,
  parseIupdPathParam,
  parseToPublish,
  toInstant,
} from "../../../functions/debt-positions/schemas";
import { DomainError } from "../../../shared/domain/errors";

/** What JSON.parse gives the handler: tests reshape bodies freely, wrong types included. */
type Json = ReturnType<typeof JSON.parse>;

/** A PaymentPositionModel body as an EC sends it (JSON), with read-only fields the API must ignore. */
const aBody = (): Record<string, Json> => ({
  iupd: "IUPD-0001",
  type: "F",
  fiscalCode: "RSSMRA80A01H501U",
  fullName: "Mario Rossi",
  country: "IT",
  email: "mario.rossi@example.it",
  switchToExpired: true,
  companyName: "Comune di Test",
  validityDate: "2026-07-01T10:00:00+02:00",
  status: "PAID",
  paymentDate: "2026-01-01T00:00:00Z",
  insertedDate: "garbage",
  paymentOption: [
    {
      iuv: "01000000000000001",
      amount: 10000,
      description: "TARI 2026",
      isPartialPayment: false,
      dueDate: "2026-12-31T23:59:59",
      fee: 12,
      notificationFee: 99,
      status: "PO_PAID",
      paymentOptionMetadata: [{ key: "k", value: "v" }],
      transfer: [
        {
          idTransfer: "1",
          amount: 10000,
          remittanceInformation: "TARI 2026",
          category: "9/0101108TS/",
          iban: "IT60X0542811101000000123456",
          status: "T_REPORTED",
        },
      ],
    },
  ],
});

const failure = (parse: () => unknown): DomainError => {
  try {
    parse();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError");
};

/** The 400 detail for a body modified by `mutate`. */
const detailOf = (mutate: (b: Record<string, Json>) => void): string => {
  const body = aBody();
  mutate(body);
  const e = failure(() => parseDebtPositionBody(body));
  expect(e.code).toBe("BAD_REQUEST");
  expect(e.status).toBe(400);
  expect(e.title).toBe("BAD REQUEST");
  return e.detail;
};

describe("parseDebtPositionBody: a valid body", () => {
  test("maps to DebtPositionInput: dates normalised to UTC, defaults filled, read-only fields dropped", () => {
    expect(parseDebtPositionBody(aBody())).toEqual({
      iupd: "IUPD-0001",
      type: "F",
      fiscalCode: "RSSMRA80A01H501U",
      fullName: "Mario Rossi",
      country: "IT",
      email: "mario.rossi@example.it",
      switchToExpired: true,
      companyName: "Comune di Test",
      validityDate: "2026-07-01T08:00:00.000Z",
      paymentOption: [
        {
          iuv: "01000000000000001",
          amount: 10000,
          description: "TARI 2026",
          isPartialPayment: false,
          dueDate: "2026-12-31T23:59:59.000Z",
          paymentOptionMetadata: [{ key: "k", value: "v" }],
          transfer: [
            {
              idTransfer: "1",
              amount: 10000,
              remittanceInformation: "TARI 2026",
              category: "9/0101108TS/",
              iban: "IT60X0542811101000000123456",
              transferMetadata: [],
            },
          ],
        },
      ],
    });
  });

  test("null is absent: optional fields vanish, metadata becomes [], switchToExpired defaults to false", () => {
    const body = aBody();
    Object.assign(body, { switchToExpired: null, validityDate: null, email: null, country: null, officeName: null });
    Object.assign(body.paymentOption[0], {
      paymentOptionMetadata: null,
      retentionDate: null,
      nav: null,
      description: null,
    });
    Object.assign(body.paymentOption[0].transfer[0], {
      transferMetadata: null,
      postalIban: null,
      stamp: null,
      organizationFiscalCode: null,
    });
    const input = parseDebtPositionBody(body);
    expect(input.switchToExpired).toBe(false);
    expect(input).not.toHaveProperty("validityDate");
    expect(input).not.toHaveProperty("email");
    expect(input.paymentOption[0]!.paymentOptionMetadata).toEqual([]);
    expect(input.paymentOption[0]!).not.toHaveProperty("nav");
    expect(input.paymentOption[0]!.transfer[0]!.transferMetadata).toEqual([]);
    expect(input.paymentOption[0]!.transfer[0]!).not.toHaveProperty("stamp");
  });

  test("missing switchToExpired defaults to false (the contract), payStandIn stays unset", () => {
    const body = aBody();
    delete body.switchToExpired;
    const input = parseDebtPositionBody(body);
    expect(input.switchToExpired).toBe(false);
    expect(input.payStandIn).toBeUndefined();
  });

  test("idTransfer outside 1..5 is not a schema error (it is V7); a JSON number is read as a string", () => {
    const body = aBody();
    body.paymentOption[0].transfer[0].idTransfer = "9";
    expect(parseDebtPositionBody(body).paymentOption[0]!.transfer[0]!.idTransfer).toBe("9");
    body.paymentOption[0].transfer[0].idTransfer = 2;
    expect(parseDebtPositionBody(body).paymentOption[0]!.transfer[0]!.idTransfer).toBe("2");
  });

  test("a stamp transfer, nav, organizationFiscalCode and postal IBAN are kept", () => {
    const body = aBody();
    body.paymentOption[0].nav = "301000000000000001";
    Object.assign(body.paymentOption[0].transfer[0], {
      organizationFiscalCode: "88888888888",
      postalIban: "IT93X0760103200001234567890",
      stamp: {
        hashDocument: "5Z5+ZyBhOXmf4oi1YfQvFf9QwVoFx4mAszbm9+ZpW6M=",
        stampType: "01",
        provincialResidence: "RM",
      },
    });
    const t = parseDebtPositionBody(body).paymentOption[0]!.transfer[0]!;
    expect(t.stamp).toEqual({
      hashDocument: "5Z5+ZyBhOXmf4oi1YfQvFf9QwVoFx4mAszbm9+ZpW6M=",
      stampType: "01",
      provincialResidence: "RM",
    });
    expect(t.organizationFiscalCode).toBe("88888888888");
    expect(t.postalIban).toBe("IT93X0760103200001234567890");
  });
});

describe("parseDebtPositionBody: required fields (docs/domain/debt-positions.md#model messages)", () => {
  test.each([
    ["iupd", "iupd: iupd is required"],
    ["type", "type: type is required"],
    ["fiscalCode", "fiscalCode: fiscal code is required"],
    ["fullName", "fullName: full name is required"],
    ["companyName", "companyName: company name is required"],
  ])("missing %s", (field, detail) => {
    expect(
      detailOf((b) => {
        b[field] = undefined;
      }),
    ).toBe(detail);
    expect(
      detailOf((b) => {
        b[field] = null;
      }),
    ).toBe(detail);
  });

  test.each([
    ["iupd", "iupd: iupd is required"],
    ["fiscalCode", "fiscalCode: fiscal code is required"],
    ["fullName", "fullName: full name is required"],
    ["companyName", "companyName: company name is required"],
  ])("blank %s", (field, detail) => {
    expect(
      detailOf((b) => {
        b[field] = "   ";
      }),
    ).toBe(detail);
  });

  test.each([
    ["iuv", "paymentOption[0].iuv: iuv is required"],
    ["amount", "paymentOption[0].amount: amount is required"],
    ["isPartialPayment", "paymentOption[0].isPartialPayment: is partial payment is required"],
    ["dueDate", "paymentOption[0].dueDate: due date is required"],
  ])("missing option %s", (field, detail) => {
    expect(
      detailOf((b) => {
        b.paymentOption[0][field] = undefined;
      }),
    ).toBe(detail);
  });

  test.each([
    ["idTransfer", "paymentOption[0].transfer[0].idTransfer: id transfer is required"],
    ["amount", "paymentOption[0].transfer[0].amount: amount is required"],
    ["remittanceInformation", "paymentOption[0].transfer[0].remittanceInformation: remittance information is required"],
    ["category", "paymentOption[0].transfer[0].category: category is required"],
  ])("missing transfer %s", (field, detail) => {
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer[0][field] = undefined;
      }),
    ).toBe(detail);
  });

  test("several problems are joined with ', ' in schema order", () => {
    expect(
      detailOf((b) => {
        delete b.iupd;
        delete b.fullName;
        b.paymentOption[0].amount = 0;
      }),
    ).toBe(
      "iupd: iupd is required, fullName: full name is required, paymentOption[0].amount: minimum amount is 1 eurocent",
    );
  });
});

describe("parseDebtPositionBody: formats and lengths", () => {
  test("country", () => {
    const msg = "country: The country must be reported with two capital letters (example: IT)";
    expect(
      detailOf((b) => {
        b.country = "it";
      }),
    ).toBe(msg);
    expect(
      detailOf((b) => {
        b.country = "ITA";
      }),
    ).toBe(msg);
    expect(
      detailOf((b) => {
        b.country = "I";
      }),
    ).toBe(msg);
  });

  test.each(["not-an-email", "a@", "@b.it", "a b@c.it", "a@b..it"])("email %j", (email) => {
    expect(
      detailOf((b) => {
        b.email = email;
      }),
    ).toBe("email: Please provide a valid email address");
  });

  test("email: a@localhost is valid (Hibernate @Email)", () => {
    const body = aBody();
    body.email = "a@localhost";
    expect(parseDebtPositionBody(body).email).toBe("a@localhost");
  });

  test("140-character limits: 140 pass, 141 fail", () => {
    const ok = aBody();
    ok.companyName = "x".repeat(140);
    ok.officeName = "x".repeat(140);
    ok.paymentOption[0].description = "x".repeat(140);
    ok.paymentOption[0].transfer[0].remittanceInformation = "x".repeat(140);
    ok.paymentOption[0].transfer[0].companyName = "x".repeat(140);
    ok.paymentOption[0].paymentOptionMetadata = [{ key: "k".repeat(140), value: "v".repeat(140) }];
    expect(() => parseDebtPositionBody(ok)).not.toThrow();

    expect(
      detailOf((b) => {
        b.companyName = "x".repeat(141);
      }),
    ).toBe("companyName: size must be between 0 and 140");
    expect(
      detailOf((b) => {
        b.officeName = "x".repeat(141);
      }),
    ).toBe("officeName: size must be between 0 and 140");
    expect(
      detailOf((b) => {
        b.paymentOption[0].description = "x".repeat(141);
      }),
    ).toBe("paymentOption[0].description: size must be between 0 and 140");
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer[0].remittanceInformation = "x".repeat(141);
      }),
    ).toBe(
      "paymentOption[0].transfer[0].remittanceInformation: remittance information must be compliant to EACT FORMATTING RULES, up to 140 chars",
    );
    expect(
      detailOf((b) => {
        b.paymentOption[0].paymentOptionMetadata = [{ key: "k".repeat(141) }];
      }),
    ).toBe("paymentOption[0].paymentOptionMetadata[0].key: size must be between 0 and 140");
    expect(
      detailOf((b) => {
        b.paymentOption[0].paymentOptionMetadata = [{ key: "k", value: "v".repeat(141) }];
      }),
    ).toBe("paymentOption[0].paymentOptionMetadata[0].value: size must be between 0 and 140");
  });

  test("amounts: 1 passes, 0 and negatives fail, non-integers and unsafe integers fail", () => {
    const ok = aBody();
    ok.paymentOption[0].amount = 1;
    ok.paymentOption[0].transfer[0].amount = 1;
    expect(() => parseDebtPositionBody(ok)).not.toThrow();
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer[0].amount = 0;
      }),
    ).toBe("paymentOption[0].transfer[0].amount: minimum amount is 1 eurocent");
    expect(
      detailOf((b) => {
        b.paymentOption[0].amount = -5;
      }),
    ).toBe("paymentOption[0].amount: minimum amount is 1 eurocent");
    expect(
      detailOf((b) => {
        b.paymentOption[0].amount = 10.5;
      }),
    ).toBe(
      "paymentOption[0].amount: Invalid value 10.5 for property amount; amounts are whole euro cents (10.5 € is 1050)",
    );
    expect(
      detailOf((b) => {
        b.paymentOption[0].amount = 2 ** 60;
      }),
    ).toBe(
      "paymentOption[0].amount: must be a safe integer, paymentOption[0].amount: maximum amount is 99999999999 eurocents (999,999,999.99 euros)",
    );
    expect(
      detailOf((b) => {
        b.paymentOption[0].amount = 99_999_999_999;
        b.paymentOption[0].transfer[0].amount = 100_000_000_000;
      }),
    ).toBe("paymentOption[0].transfer[0].amount: maximum amount is 99999999999 eurocents (999,999,999.99 euros)");
    expect(
      detailOf((b) => {
        b.paymentOption[0].amount = "100";
      }),
    ).toBe("paymentOption[0].amount: Invalid value 100 for property amount; expected a number");
  });

  test("IBAN: size and characters", () => {
    const path = "paymentOption[0].transfer[0]";
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer[0].iban = "";
      }),
    ).toBe(
      `${path}.iban: The IBAN must not be blank and must not exceed 35 characters., ${path}.iban: IBAN must not contain spaces or special characters.`,
    );
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer[0].iban = "A".repeat(36);
      }),
    ).toBe(
      `${path}.iban: The IBAN must not be blank and must not exceed 35 characters., ${path}.iban: IBAN must not contain spaces or special characters.`,
    );
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer[0].iban = "IT60 X054";
      }),
    ).toBe(`${path}.iban: IBAN must not contain spaces or special characters.`);
    const ok = aBody();
    ok.paymentOption[0].transfer[0].iban = "A".repeat(35);
    expect(() => parseDebtPositionBody(ok)).not.toThrow(); // the checksum is a business rule
  });

  test("postal IBAN: size and characters", () => {
    const path = "paymentOption[0].transfer[0].postalIban";
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer[0].postalIban = "";
      }),
    ).toBe(
      `${path}: Postal IBAN is optional, but if provided, it must not be blank and must not exceed 35 characters.`,
    );
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer[0].postalIban = "IT-93";
      }),
    ).toBe(`${path}: Postal IBAN must not contain spaces or special characters.`);
  });

  test("stamp fields", () => {
    const path = "paymentOption[0].transfer[0].stamp";
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer[0].stamp = {};
      }),
    ).toBe(
      `${path}.hashDocument: must not be blank, ${path}.stampType: must not be blank, ${path}.provincialResidence: must not be blank`,
    );
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer[0].stamp = {
          hashDocument: "h".repeat(73),
          stampType: "1",
          provincialResidence: "rm",
        };
      }),
    ).toBe(
      `${path}.hashDocument: size must be between 0 and 72, ${path}.stampType: size must be between 2 and 2, ${path}.provincialResidence: must match "[A-Z]{2}"`,
    );
  });

  test("metadata: at most 10, unique keys, key not blank", () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}` }));
    const ok = aBody();
    ok.paymentOption[0].paymentOptionMetadata = ten;
    ok.paymentOption[0].transfer[0].transferMetadata = ten;
    expect(() => parseDebtPositionBody(ok)).not.toThrow();
    expect(
      detailOf((b) => {
        b.paymentOption[0].paymentOptionMetadata = [...ten, { key: "k10" }];
      }),
    ).toBe("paymentOption[0].paymentOptionMetadata: size must be between 0 and 10");
    expect(
      detailOf((b) => {
        b.paymentOption[0].paymentOptionMetadata = [{ key: "a" }, { key: "a", value: "x" }];
      }),
    ).toBe("paymentOption[0].paymentOptionMetadata: paymentOptionMetadata keys must be unique");
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer[0].transferMetadata = [{ key: "a" }, { key: "a" }];
      }),
    ).toBe("paymentOption[0].transfer[0].transferMetadata: transferMetadata keys must be unique");
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer[0].transferMetadata = [{ key: " " }];
      }),
    ).toBe("paymentOption[0].transfer[0].transferMetadata[0].key: must not be blank");
  });

  test("identifiers cannot carry Cosmos-id-breaking characters", () => {
    for (const iupd of ["a/b", "a\\b", "a?b", "a#b", "a\tb", "a\nb"]) {
      expect(
        detailOf((b) => {
          b.iupd = iupd;
        }),
      ).toBe("iupd: iupd must contain only letters, digits, spaces and the characters _ * -");
    }
    for (const iuv of ["01/02", "01 02", "01#"]) {
      expect(
        detailOf((b) => {
          b.paymentOption[0].iuv = iuv;
        }),
      ).toBe("paymentOption[0].iuv: iuv must contain only letters, digits and the characters _ -");
    }
    expect(
      detailOf((b) => {
        b.paymentOption[0].nav = "3/1";
      }),
    ).toBe("paymentOption[0].nav: nav must contain only letters, digits and the characters _ -");
    expect(
      detailOf((b) => {
        b.paymentOption[0].nav = "";
      }),
    ).toBe(
      "paymentOption[0].nav: must not be blank, paymentOption[0].nav: nav must contain only letters, digits and the characters _ -",
    );
    const ok = aBody();
    ok.iupd = "IUPD 2026_*-x";
    expect(parseDebtPositionBody(ok).iupd).toBe("IUPD 2026_*-x");
  });

  test("identifier lengths: iupd 256 / iuv 35 pass, one more fails", () => {
    const ok = aBody();
    ok.iupd = "i".repeat(256);
    ok.paymentOption[0].iuv = "1".repeat(35);
    ok.paymentOption[0].nav = "3".repeat(35);
    expect(() => parseDebtPositionBody(ok)).not.toThrow();
    expect(
      detailOf((b) => {
        b.iupd = "i".repeat(257);
      }),
    ).toBe("iupd: size must be between 1 and 256");
    expect(
      detailOf((b) => {
        b.paymentOption[0].iuv = "1".repeat(36);
      }),
    ).toBe("paymentOption[0].iuv: size must be between 1 and 35");
    expect(
      detailOf((b) => {
        b.paymentOption[0].nav = "3".repeat(36);
      }),
    ).toBe("paymentOption[0].nav: size must be between 1 and 35");
  });
});

describe("parseDebtPositionBody: wrong types and enums", () => {
  test("unknown enum value", () => {
    expect(
      detailOf((b) => {
        b.type = "X";
      }),
    ).toBe("type: Invalid value X for property type; expected one of [F, G]");
  });

  test("wrong types", () => {
    expect(
      detailOf((b) => {
        b.iupd = 12;
      }),
    ).toBe("iupd: Invalid value 12 for property iupd; expected a string");
    expect(
      detailOf((b) => {
        b.switchToExpired = "yes";
      }),
    ).toBe("switchToExpired: Invalid value yes for property switchToExpired; expected a boolean");
    expect(
      detailOf((b) => {
        b.paymentOption = {};
      }),
    ).toBe("paymentOption: Invalid value {} for property paymentOption; expected an array");
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer = [null];
      }),
    ).toBe("paymentOption[0].transfer[0]: Invalid value null for property transfer; expected an object");
    expect(
      detailOf((b) => {
        b.paymentOption[0].transfer[0].idTransfer = true;
      }),
    ).toBe("paymentOption[0].transfer[0].idTransfer: Invalid value true for property idTransfer; expected a string");
  });

  test("long values are shortened in the message", () => {
    expect(
      detailOf((b) => {
        b.type = "Z".repeat(100);
      }),
    ).toBe(`type: Invalid value ${"Z".repeat(40)}… for property type; expected one of [F, G]`);
  });

  test.each([null, "text", 42, [], undefined])("a body that is not an object: %j", (body) => {
    const e = failure(() => parseDebtPositionBody(body));
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.detail).toBe("request body: must be a JSON object");
  });

  test("__proto__ in the body is refused as an unknown field, never assigned", () => {
    const body = JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(aBody()).slice(1)}`) as unknown;
    expect(failure(() => parseDebtPositionBody(body)).detail).toBe(
      "__proto__: unknown field (not in PaymentPositionModel)",
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("unknown fields are refused by name at every level, with the other problems", () => {
    const e = failure(() =>
      parseDebtPositionBody({
        ...aBody(),
        colour: "red",
        fullName: undefined,
        paymentOption: [
          {
            ...aBody().paymentOption[0],
            duedate: "2026-12-31",
            paymentOptionMetadata: [{ key: "k", valeu: "v" }],
            transfer: [
              {
                ...aBody().paymentOption[0].transfer[0],
                ammount: 1,
                stamp: { hashDocument: "h", stampType: "01", provincialResidence: "RM", extra: 1 },
              },
            ],
          },
        ],
      }),
    );
    expect(e.detail).toBe(
      [
        "colour: unknown field (not in PaymentPositionModel)",
        "paymentOption[0].duedate: unknown field (not in PaymentOptionModel)",
        "paymentOption[0].paymentOptionMetadata[0].valeu: unknown field (not in MetadataModel)",
        "paymentOption[0].transfer[0].ammount: unknown field (not in TransferModel)",
        "paymentOption[0].transfer[0].stamp.extra: unknown field (not in Stamp)",
        "fullName: full name is required",
      ].join(", "),
    );
  });

  test("what the API answers (a GET body sent back) is accepted and ignored", () => {
    const body = aBody();
    Object.assign(body, { organizationFiscalCode: "77777777777", publishDate: "x", lastUpdatedDate: "x" });
    Object.assign(body.paymentOption[0], { nav: "301000000000000001", idReceipt: "R", reportingDate: "x" });
    Object.assign(body.paymentOption[0].transfer[0], { insertedDate: "x", lastUpdatedDate: "x" });
    const input = parseDebtPositionBody(body) as unknown as Record<string, unknown>;
    expect(input).not.toHaveProperty("publishDate");
    expect(input).not.toHaveProperty("organizationFiscalCode");
  });
});

describe("date-times", () => {
  test.each([
    ["2026-07-01T10:00:00Z", "2026-07-01T10:00:00.000Z"],
    ["2026-07-01T10:00:00.5z", "2026-07-01T10:00:00.500Z"],
    ["2026-07-01t10:00:00.123456789Z", "2026-07-01T10:00:00.123Z"],
    ["2026-07-01T10:00:00", "2026-07-01T10:00:00.000Z"],
    ["2026-07-01T10:00", "2026-07-01T10:00:00.000Z"],
    ["2026-07-01T10:00:00+02:00", "2026-07-01T08:00:00.000Z"],
    ["2026-07-01T00:30:00-01:30", "2026-07-01T02:00:00.000Z"],
    ["2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00.000Z"],
    ["2028-02-29T00:00:00Z", "2028-02-29T00:00:00.000Z"],
    ["0050-01-01T00:00:00Z", "0050-01-01T00:00:00.000Z"],
  ])("%s → %s", (text, instant) => {
    expect(toInstant(text)).toBe(instant);
  });

  test.each([
    "2026-07-01",
    "2026-07-01 10:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-02-29T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-07-01T24:00:00Z",
    "2026-07-01T10:60:00Z",
    "2026-07-01T10:00:60Z",
    "2026-07-01T10:00:00+24:00",
    "2026-07-01T10:00:00+0200",
    "0000-01-01T00:00:00+01:00",
    "1751360400000",
    "",
  ])("refuses %j", (text) => {
    expect(toInstant(text)).toBeUndefined();
  });

  test("an invalid dueDate or validityDate is a 400 naming the field", () => {
    expect(
      detailOf((b) => {
        b.paymentOption[0].dueDate = "31/12/2026";
      }),
    ).toBe("paymentOption[0].dueDate: must be an RFC 3339 date-time, e.g. 2025-05-09T05:35:59.451Z");
    expect(
      detailOf((b) => {
        b.validityDate = "2026-02-30T00:00:00Z";
      }),
    ).toBe("validityDate: must be an RFC 3339 date-time, e.g. 2025-05-09T05:35:59.451Z");
    expect(
      detailOf((b) => {
        b.paymentOption[0].retentionDate = 5;
      }),
    ).toBe("paymentOption[0].retentionDate: Invalid value 5 for property retentionDate; expected a string");
  });
});

describe("parseBulkBody (MultiplePaymentPositionModel, 1..100)", () => {
  const bulk = (n: number) => ({
    paymentPositions: Array.from({ length: n }, (_, i): Record<string, Json> => ({ ...aBody(), iupd: `IUPD-${i}` })),
  });

  test("1 and 100 positions pass", () => {
    expect(parseBulkBody(bulk(1))).toHaveLength(1);
    const hundred = parseBulkBody(bulk(100));
    expect(hundred).toHaveLength(100);
    expect(hundred[99]!.iupd).toBe("IUPD-99");
  });

  test("0 and 101 positions, a missing list and a non-object are refused", () => {
    expect(failure(() => parseBulkBody(bulk(0))).detail).toBe("paymentPositions: size must be between 1 and 100");
    expect(failure(() => parseBulkBody(bulk(101))).detail).toBe("paymentPositions: size must be between 1 and 100");
    expect(failure(() => parseBulkBody({})).detail).toBe("paymentPositions: must not be blank");
    expect(failure(() => parseBulkBody({ paymentPositions: null })).detail).toBe("paymentPositions: must not be blank");
    expect(failure(() => parseBulkBody([])).detail).toBe("request body: must be a JSON object");
  });

  test("unknown fields of the request and of a position are named with its index", () => {
    const body = { ...bulk(2), toPublish: true } as Record<string, unknown>;
    (body.paymentPositions as Record<string, unknown>[])[1]!.iupdd = "x";
    expect(failure(() => parseBulkBody(body)).detail).toBe(
      "toPublish: unknown field (not in MultiplePaymentPositionModel), " +
        "paymentPositions[1].iupdd: unknown field (not in PaymentPositionModel)",
    );
  });

  test("errors carry the position index", () => {
    const body = bulk(3);
    delete (body.paymentPositions[2] as Record<string, unknown>).fullName;
    body.paymentPositions[1]!.paymentOption[0].transfer[0].amount = 0;
    const e = failure(() => parseBulkBody(body));
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.detail).toBe(
      "paymentPositions[1].paymentOption[0].transfer[0].amount: minimum amount is 1 eurocent, paymentPositions[2].fullName: full name is required",
    );
  });
});

describe("query and path parameters", () => {
  test.each([
    [undefined, false],
    [null, false],
    ["", false],
    ["false", false],
    ["true", true],
    // Spring's spellings (pagoPA's own integration tests send True)
    ["TRUE", true],
    ["1", true],
    ["yes", true],
    ["True", true],
    ["off", false],
  ])("toPublish=%j → %s", (value, expected) => {
    expect(parseToPublish(value)).toBe(expected);
  });

  test.each(["maybe", "2", "truthy"])("toPublish=%s → 400", (value) => {
    const e = failure(() => parseToPublish(value));
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.detail).toBe(`Invalid value ${value} for property toPublish`);
  });

  test("iupd path parameter", () => {
    expect(parseIupdPathParam("IUPD-0001")).toBe("IUPD-0001");
    for (const bad of [undefined, "", "a/b", "a#b", "x".repeat(257)]) {
      expect(failure(() => parseIupdPathParam(bad)).code).toBe("BAD_REQUEST");
    }
  });
});
