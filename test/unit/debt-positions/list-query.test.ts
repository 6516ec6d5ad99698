import { DomainError } from "../../../shared/domain/errors";
import { parseListQuery } from "../../../functions/debt-positions/list-query";

const failure = (query: Record<string, string | undefined> | URLSearchParams): DomainError => {
  try {
    parseListQuery(query);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError");
};

const notRecoverable = (from: string, to: string, fromDay: string, toDay: string, days: number) =>
  `Debt positions cannot be recovered. Verify that ${to} >= ${from} and that the interval between the two dates not exceed the maximum number of days allowed [${from}= ${fromDay}, ${to}= ${toDay}, days_between_from_to= ${days}, max_days_interval= 30]`;

describe("parseListQuery: defaults (limit 50, orderby COMPANY_NAME, ordering DESC)", () => {
  test("only page", () => {
    expect(parseListQuery({ page: "0" })).toEqual({ page: 0, limit: 50, orderBy: "COMPANY_NAME", ordering: "DESC" });
  });

  test("URLSearchParams input, first value wins", () => {
    const q = new URLSearchParams("page=2&limit=10&page=5&status=VALID&orderby=IUPD&ordering=ASC");
    expect(parseListQuery(q)).toEqual({ page: 2, limit: 10, status: "VALID", orderBy: "IUPD", ordering: "ASC" });
  });

  test("an empty value counts as absent for optional parameters", () => {
    expect(parseListQuery({ page: "0", limit: "", status: "", due_date_from: "" })).toEqual({
      page: 0,
      limit: 50,
      orderBy: "COMPANY_NAME",
      ordering: "DESC",
    });
  });

  test.each(["INSERTED_DATE", "COMPANY_NAME", "IUPD", "STATUS"])("orderby %s", (orderby) => {
    expect(parseListQuery({ page: "0", orderby }).orderBy).toBe(orderby);
  });

  test.each(["DRAFT", "PUBLISHED", "VALID", "INVALID", "EXPIRED", "PARTIALLY_PAID", "PAID", "REPORTED"])(
    "status %s",
    (status) => {
      expect(parseListQuery({ page: "0", status }).status).toBe(status);
    },
  );
});

describe("parseListQuery: page and limit", () => {
  test("page is required", () => {
    const e = failure({});
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.detail).toBe("The query parameter page is required: the page to return, from 0 (e.g. ?page=0&limit=50)");
    expect(failure({ page: "" }).code).toBe("BAD_REQUEST");
  });

  test.each([
    ["page", "abc"],
    ["page", "1.5"],
    ["page", "1e3"],
    ["page", "99999999999"],
    ["limit", "ten"],
    ["limit", "0x10"],
  ])("%s=%s is not an integer", (name, value) => {
    const e = failure({ page: "0", [name]: value });
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.detail).toBe(`Invalid value ${value} for property ${name}`);
  });

  test("page boundary: 0 ok, -1 refused", () => {
    expect(parseListQuery({ page: "0" }).page).toBe(0);
    expect(parseListQuery({ page: "2147483647" }).page).toBe(2147483647);
    expect(failure({ page: "-1" }).detail).toBe(
      "getOrganizationDebtPositions.page: must be greater than or equal to 0",
    );
  });

  test("limit boundaries: 1 and 100 ok, 0 and 101 refused", () => {
    expect(parseListQuery({ page: "0", limit: "1" }).limit).toBe(1);
    expect(parseListQuery({ page: "0", limit: "100" }).limit).toBe(100);
    expect(failure({ page: "0", limit: "101" }).detail).toBe(
      "getOrganizationDebtPositions.limit: must be less than or equal to 100",
    );
    expect(failure({ page: "0", limit: "0" }).detail).toBe(
      "getOrganizationDebtPositions.limit: must be greater than or equal to 1",
    );
    expect(failure({ page: "0", limit: "-5" }).code).toBe("BAD_REQUEST");
  });
});

describe("parseListQuery: enums", () => {
  test.each([
    ["status", "valid"],
    ["status", "UNPAYABLE"],
    ["orderby", "FISCAL_CODE"],
    ["orderby", "iupd"],
    ["ordering", "asc"],
    ["ordering", "UP"],
  ])("%s=%s → 400", (name, value) => {
    const e = failure({ page: "0", [name]: value });
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.detail).toBe(`Invalid value ${value} for property ${name}`);
  });
});

describe("parseListQuery: date windows", () => {
  test("both bounds: from at start of day, to at end of day (UTC)", () => {
    expect(parseListQuery({ page: "0", due_date_from: "2026-01-01", due_date_to: "2026-01-31" }).dueDate).toEqual({
      from: "2026-01-01T00:00:00.000Z",
      to: "2026-01-31T23:59:59.999Z",
    });
  });

  test("the same day on both sides is a one-day window", () => {
    expect(parseListQuery({ page: "0", due_date_from: "2026-03-10", due_date_to: "2026-03-10" }).dueDate).toEqual({
      from: "2026-03-10T00:00:00.000Z",
      to: "2026-03-10T23:59:59.999Z",
    });
  });

  test("only from: to = from + 30 days, end of day", () => {
    expect(parseListQuery({ page: "0", due_date_from: "2026-01-01" }).dueDate).toEqual({
      from: "2026-01-01T00:00:00.000Z",
      to: "2026-01-31T23:59:59.999Z",
    });
  });

  test("only to: from = to − 30 days, start of day (across a leap February)", () => {
    expect(parseListQuery({ page: "0", due_date_to: "2028-03-15" }).dueDate).toEqual({
      from: "2028-02-14T00:00:00.000Z",
      to: "2028-03-15T23:59:59.999Z",
    });
  });

  test("payment dates work the same way", () => {
    expect(parseListQuery({ page: "0", payment_date_from: "2026-05-01" })).toEqual({
      page: 0,
      limit: 50,
      paymentDate: { from: "2026-05-01T00:00:00.000Z", to: "2026-05-31T23:59:59.999Z" },
      orderBy: "COMPANY_NAME",
      ordering: "DESC",
    });
    expect(parseListQuery({ page: "0", payment_date_to: "2026-05-31" }).paymentDate).toEqual({
      from: "2026-05-01T00:00:00.000Z",
      to: "2026-05-31T23:59:59.999Z",
    });
  });

  test("exactly 30 days is allowed, 31 days is not", () => {
    expect(parseListQuery({ page: "0", due_date_from: "2026-01-01", due_date_to: "2026-01-31" }).dueDate).toBeDefined();
    const e = failure({ page: "0", due_date_from: "2026-01-01", due_date_to: "2026-02-01" });
    expect(e.code).toBe("DEBT_POSITION_NOT_RECOVERABLE");
    expect(e.status).toBe(400);
    expect(e.title).toBe("The debt positions cannot be recovered");
    expect(e.detail).toBe(notRecoverable("due_date_from", "due_date_to", "2026-01-01", "2026-02-01", 31));
  });

  test("from after to is refused (one day apart)", () => {
    const e = failure({ page: "0", due_date_from: "2026-01-02", due_date_to: "2026-01-01" });
    expect(e.code).toBe("DEBT_POSITION_NOT_RECOVERABLE");
    expect(e.detail).toBe(notRecoverable("due_date_from", "due_date_to", "2026-01-02", "2026-01-01", -1));
  });

  test("payment window failures name the payment parameters", () => {
    const e = failure({ page: "0", payment_date_from: "2026-01-01", payment_date_to: "2026-03-01" });
    expect(e.code).toBe("DEBT_POSITION_NOT_RECOVERABLE");
    expect(e.detail).toBe(notRecoverable("payment_date_from", "payment_date_to", "2026-01-01", "2026-03-01", 59));
  });

  test.each([
    ["due_date_from", "2026-13-01"],
    ["due_date_from", "2026-02-30"],
    ["due_date_to", "2026-1-1"],
    ["due_date_to", "01/01/2026"],
    ["payment_date_from", "2026-01-01T00:00:00"],
    ["payment_date_to", "2025-02-29"],
  ])("%s=%s is not a yyyy-MM-dd date", (name, value) => {
    const e = failure({ page: "0", [name]: value });
    expect(e.code).toBe("BAD_REQUEST");
    expect(e.detail).toBe(`Invalid value ${value} for property ${name}`);
  });

  test("29 February of a leap year is a date", () => {
    expect(parseListQuery({ page: "0", due_date_from: "2028-02-29" }).dueDate?.from).toBe("2028-02-29T00:00:00.000Z");
  });
});

describe("parseListQuery: exclusive groups", () => {
  const detail =
    "Parameters due_date_to, due_date_from and payment_date_from, payment_date_toandpayment_date_time_from, payment_date_time_to are mutual exclusive";

  test.each([
    { due_date_from: "2026-01-01", payment_date_from: "2026-01-01" },
    { due_date_from: "2026-01-01", payment_date_to: "2026-01-01" },
    { due_date_to: "2026-01-01", payment_date_from: "2026-01-01" },
    { due_date_to: "2026-01-01", payment_date_to: "2026-01-01" },
    {
      due_date_from: "2026-01-01",
      due_date_to: "2026-01-02",
      payment_date_from: "2026-01-01",
      payment_date_to: "2026-01-02",
    },
  ])("%j → 400 Exclusive Parameters", (dates) => {
    const e = failure({ page: "0", ...dates });
    expect(e.code).toBe("EXCLUSIVE_PARAMETERS");
    expect(e.status).toBe(400);
    expect(e.title).toBe("Exclusive Parameters");
    expect(e.detail).toBe(detail);
  });

  test("exclusivity is checked before the windows (an invalid window in both groups still says exclusive)", () => {
    const e = failure({
      page: "0",
      due_date_from: "2026-01-01",
      due_date_to: "2026-06-01",
      payment_date_from: "2026-01-01",
    });
    expect(e.code).toBe("EXCLUSIVE_PARAMETERS");
  });
});

describe("parseListQuery: order of failures", () => {
  test("binding errors come in signature order: limit before page", () => {
    expect(failure({ limit: "x" }).detail).toBe("Invalid value x for property limit");
    expect(failure({ limit: "x", page: "y" }).detail).toBe("Invalid value x for property limit");
  });

  test("a missing page wins over a bad date, a bad date over a bad status, status over orderby, orderby over ordering", () => {
    expect(failure({ due_date_from: "x" }).detail).toMatch(/^The query parameter page is required/);
    expect(failure({ page: "0", due_date_to: "x", status: "NOPE" }).detail).toBe(
      "Invalid value x for property due_date_to",
    );
    expect(failure({ page: "0", status: "NOPE", orderby: "NOPE" }).detail).toBe(
      "Invalid value NOPE for property status",
    );
    expect(failure({ page: "0", orderby: "A", ordering: "B" }).detail).toBe("Invalid value A for property orderby");
  });

  test("binding errors win over range constraints, range constraints over exclusivity", () => {
    expect(failure({ page: "-1", status: "NOPE" }).detail).toBe("Invalid value NOPE for property status");
    expect(failure({ page: "-1", limit: "101" }).detail).toBe(
      "getOrganizationDebtPositions.limit: must be less than or equal to 100",
    );
    expect(failure({ page: "-1", due_date_from: "2026-01-01", payment_date_from: "2026-01-01" }).code).toBe(
      "BAD_REQUEST",
    );
  });
});
