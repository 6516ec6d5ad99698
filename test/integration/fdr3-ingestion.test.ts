// ingestFdr3Flows against the Cosmos emulator, Azurite and the FdR-3 stand-in (test/support/fdr3-server.ts), read by
// the real client the function uses: paging over 3 pages, REVOKED payments, revisions that drop a payment, a 5xx and a
// dropped connection mid-flow then a rerun, a crash mid-flow then a rerun, a 429 with Retry-After, a flow whose totals
// disagree, and idempotent reruns.
import { Fdr3HttpClient } from "../../shared/adapters/http/fdr3-client";
import { runIngestFdr3Flows, type Fdr3IngestionDeps } from "../../shared/application/fdr3-ingestion";
import type { DebtPositionRepository } from "../../shared/domain/debt-positions/ports";
import { Fdr3TestServer, type PaymentSpec } from "../support/fdr3-server";
import { aFreshFiscalCode } from "../support/keys";
import { withOverrides } from "../support/jobs";
import {
  aPaidPosition,
  anFdr3Organization,
  flowStore,
  positionLookup,
  positionRepository,
  readPosition,
  reportingIndex,
  silent,
} from "../support/reporting-fixtures";

let server: Fdr3TestServer;
const key = "fdr3-test-key";

beforeAll(async () => {
  server = await Fdr3TestServer.start({ subscriptionKey: key });
});
afterAll(async () => {
  await server.close();
});

const deps = (overrides: Partial<Fdr3IngestionDeps> = {}): Fdr3IngestionDeps => ({
  // Two payments a page, so a flow of five payments is three pages.
  api: new Fdr3HttpClient({ baseUrl: server.url, subscriptionKey: key, pageSize: 2, backoffMs: 20 }),
  positions: positionRepository(),
  lookup: positionLookup(),
  index: reportingIndex(),
  flows: flowStore(),
  clock: () => new Date(),
  log: silent,
  applyPageSize: 2,
  ...overrides,
});

let counter = 0;
const aFlowName = () =>
  `2026-03-1288888888888-${String(Date.now() % 1e8).padStart(8, "0")}${String(++counter).padStart(3, "0")}`;

const pay = (iuv: string, euros: number, payStatus: PaymentSpec["payStatus"] = "EXECUTED"): PaymentSpec => ({
  iuv,
  pay: euros,
  payStatus,
});

/** Runs the job and keeps only this test's organization in view (other tests enable organizations too). */
async function run(d: Fdr3IngestionDeps = deps()) {
  return await runIngestFdr3Flows(d);
}

describe("ingestFdr3Flows", () => {
  it("applies a published flow of 3 pages like a legacy flow: executed payments report, REVOKED ones do not", async () => {
    const org = aFreshFiscalCode();
    await anFdr3Organization(org);
    const positions = await Promise.all([1, 2, 3, 4, 5].map(() => aPaidPosition(org)));
    const iuvs = positions.map((p) => p.paymentOption[0]!.iuv);
    const fdr = aFlowName();
    server.publish({
      organizationId: org,
      fdr,
      pspId: "88888888888",
      fdrDate: "2026-03-12T07:00:00Z",
      payments: [
        pay(iuvs[0]!, 100),
        pay(iuvs[1]!, 100, "REVOKED"),
        pay(iuvs[2]!, 100, "STAND_IN"),
        pay(iuvs[3]!, 100, "NO_RPT"),
        pay(iuvs[4]!, 100, "STAND_IN_NO_RPT"),
      ],
    });

    await run();

    const after = await Promise.all(positions.map((p) => readPosition(org, p.iupd)));
    expect(after.map((p) => p.status)).toEqual(["REPORTED", "PAID", "REPORTED", "REPORTED", "REPORTED"]);
    expect(after[0]!.paymentOption[0]).toMatchObject({ idFlowReporting: fdr, status: "PO_REPORTED" });
    const paymentPages = server.requests.filter((r) =>
      r.includes(`/fdrs/${fdr}/revisions/1/psps/88888888888/payments`),
    );
    expect(paymentPages).toHaveLength(3);
    const record = await reportingIndex().getFlow(org, fdr);
    expect(record?.value).toMatchObject({ source: "FDR3", appliedRevision: 1, totalAmountCents: 50_000 });
    const result = await flowStore().readResult({ organization: org, flowDate: "2026-03-12", flowId: fdr });
    expect(result).toMatchObject({ source: "FDR3", revision: 1, entries: 5, reported: 4, revoked: 1, notApplied: 0 });
    expect(await reportingIndex().getCursor(org)).toBeDefined();

    // A rerun reads the list again (from the cursor) and applies nothing twice.
    let writes = 0;
    const real = positionRepository();
    const counting = withOverrides(real, {
      replace: async (p, n) => {
        writes += 1;
        return await real.replace(p, n);
      },
    });
    await run(deps({ positions: counting }));
    expect(writes).toBe(0);
  });

  it("replaces a revision: a payment the new revision drops goes back to PAID, and both revisions are kept", async () => {
    const org = aFreshFiscalCode();
    await anFdr3Organization(org);
    const [a, b] = await Promise.all([aPaidPosition(org), aPaidPosition(org)]);
    const [iuvA, iuvB] = [a.paymentOption[0]!.iuv, b.paymentOption[0]!.iuv];
    const fdr = aFlowName();
    const flow = { organizationId: org, fdr, pspId: "88888888888", fdrDate: "2026-03-12T07:00:00Z" };
    server.publish({ ...flow, payments: [pay(iuvA, 100), pay(iuvB, 100)] });
    await run();
    expect((await readPosition(org, b.iupd)).status).toBe("REPORTED");

    server.publish({ ...flow, payments: [pay(iuvA, 100)] });
    await run();

    expect((await readPosition(org, a.iupd)).status).toBe("REPORTED");
    const dropped = await readPosition(org, b.iupd);
    expect(dropped.status).toBe("PAID");
    expect(dropped.paymentOption[0]!.status).toBe("PO_PAID");
    expect(dropped.paymentOption[0]!.idFlowReporting).toBeUndefined();
    expect(dropped.paymentOption[0]!.transfer[0]).toMatchObject({ status: "T_UNREPORTED" });
    const key2 = { organization: org, flowDate: "2026-03-12", flowId: fdr };
    expect(await flowStore().hasRevision(key2, 1)).toBe(true);
    expect(await flowStore().hasRevision(key2, 2)).toBe(true);
    const result = await flowStore().readResult(key2);
    expect(result).toMatchObject({ revision: 2, entries: 1, reported: 1 });
    expect(result?.unapplied).toEqual([
      expect.objectContaining({
        iuv: iuvB,
        status: "superseded",
        detail: expect.stringContaining("revision 2") as unknown,
      }),
    ]);
    expect((await reportingIndex().getFlow(org, fdr))?.value).toMatchObject({
      appliedRevision: 2,
      totalAmountCents: 10_000,
      revisions: [expect.objectContaining({ revision: 1 }), expect.objectContaining({ revision: 2 })],
    });
  });

  it("leaves nothing half-applied when FdR-3 fails mid-flow (5xx, then a dropped connection), and resumes next run", async () => {
    const org = aFreshFiscalCode();
    await anFdr3Organization(org);
    const positions = await Promise.all([1, 2, 3, 4, 5].map(() => aPaidPosition(org)));
    const fdr = aFlowName();
    server.publish({
      organizationId: org,
      fdr,
      pspId: "88888888888",
      payments: positions.map((p) => pay(p.paymentOption[0]!.iuv, 100)),
    });
    // Page 2 of the payments fails on every attempt of this run (the client tries 3 times).
    server.fail({ path: new RegExp(`/fdrs/${fdr}/.*/payments\\?page=2`), status: 503, times: 3 });

    await expect(run()).rejects.toThrow(/not finished/);
    const mid = await Promise.all(positions.map((p) => readPosition(org, p.iupd)));
    expect(mid.map((p) => p.status)).toEqual(["PAID", "PAID", "PAID", "PAID", "PAID"]);
    expect(await reportingIndex().getCursor(org)).toBeUndefined();
    expect(await reportingIndex().getFlow(org, fdr)).toBeUndefined();

    server.fail({ path: new RegExp(`/fdrs/${fdr}/.*/payments\\?page=3`), status: "drop", times: 3 });
    await expect(run()).rejects.toThrow(/not finished/);
    expect((await readPosition(org, positions[0]!.iupd)).status).toBe("PAID");

    await run();
    const after = await Promise.all(positions.map((p) => readPosition(org, p.iupd)));
    expect(after.every((p) => p.status === "REPORTED")).toBe(true);
  });

  it("waits out a 429 with Retry-After within the run", async () => {
    const org = aFreshFiscalCode();
    await anFdr3Organization(org);
    const p = await aPaidPosition(org);
    const fdr = aFlowName();
    server.publish({ organizationId: org, fdr, pspId: "88888888888", payments: [pay(p.paymentOption[0]!.iuv, 100)] });
    server.fail({
      path: new RegExp(`/fdrs/${fdr}/revisions/1/psps/88888888888$`),
      status: 429,
      times: 1,
      retryAfterSeconds: 1,
    });
    await run();
    expect((await readPosition(org, p.iupd)).status).toBe("REPORTED");
  });

  it("finishes a flow after a crash mid-flow: the rerun writes exactly what was left", async () => {
    const org = aFreshFiscalCode();
    await anFdr3Organization(org);
    const positions = await Promise.all([1, 2, 3, 4, 5, 6].map(() => aPaidPosition(org)));
    const fdr = aFlowName();
    server.publish({
      organizationId: org,
      fdr,
      pspId: "88888888888",
      payments: positions.map((p) => pay(p.paymentOption[0]!.iuv, 100)),
    });
    const real = positionRepository();
    let writes = 0;
    const dying: DebtPositionRepository = withOverrides(real, {
      replace: async (p, n) => {
        if (++writes > 2) throw new Error("simulated crash");
        return await real.replace(p, n);
      },
    });
    await expect(run(deps({ positions: dying, concurrency: 1 }))).rejects.toThrow(/not finished/);
    const mid = await Promise.all(positions.map((p) => readPosition(org, p.iupd)));
    expect(mid.filter((p) => p.status === "REPORTED")).toHaveLength(2);
    expect((await reportingIndex().getFlow(org, fdr))?.value).toMatchObject({ applyingRevision: 1 });

    let rerunWrites = 0;
    const counting = withOverrides(real, {
      replace: async (p, n) => {
        rerunWrites += 1;
        return await real.replace(p, n);
      },
    });
    await run(deps({ positions: counting }));
    expect(rerunWrites).toBe(4);
    const after = await Promise.all(positions.map((p) => readPosition(org, p.iupd)));
    expect(after.every((p) => p.status === "REPORTED")).toBe(true);
    const record = (await reportingIndex().getFlow(org, fdr))?.value;
    expect(record?.appliedRevision).toBe(1);
    expect(record?.applyingRevision).toBeUndefined();
  });

  it("rejects a revision whose payments do not add up to its totals, applies nothing of it and moves on", async () => {
    const org = aFreshFiscalCode();
    await anFdr3Organization(org);
    const p = await aPaidPosition(org);
    const fdr = aFlowName();
    server.publish({
      organizationId: org,
      fdr,
      pspId: "88888888888",
      payments: [pay(p.paymentOption[0]!.iuv, 100)],
      sumPayments: 99.99,
    });
    await run();
    expect((await readPosition(org, p.iupd)).status).toBe("PAID");
    expect((await reportingIndex().getFlow(org, fdr))?.value.rejection).toMatchObject({
      revision: 1,
      reason: expect.stringMatching(/^amount-mismatch/) as unknown,
    });
    expect(
      await flowStore().hasRevision(
        { organization: org, flowDate: new Date().toISOString().slice(0, 10), flowId: fdr },
        1,
      ),
    ).toBe(false);
    expect(await reportingIndex().getCursor(org)).toBeDefined();
  });

  it("is refused by FdR-3 without the subscription key, and says so", async () => {
    const org = aFreshFiscalCode();
    await anFdr3Organization(org);
    const noKey = new Fdr3HttpClient({ baseUrl: server.url, backoffMs: 1 });
    await expect(run(deps({ api: noKey }))).rejects.toThrow(/not finished/);
    expect(server.requests.some((r) => r.startsWith(`GET /organizations/${org}/fdrs`))).toBe(true);
  });
});
