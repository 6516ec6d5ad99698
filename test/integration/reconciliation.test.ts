// Treasury reconciliation on the emulators: flows of both sources (an XML flow from the inbox path, FdR-3 flows from
// the stand-in), then camt.053 statements with a matching credit, a flow paid in two credits, a mismatching credit,
// a credit naming an unknown flow, unrelated lines and hostile XML; the same statement twice changes nothing.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Fdr3HttpClient } from "../../shared/adapters/http/fdr3-client";
import { runIngestFdr3Flows } from "../../shared/application/fdr3-ingestion";
import { ingestReportingFlow } from "../../shared/application/flow-ingestion";
import { ingestStatement, ReconciliationService, runIngestStatements } from "../../shared/application/reconciliation";
import { BlobInbox } from "../../shared/adapters/blob/blob-inbox";
import { blobContainers } from "../../shared/storage/definition";
import { Fdr3TestServer } from "../support/fdr3-server";
import { aFreshFiscalCode } from "../support/keys";
import {
  aCamt053,
  aPaidPosition,
  anFdr3Organization,
  flowStore,
  positionLookup,
  positionRepository,
  readPosition,
  reportingIndex,
  silent,
} from "../support/reporting-fixtures";
import { aFlowXml } from "../support/xml-builders";
import { blobService, repositoryRoot } from "../support/stack";

let server: Fdr3TestServer;
beforeAll(async () => {
  server = await Fdr3TestServer.start();
});
afterAll(async () => {
  await server.close();
});

const common = () => ({
  positions: positionRepository(),
  lookup: positionLookup(),
  index: reportingIndex(),
  flows: flowStore(),
  clock: () => new Date("2026-03-20T10:00:00Z"),
  log: silent,
});

const statement = (xml: string, org: string) => ingestStatement(org, Buffer.from(xml, "utf8"), common());

describe("reconciliation with camt.053 statements", () => {
  const org = aFreshFiscalCode();
  const stamp = String(Date.now() % 1e7).padStart(7, "0");
  const fdrA = `2026-03-1288888888888-A${stamp}`;
  const fdrC = `2026-03-1288888888888-C${stamp}`;
  const xmlFlow = `2026-03-12PSPTEST01-B${stamp}`;
  const unknownFlow = `2026-03-1299999999999-Z${stamp}`;
  let a1: string, a2: string, b1: string, c1: string;

  beforeAll(async () => {
    await anFdr3Organization(org);
    const [pa1, pa2, pb1, pc1] = await Promise.all([
      aPaidPosition(org, [10_000]),
      aPaidPosition(org, [5_000]),
      aPaidPosition(org, [7_000]),
      aPaidPosition(org, [4_000]),
    ]);
    [a1, a2, b1, c1] = [pa1.iupd, pa2.iupd, pb1.iupd, pc1.iupd];
    const iuv = (p: typeof pa1) => p.paymentOption[0]!.iuv;
    const fdr3 = { organizationId: org, pspId: "88888888888", fdrDate: "2026-03-12T07:00:00Z" };
    server.publish({
      ...fdr3,
      fdr: fdrA,
      payments: [
        { iuv: iuv(pa1), pay: 100 },
        { iuv: iuv(pa2), pay: 50 },
      ],
    });
    server.publish({ ...fdr3, fdr: fdrC, payments: [{ iuv: iuv(pc1), pay: 40 }] });
    await runIngestFdr3Flows({ ...common(), api: new Fdr3HttpClient({ baseUrl: server.url }) });
    const xml = aFlowXml({
      flowId: xmlFlow,
      receiver: org,
      payments: [{ iuv: iuv(pb1), transferIndex: 1, amountCents: 7_000 }],
    });
    const ingested = await ingestReportingFlow("b.xml", Buffer.from(xml, "utf8"), common());
    expect(ingested).toMatchObject({ accepted: true });
  });

  it("matches credits to flows: exact, split in two, mismatching, unknown; ignores debits and unrelated credits", async () => {
    const xml = aCamt053(
      [
        { amount: "150.00", remittance: [`/PUR/LGPE-RIVERSAMENTO/URI/${fdrA}`], ref: "R-A" },
        {
          amount: "30.00",
          remittance: [`/PUR/LGPE-RIVERSAMENTO/URI/${xmlFlow}`],
          ref: "R-B1",
          bookingDate: "2026-03-13",
        },
        { amount: "40.00", remittance: [xmlFlow], ref: "R-B2", bookingDate: "2026-03-16" },
        { amount: "39.99", remittance: [`/PUR/LGPE-RIVERSAMENTO/URI/${fdrC}`], ref: "R-C" },
        { amount: "12.00", remittance: [`/PUR/LGPE-RIVERSAMENTO/URI/${unknownFlow}`], ref: "R-Z" },
        { amount: "99.00", remittance: ["TARI 2026 RATA 1"], ref: "R-X" },
        { amount: "150.00", remittance: [`/PUR/LGPE-RIVERSAMENTO/URI/${fdrA}`], ref: "R-D", direction: "DBIT" },
      ],
      { messageId: `MSG-${stamp}`, statementId: `STMT-${stamp}` },
    );
    const first = await statement(xml, org);
    expect(first).toMatchObject({
      accepted: true,
      report: {
        credits: 6,
        newCredits: 5,
        creditsNamingFlows: 5,
        reconciledFlows: expect.arrayContaining([fdrA, xmlFlow]) as unknown,
        unmatchedFlows: [fdrC],
        unknownFlows: [unknownFlow],
        skipped: { debits: 1, notBooked: 0, reversals: 0, otherCurrency: 0 },
      },
    });

    const [pa1, pa2, pb1, pc1] = await Promise.all([a1, a2, b1, c1].map((i) => readPosition(org, i)));
    expect(pa1!.paymentOption[0]).toMatchObject({
      reconciledDate: "2026-03-13T00:00:00.000Z",
      reconciliationRef: "R-A",
    });
    expect(pa1!.reconciledDate).toBe("2026-03-13T00:00:00.000Z");
    expect(pa2!.reconciledDate).toBe("2026-03-13T00:00:00.000Z");
    // Split: the later booking date, both references.
    expect(pb1!.paymentOption[0]).toMatchObject({
      reconciledDate: "2026-03-16T00:00:00.000Z",
      reconciliationRef: "R-B1+R-B2",
    });
    expect(pc1!.reconciledDate).toBeUndefined();

    const list = await new ReconciliationService({ ...common(), graceBusinessDays: 2 }).list(
      org,
      "2026-03-01",
      "2026-03-31",
      new Date("2026-03-20T10:00:00Z"),
    );
    const byFlow = new Map(list.flows.map((r) => [r.flowId, r]));
    expect(byFlow.get(fdrA)).toMatchObject({ status: "RECONCILED", expectedCents: 15_000, creditedCents: 15_000 });
    expect(byFlow.get(xmlFlow)).toMatchObject({
      status: "RECONCILED",
      expectedCents: 7_000,
      creditedCents: 7_000,
      source: "XML",
    });
    expect(byFlow.get(fdrC)).toMatchObject({ status: "AMOUNT_MISMATCH", expectedCents: 4_000, creditedCents: 3_999 });
    expect(byFlow.get(unknownFlow)).toMatchObject({ status: "CREDIT_WITHOUT_FLOW", creditedCents: 1_200 });
    expect(list.flows).toHaveLength(4);

    // The same statement again: nothing new, nothing written.
    const before = await Promise.all([a1, a2, b1, c1].map((i) => positionRepository().get(org, i)));
    const again = await statement(xml, org);
    expect(again).toMatchObject({ accepted: true, report: { newCredits: 0 } });
    const after = await Promise.all([a1, a2, b1, c1].map((i) => positionRepository().get(org, i)));
    expect(after.map((p) => p?.etag)).toEqual(before.map((p) => p?.etag));
  });

  it("lists a flow with no credit as FLOW_NOT_CREDITED after the grace period, AWAITING_CREDIT before", async () => {
    const other = aFreshFiscalCode();
    await anFdr3Organization(other);
    const p = await aPaidPosition(other);
    const fdr = `2026-03-1288888888888-N${stamp}`;
    server.publish({
      organizationId: other,
      fdr,
      pspId: "88888888888",
      fdrDate: "2026-03-12T07:00:00Z",
      payments: [{ iuv: p.paymentOption[0]!.iuv, pay: 100 }],
    });
    await runIngestFdr3Flows({ ...common(), api: new Fdr3HttpClient({ baseUrl: server.url }) });
    const service = new ReconciliationService({ ...common(), graceBusinessDays: 2 });
    // 2026-03-12 is a Thursday: two business days later is Monday 16th.
    const early = await service.list(other, "2026-03-01", "2026-03-31", new Date("2026-03-16T10:00:00Z"));
    expect(early.flows).toEqual([expect.objectContaining({ flowId: fdr, status: "AWAITING_CREDIT" })]);
    const late = await service.list(other, "2026-03-01", "2026-03-31", new Date("2026-03-17T10:00:00Z"));
    expect(late.flows).toEqual([
      expect.objectContaining({ flowId: fdr, status: "FLOW_NOT_CREDITED", creditedCents: 0 }),
    ]);
  });

  it.each(["billion-laughs.xml", "xxe-file.xml", "xxe-parameter-entity.xml"])(
    "refuses hostile XML (%s) and keeps nothing of it",
    async (fixture) => {
      const bytes = readFileSync(path.join(repositoryRoot, "test/fixtures/xml", fixture));
      await expect(ingestStatement(org, bytes, common())).resolves.toEqual({
        accepted: false,
        reason: expect.stringMatching(/^dtd-forbidden/) as unknown,
      });
    },
  );

  it("refuses a document that is not a camt.053 statement", async () => {
    const flow = aFlowXml({ receiver: org });
    await expect(statement(flow, org)).resolves.toEqual({
      accepted: false,
      reason: expect.stringMatching(/^not-a-statement/) as unknown,
    });
  });
});

describe("ingestStatements over the statements-inbox container", () => {
  const inbox = () => blobService().getContainerClient(blobContainers["statements-inbox"]);
  const rejected = () => blobService().getContainerClient(blobContainers["statements-rejected"]);
  const drop = async (name: string, xml: string | Buffer) => {
    const body = typeof xml === "string" ? Buffer.from(xml, "utf8") : xml;
    await inbox().getBlockBlobClient(name).upload(body, body.length);
  };

  it("takes statements filed as <org>/<name>.xml, rejects the rest with the reason, and empties the inbox", async () => {
    const org = aFreshFiscalCode();
    const suffix = String(Date.now());
    const good = `${org}/good-${suffix}.xml`;
    const unnamed = `no-org-${suffix}.xml`;
    const hostile = `${org}/laughs-${suffix}.xml`;
    await drop(
      good,
      aCamt053(
        [{ amount: "5.00", remittance: [`/PUR/LGPE-RIVERSAMENTO/URI/2026-03-1277777777777-${suffix.slice(-8)}`] }],
        { statementId: `S-${suffix}` },
      ),
    );
    await drop(unnamed, aCamt053([{ amount: "5.00" }]));
    await drop(hostile, readFileSync(path.join(repositoryRoot, "test/fixtures/xml/billion-laughs.xml")));

    const summary = await runIngestStatements({ ...common(), inbox: new BlobInbox(inbox(), rejected()) });
    expect(summary).toMatchObject({ failed: 0 });
    const left: string[] = [];
    for await (const b of inbox().listBlobsFlat()) left.push(b.name);
    expect(left.filter((n) => n.includes(suffix))).toEqual([]);
    const reasons = new Map<string, string | undefined>();
    for await (const b of rejected().listBlobsFlat({ includeMetadata: true })) {
      if (b.name.includes(suffix)) reasons.set(b.name, b.metadata?.reason);
    }
    expect(reasons.get(unnamed)).toMatch(/^unknown-organization/);
    expect(reasons.get(hostile)).toMatch(/^dtd-forbidden/);
    expect(reasons.has(good)).toBe(false);
    const credits = await reportingIndex().listCredits(org, "2026-03-01", "2026-03-31");
    expect(credits).toEqual([expect.objectContaining({ amountCents: 500, statementId: `S-${suffix}` })]);
  });
});
