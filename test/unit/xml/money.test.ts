import { centsToEuros, eurosToCents, InvalidAmountError } from "../../../shared/domain/money";

describe("eurosToCents", () => {
  test.each([
    ["10.10", 1010],
    ["0.00", 0],
    ["0.01", 1],
    ["999999999.99", 99_999_999_999],
    ["000123.45", 12345],
    ["90071992547409.91", Number.MAX_SAFE_INTEGER],
    // 0.1 + 0.2 style traps: exact because no float is involved.
    ["0.29", 29],
    ["1.15", 115],
    ["4.35", 435],
  ])("%s → %d", (euros, cents) => {
    expect(eurosToCents(euros)).toBe(cents);
  });

  test.each([
    "10",
    "10.1",
    "10.100",
    "1.005",
    "-1.00",
    "+1.00",
    " 1.00",
    "1.00 ",
    "1e3",
    "1,00",
    ".50",
    "1.",
    "",
    "١.٠٠",
    "90071992547409.92",
    "1".repeat(30) + ".00",
  ])("refuses %j", (euros) => {
    expect(() => eurosToCents(euros)).toThrow(InvalidAmountError);
  });

  test("names negatives as such", () => {
    expect(() => eurosToCents("-0.01")).toThrow(/negative/);
  });
});

describe("centsToEuros", () => {
  test.each([
    [1010, "10.10"],
    [0, "0.00"],
    [1, "0.01"],
    [99, "0.99"],
    [100, "1.00"],
    [99_999_999_999, "999999999.99"],
    [Number.MAX_SAFE_INTEGER, "90071992547409.91"],
  ])("%d → %s", (cents, euros) => {
    expect(centsToEuros(cents)).toBe(euros);
    expect(eurosToCents(euros)).toBe(cents);
  });

  test.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])("refuses %d", (cents) => {
    expect(() => centsToEuros(cents)).toThrow(InvalidAmountError);
  });
});
