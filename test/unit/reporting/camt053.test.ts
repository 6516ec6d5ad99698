// camt.053 reading (shared/domain/reporting/camt053.ts): which entries become credits, with what amount, date,
// reference and flow; what is skipped; what refuses the statement.
import { StatementRejection } from "../../../shared/domain/reporting/camt053";
import { readCamt053 } from "../../../shared/xml/camt053-xml";
import { XmlRejection } from "../../../shared/xml/safe-xml";
import { aCamt053 } from "../../support/reporting-fixtures";

const read = (xml: string) => readCamt053(Buffer.from(xml, "utf8"));
const flow = "2026-03-1288888888888-0000001";

describe("readCamt053", () => {
  it("reads booked euro credits with their booking date, bank reference and the flow their remittance names", async () => {
    const s = await read(
      aCamt053([
        { amount: "150.00", remittance: [`/PUR/LGPE-RIVERSAMENTO/URI/${flow}`], ref: "R1", bookingDate: "2026-03-13" },
        { amount: "7", remittance: ["RATA TARI"], ref: "R2" },
      ]),
    );
    expect(s.messageId).toBe("MSG-1");
    expect(s.credits).toEqual([
      {
        statementId: "STMT-1",
        entryRef: "R1",
        bookingDate: "2026-03-13",
        amountCents: 15_000,
        remittance: [`/PUR/LGPE-RIVERSAMENTO/URI/${flow}`],
        flowId: flow,
      },
      {
        statementId: "STMT-1",
        entryRef: "R2",
        bookingDate: "2026-03-13",
        amountCents: 700,
        remittance: ["RATA TARI"],
        flowId: undefined,
      },
    ]);
  });

  it("skips debits, reversals, pending entries and other currencies, and counts them", async () => {
    const s = await read(
      aCamt053([
        { amount: "1.00", direction: "DBIT" },
        { amount: "1.00", status: "PDNG" },
        { amount: "1.00", currency: "USD" },
      ]),
    );
    expect(s.credits).toEqual([]);
    expect(s.skipped).toEqual({ debits: 1, notBooked: 1, reversals: 0, otherCurrency: 1 });
  });

  it("splits an entry whose transactions carry their own amounts into one credit each", async () => {
    const s = await read(
      aCamt053([
        {
          amount: "100.00",
          ref: "BATCH",
          transactions: [
            { amount: "60.00", remittance: `/PUR/LGPE-RIVERSAMENTO/URI/${flow}` },
            { amount: "40.00", remittance: "/PUR/LGPE-RIVERSAMENTO/URI/2026-03-1288888888888-0000002" },
          ],
        },
      ]),
    );
    expect(s.credits.map((c) => [c.entryRef, c.amountCents, c.flowId])).toEqual([
      ["BATCH/1", 6_000, flow],
      ["BATCH/2", 4_000, "2026-03-1288888888888-0000002"],
    ]);
  });

  it("reads the 001.02 form of the status (<Sts>BOOK</Sts>)", async () => {
    const xml = aCamt053([{ amount: "2.50", remittance: [flow] }])
      .replace("<Sts><Cd>BOOK</Cd></Sts>", "<Sts>BOOK</Sts>")
      .replace("camt.053.001.08", "camt.053.001.02");
    expect((await read(xml)).credits).toEqual([expect.objectContaining({ amountCents: 250, flowId: flow })]);
  });

  test.each([
    ["an amount that is not a number", aCamt053([{ amount: "1,00" }]), /not an amount/],
    ["a fraction of a cent", aCamt053([{ amount: "1.001" }]), /whole number of cents/],
    ["no booking date", aCamt053([{ amount: "1.00" }]).replace(/<BookgDt>.*?<\/BookgDt>/, ""), /booking date/],
    ["no CdtDbtInd", aCamt053([{ amount: "1.00" }]).replace("<CdtDbtInd>CRDT</CdtDbtInd>", ""), /CdtDbtInd/],
    ["no MsgId", aCamt053([{ amount: "1.00" }]).replace("<MsgId>MSG-1</MsgId>", ""), /MsgId/],
  ])("refuses %s", async (_label, xml, message) => {
    await expect(read(xml)).rejects.toThrow(StatementRejection);
    await expect(read(xml)).rejects.toThrow(message);
  });

  it("refuses what is not a camt.053 statement", async () => {
    await expect(read(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"/>`)).rejects.toMatchObject({
      reason: "not-a-statement",
    });
    await expect(read(`<Other/>`)).rejects.toMatchObject({ reason: "not-a-statement" });
  });

  it("refuses DTDs and processing instructions like every document from outside", async () => {
    const base = aCamt53Plain();
    await expect(read(base.replace("<Document", `<!DOCTYPE d [<!ENTITY x "y">]><Document`))).rejects.toThrow(
      XmlRejection,
    );
    await expect(read(base.replace("<Document", `<?x y?><Document`))).rejects.toMatchObject({ reason: "pi-forbidden" });
  });
});

function aCamt53Plain(): string {
  return aCamt053([{ amount: "1.00" }]).replace(/^<\?xml[^>]*\?>\n/, "");
}
