import { zipSync, strToU8 } from "fflate";
import { extractSingleJson, parseJsonDocument } from "../../../shared/adapters/zip/single-json-zip";

const max = 1024 * 1024;

describe("extractSingleJson", () => {
  it("returns the one JSON document, inflated", () => {
    const json = JSON.stringify({ paymentPositions: Array.from({ length: 200 }, (_, i) => ({ iupd: `P-${i}` })) });
    const zip = zipSync({ "positions.json": strToU8(json) });
    expect(extractSingleJson(zip, max).toString("utf8")).toBe(json);
  });

  it("accepts a stored (not deflated) entry", () => {
    const zip = zipSync({ "a.json": [strToU8("{}"), { level: 0 }] });
    expect(extractSingleJson(zip, max).toString()).toBe("{}");
  });

  it.each([
    ["not a zip", Buffer.from("PK not really"), /NOT A ZIP|not a ZIP/],
    ["plain JSON", Buffer.from("{}"), /not a ZIP/],
    ["empty", Buffer.alloc(0), /not a ZIP/],
    [
      "two entries",
      zipSync({ "a.json": strToU8("{}"), "b.json": strToU8("{}") }),
      /exactly one .json file; it holds 2/,
    ],
    ["no entry", zipSync({}), /not a ZIP|holds 0/],
    ["a csv", zipSync({ "a.csv": strToU8("x") }), /one .json file; it holds "a.csv"/],
  ])("refuses %s", (_name, zip, message) => {
    expect(() => extractSingleJson(zip, max)).toThrow(message);
  });

  it("cuts a ZIP bomb off while inflating, whatever its header claims", () => {
    const bomb = zipSync({ "bomb.json": new Uint8Array(5 * max) }, { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => extractSingleJson(bomb, max)).toThrow(/larger than 1048576 bytes/);
    // A header that lies about the size (claims 1 byte) is caught by counting the real output.
    const lying = Buffer.from(bomb);
    const central = lying.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    lying.writeUInt32LE(1, central + 24);
    lying.writeUInt32LE(1, 22);
    expect(() => extractSingleJson(lying, max)).toThrow(/larger than|cannot be inflated|not a ZIP/);
  });

  it("refuses a corrupt deflate stream", () => {
    const zip = Buffer.from(zipSync({ "a.json": strToU8(JSON.stringify({ a: "x".repeat(5000) })) }));
    zip.fill(0xff, 40, 80);
    expect(() => extractSingleJson(zip, max)).toThrow(/cannot be inflated|not a ZIP|INVALID/);
  });

  it("says invalid JSON clearly", () => {
    expect(() => parseJsonDocument(Buffer.from("{nope"))).toThrow(/not valid JSON/);
  });
});
