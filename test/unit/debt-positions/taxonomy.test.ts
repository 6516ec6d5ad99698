import catalogue from "../../fixtures/taxonomy-catalogue.json";
import { isTaxonomyCode, parseTaxonomyCatalogue } from "../../../shared/domain/debt-positions/taxonomy";

describe("taxonomy code format (docs/domain/debt-positions.md#validation: 9/ + 7 digits + 2 capital letters + /)", () => {
  test.each(["9/0101108TS/", "9/0101100IM/", "9/0199999AP/", "9/0000000AA/"])("accepts %s", (code) => {
    expect(isTaxonomyCode(code)).toBe(true);
  });
  test.each([
    "text",
    "",
    "9/0101108TS", // missing trailing slash
    "0101108TS/",
    "8/0101108TS/",
    "9/010110TS/", // 6 digits
    "9/01011080TS/", // 8 digits
    "9/0101108ts/", // lower case
    "9/0101108T/",
    "9/0101108TSX/",
    " 9/0101108TS/",
    "9/0101108TS/ ",
    "9/0101108TS/extra",
  ])("refuses %j", (code) => {
    expect(isTaxonomyCode(code)).toBe(false);
  });
});

describe("parseTaxonomyCatalogue", () => {
  test("reads the official rows (DATI SPECIFICI DI INCASSO)", () => {
    const set = parseTaxonomyCatalogue(catalogue);
    expect(set.size).toBe(11);
    expect(set.has("9/0101108TS/")).toBe(true);
    expect(set.has("9/0201102TS/")).toBe(true);
    expect(set.has("9/9999999ZZ/")).toBe(false);
  });

  test("with now, leaves out rows not yet valid or no longer valid (end day inclusive)", () => {
    const set = parseTaxonomyCatalogue(catalogue, new Date("2026-06-01T00:00:00.000Z"));
    expect(set.size).toBe(9);
    expect(set.has("9/0104199SP/")).toBe(false); // ended 31/12/2024
    expect(set.has("9/0104198SP/")).toBe(false); // starts 01/01/2030
    expect(set.has("9/0101108TS/")).toBe(true);
  });

  test("end date boundary: valid through the last day, gone the next instant", () => {
    const rows = [{ "DATI SPECIFICI DI INCASSO": "9/0104199SP/", "DATA FINE VALIDITA": "31/12/2024" }];
    expect(parseTaxonomyCatalogue(rows, new Date("2024-12-31T23:59:59.999Z")).has("9/0104199SP/")).toBe(true);
    expect(parseTaxonomyCatalogue(rows, new Date("2025-01-01T00:00:00.000Z")).has("9/0104199SP/")).toBe(false);
  });

  test("start date boundary: valid from 00:00 of the first day", () => {
    const rows = [{ "DATI SPECIFICI DI INCASSO": "9/0104198SP/", "DATA INIZIO VALIDITA": "01/01/2030" }];
    expect(parseTaxonomyCatalogue(rows, new Date("2029-12-31T23:59:59.999Z")).size).toBe(0);
    expect(parseTaxonomyCatalogue(rows, new Date("2030-01-01T00:00:00.000Z")).size).toBe(1);
  });

  test("accepts a plain array of codes", () => {
    expect([...parseTaxonomyCatalogue(["9/0101108TS/", "9/0101100IM/"])]).toEqual(["9/0101108TS/", "9/0101100IM/"]);
  });

  test.each([
    [{ rows: [] }, "must be a JSON array"],
    [[{ code: "9/0101108TS/" }], "row 0"],
    [["9/0101108TS/", "bad"], "row 1"],
    [[null], "row 0"],
  ])("refuses a malformed catalogue %j", (json, message) => {
    expect(() => parseTaxonomyCatalogue(json)).toThrow(message);
  });
});
