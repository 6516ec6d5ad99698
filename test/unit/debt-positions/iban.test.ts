import { checkIban, ibanMod97, isValidIban, maskIban, normaliseIban } from "../../../shared/domain/debt-positions/iban";

describe("ISO 13616 IBAN check", () => {
  test.each([
    "IT60X0542811101000000123456",
    "IT93X0760103200001234567890", // Poste Italiane (postal IBAN)
    "SM86U0322509800000000270100",
    "VA59001123000012345678",
    "GB82WEST12345698765432",
    "DE89370400440532013000",
    "FR1420041010050500013M02606",
    "BE68539007547034",
    "NO9386011117947", // shortest in the registry: 15
    "MT84MALT011000012345MTLCAST001S",
    "LC55HEMM000100010012001200023015", // 32
    "XY801234567890123456", // unlisted country: generic 15..34 length
  ])("accepts %s", (iban) => {
    expect(checkIban(iban)).toEqual({ valid: true, iban });
    expect(ibanMod97(iban)).toBe(1);
  });

  test("normalises lower case and the spaced paper format", () => {
    expect(checkIban("it60 x054 2811 1010 0000 0123 456")).toEqual({
      valid: true,
      iban: "IT60X0542811101000000123456",
    });
    expect(normaliseIban(" it60x05 ")).toBe("IT60X05");
  });

  test.each([
    ["IT61X0542811101000000123456", "checksum"], // check digits off by one
    ["IT60X0542811101000000123457", "checksum"], // last digit changed
    ["IT60X0542811101000000132456", "checksum"], // two digits transposed
    ["SM87U0322509800000000270100", "checksum"],
    ["VA59001123000012345679", "checksum"],
    ["GB82WEST12345698765433", "checksum"],
    ["IT60X054281110100000012345", "length"], // 26 for IT
    ["IT60X05428111010000001234567", "length"], // 28 for IT
    ["VA5900112300001234567", "length"],
    ["SM21X054281110100000012345", "length"],
    ["XY331234567890", "length"], // generic minimum is 15
    ["XY851234567890123456789012345678901", "length"], // generic maximum is 34
    ["IT2910542811101000000123456", "structure"], // IT CIN must be a letter (checksum is right)
    ["1T60X0542811101000000123456", "format"],
    ["ITXXX0542811101000000123456", "format"],
    ["IT60X05428111010000001234-6", "format"],
    ["", "format"],
  ])("refuses %s (%s)", (iban, problem) => {
    expect(checkIban(iban)).toEqual({ valid: false, problem });
    expect(isValidIban(iban)).toBe(false);
  });

  test("masks all but country, check digits and the last four characters", () => {
    expect(maskIban("IT60X0542811101000000123456")).toBe("IT60*******************3456");
    expect(maskIban("it60x0542811101000000123456")).toBe("IT60*******************3456");
    expect(maskIban("IT60X05")).toBe("IT60X05");
  });
});
