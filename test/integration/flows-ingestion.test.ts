// ingestReportingFlows against Azurite and the Cosmos emulator: paid → reported for single options, installment
// plans and multi-transfer options (two flows), revoked and unapplicable entries recorded in the per-flow result, the
// same flow twice, a different flow under a taken name, hostile XML rejected with its reason, a crash mid-flow
// finished by the next run, and a write that lost a race re-decided. Positions are made PAID with the domain's
// payPaymentOption and a conditional replace (receipt ingestion is another area).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import { BlobFlowStore } from "../../shared/adapters/blob/blob-flow-store";
import { BlobInbox } from "../../shared/adapters/blob/blob-inbox";
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import {
  ingestReportingFlow,
  runIngestReportingFlows,
  type FlowIngestionDeps,
} from "../../shared/application/flow-ingestion";
import type { DebtPosition, PaymentOption } from "../../shared/domain/debt-positions/model";
import { payPaymentOption } from "../../shared/domain/debt-positions/payments";
import { silentLogger as silent } from "../../shared/logging/logger";
import { CosmosPositionLookup } from "../../shared/adapters/cosmos/cosmos-position-lookup";
import { CosmosReportingIndex } from "../../shared/adapters/cosmos/cosmos-reporting-index";
import { blobContainers, containers } from "../../shared/storage/definition";
import { aDebtPosition, aPaymentOption, aTransfer } from "../support/builders";
import { aFreshIuv } from "../support/gpd-client";
import { aFreshFiscalCode } from "../support/keys";
import { blobService, cosmosClient, repositoryRoot, testConfig } from "../support/stack";
import { aFlowXml, type FlowPaymentSpec } from "../support/xml-builders";
import { withOverrides } from "../support/jobs";

const repository = () =>
  new CosmosDebtPositionRepository(
    cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions),
  );
const store = () => new BlobFlowStore(blobService().getContainerClient(blobContainers.flows));

const database = () => cosmosClient().database(testConfig().cosmos.database);
const lookup = () => new CosmosPositionLookup(database().container(containers.debtpositions));
const reportingIndex = () =>
  new CosmosReportingIndex(database().container(containers.reporting), database().container(containers.organizations));

const deps = (overrides: Partial<FlowIngestionDeps> = {}): FlowIngestionDeps => ({
  positions: repository(),
  lookup: lookup(),
  index: reportingIndex(),
  flows: store(),
  clock: () => new Date(),
  log: silent,
  ...overrides,
});

let flowCounter = 0;
const aFlowId = () =>
  `2026-03-12PSPTEST01-S${String(Date.now() % 1e9).padStart(9, "0")}${String(++flowCounter).padStart(3, "0")}`;

interface OptionSpec {
  iuv?: string;
  transfers?: number[];
  installment?: boolean;
}

/** A VALID position with the given options (amount in cents per transfer), stored through the repository. */
async function aPosition(org: string, specs: OptionSpec[]): Promise<DebtPosition> {
  const options: PaymentOption[] = specs.map((s) => {
    const iuv = s.iuv ?? aFreshIuv();
    const amounts = s.transfers ?? [10_000];
    return aPaymentOption({
      iuv,
      organizationFiscalCode: org,
      isPartialPayment: s.installment ?? false,
      amount: amounts.reduce((a, b) => a + b, 0),
      transfer: amounts.map((amount, i) =>
        aTransfer({ idTransfer: String(i + 1) as "1", amount, organizationFiscalCode: org }),
      ),
    });
  });
  const position = aDebtPosition({
    organizationFiscalCode: org,
    iupd: `IUPD-FLOW-${randomUUID()}`,
    status: "VALID",
    paymentOption: options,
  });
  await repository().create(position);
  return position;
}

/** Pays an option the way receipt ingestion does: the domain decides, the write is conditional. */
async function pay(org: string, iuv: string): Promise<void> {
  const repo = repository();
  const stored = await repo.findByPaymentReference(org, { iuv });
  if (!stored) throw new Error(`no position for ${iuv}`);
  const result = payPaymentOption(
    stored.value,
    { iuv },
    { paymentDate: "2026-03-10T09:15:30.000Z", pspCompany: "Banca di Prova", idReceipt: `R-${iuv}`, fee: 0 },
    new Date(),
  );
  if (result.outcome !== "paid") throw new Error(`cannot pay ${iuv}: ${result.outcome}`);
  await repo.replace(stored, result.position);
}

async function read(org: string, iupd: string): Promise<DebtPosition> {
  const stored = await repository().get(org, iupd);
  if (!stored) throw new Error(`${iupd} is gone`);
  return stored.value;
}

const flowXml = (org: string, flowId: string, payments: FlowPaymentSpec[], flowDateTime = "2026-03-12T06:00:00") =>
  Buffer.from(aFlowXml({ receiver: org, flowId, flowDateTime, payments }), "utf8");

describe("ingestReportingFlow on the emulators", () => {
  it("reports a paid single option: transfer, option and position, and files the flow with its result", async () => {
    const org = aFreshFiscalCode();
    const position = await aPosition(org, [{}]);
    const iuv = position.paymentOption[0]!.iuv;
    await pay(org, iuv);
    const flowId = aFlowId();
    const xml = flowXml(org, flowId, [{ iuv, transferIndex: 1, amountCents: 10_000 }], "2026-03-12T07:30:00+01:00");

    const outcome = await ingestReportingFlow("f.xml", xml, deps());
    expect(outcome).toMatchObject({ accepted: true, writes: 1 });

    const after = await read(org, position.iupd);
    expect(after.status).toBe("REPORTED");
    expect(after.paymentOption[0]).toMatchObject({
      status: "PO_REPORTED",
      idFlowReporting: flowId,
      reportingDate: "2026-03-12T06:30:00.000Z",
    });
    expect(after.paymentOption[0]!.transfer[0]).toMatchObject({ status: "T_REPORTED", idFlowReporting: flowId });

    const key = { organization: org, flowDate: "2026-03-12", flowId };
    expect((await store().read(key))?.equals(xml)).toBe(true);
    expect(await store().readResult(key)).toMatchObject({
      entries: 1,
      reported: 1,
      revoked: 0,
      notApplied: 0,
      unapplied: [],
    });
    expect(await store().list(org)).toEqual([{ ...key, flowDateTime: "2026-03-12T06:30:00.000Z" }]);
    expect(await store().list(org, "2026-03-13")).toEqual([]);
  });

  it("reports an installment plan with one batched lookup and one write of the position", async () => {
    const org = aFreshFiscalCode();
    const position = await aPosition(org, [{ installment: true }, { installment: true }]);
    const [first, second] = position.paymentOption.map((o) => o.iuv) as [string, string];
    await pay(org, first);
    await pay(org, second);
    const real = repository();
    let replaces = 0;
    let lookups = 0;
    const counting = withOverrides(real, {
      replace: async (p, n) => {
        replaces += 1;
        return await real.replace(p, n);
      },
    });
    const realLookup = lookup();
    const countingLookup = {
      findByIuvs: async (o: string, iuvs: readonly string[]) => {
        lookups += 1;
        return await realLookup.findByIuvs(o, iuvs);
      },
    };
    const xml = flowXml(org, aFlowId(), [
      { iuv: first, amountCents: 10_000 },
      { iuv: second, transferIndex: 1, amountCents: 10_000 },
    ]);
    await expect(
      ingestReportingFlow("f.xml", xml, deps({ positions: counting, lookup: countingLookup })),
    ).resolves.toMatchObject({
      accepted: true,
    });
    expect(replaces).toBe(1);
    expect(lookups).toBe(1);
    const after = await read(org, position.iupd);
    expect(after.status).toBe("REPORTED");
    expect(after.paymentOption.map((o) => o.status)).toEqual(["PO_REPORTED", "PO_REPORTED"]);
  });

  it("reports one installment of two: the option is reported, the position stays PARTIALLY_PAID", async () => {
    const org = aFreshFiscalCode();
    const position = await aPosition(org, [{ installment: true }, { installment: true }]);
    const first = position.paymentOption[0]!.iuv;
    await pay(org, first);
    await ingestReportingFlow("f.xml", flowXml(org, aFlowId(), [{ iuv: first, amountCents: 10_000 }]), deps());
    const after = await read(org, position.iupd);
    expect(after.status).toBe("PARTIALLY_PAID");
    expect(after.paymentOption.map((o) => o.status)).toEqual(["PO_REPORTED", "PO_UNPAID"]);
  });

  it("reports a two-transfer option in two flows, PO_PARTIALLY_REPORTED in between", async () => {
    const org = aFreshFiscalCode();
    const position = await aPosition(org, [{ transfers: [6_000, 4_000] }]);
    const iuv = position.paymentOption[0]!.iuv;
    await pay(org, iuv);
    const flowA = aFlowId();
    const flowB = aFlowId();

    await ingestReportingFlow("a.xml", flowXml(org, flowA, [{ iuv, transferIndex: 1, amountCents: 6_000 }]), deps());
    const between = await read(org, position.iupd);
    expect(between.status).toBe("PAID");
    expect(between.paymentOption[0]).toMatchObject({ status: "PO_PARTIALLY_REPORTED", idFlowReporting: flowA });
    expect(between.paymentOption[0]!.transfer.map((t) => t.status)).toEqual(["T_REPORTED", "T_UNREPORTED"]);

    await ingestReportingFlow(
      "b.xml",
      flowXml(org, flowB, [{ iuv, transferIndex: 2, amountCents: 4_000 }], "2026-03-13T06:00:00Z"),
      deps(),
    );
    const after = await read(org, position.iupd);
    expect(after.status).toBe("REPORTED");
    expect(after.paymentOption[0]).toMatchObject({
      status: "PO_REPORTED",
      idFlowReporting: flowB,
      reportingDate: "2026-03-13T06:00:00.000Z",
    });
    expect(after.paymentOption[0]!.transfer.map((t) => t.idFlowReporting)).toEqual([flowA, flowB]);
    // Newest first by dataOraFlusso.
    const listed = (await store().list(org)).map((f) => f.flowId);
    expect(listed.sort()).toEqual([flowA, flowB].sort());
  });

  it("reports outcomes 0, 4 and 9, never 3 (revoked), and records what it could not apply", async () => {
    const org = aFreshFiscalCode();
    const paid = await aPosition(org, [{}]);
    const iuv0 = paid.paymentOption[0]!.iuv;
    const revokedPosition = await aPosition(org, [{}]);
    const revokedIuv = revokedPosition.paymentOption[0]!.iuv;
    const unpaid = await aPosition(org, [{}]);
    const unpaidIuv = unpaid.paymentOption[0]!.iuv;
    for (const iuv of [iuv0, revokedIuv]) await pay(org, iuv);
    const single4 = await aPosition(org, [{}]);
    const single9 = await aPosition(org, [{}]);
    await pay(org, single4.paymentOption[0]!.iuv);
    await pay(org, single9.paymentOption[0]!.iuv);
    const unknown = aFreshIuv();
    const flowId = aFlowId();
    const xml = flowXml(org, flowId, [
      { iuv: iuv0, transferIndex: 1, amountCents: 10_000, outcome: "0" },
      { iuv: single4.paymentOption[0]!.iuv, amountCents: 10_000, outcome: "4" },
      { iuv: single9.paymentOption[0]!.iuv, amountCents: 10_000, outcome: "9" },
      { iuv: revokedIuv, transferIndex: 1, amountCents: 10_000, outcome: "3" },
      { iuv: unknown, transferIndex: 1, amountCents: 500 },
      { iuv: unpaidIuv, transferIndex: 1, amountCents: 10_000 },
      { iuv: iuv0, transferIndex: 2, amountCents: 100 },
      { iuv: iuv0, transferIndex: 1, amountCents: 10_000 },
    ]);

    const outcome = await ingestReportingFlow("f.xml", xml, deps());
    expect(outcome.accepted).toBe(true);
    const result = await store().readResult({ organization: org, flowDate: "2026-03-12", flowId });
    expect(result).toMatchObject({ entries: 8, reported: 3, revoked: 1, notApplied: 4 });
    expect(result?.unapplied.map((r) => [r.entry, r.status])).toEqual([
      [4, "revoked"],
      [5, "unknown-iuv"],
      [6, "not-accountable"],
      [7, "transfer-not-found"],
      [8, "duplicate-entry"],
    ]);

    expect((await read(org, paid.iupd)).paymentOption[0]!.status).toBe("PO_REPORTED");
    expect((await read(org, single4.iupd)).status).toBe("REPORTED");
    expect((await read(org, single9.iupd)).status).toBe("REPORTED");
    const revokedAfter = await read(org, revokedPosition.iupd);
    expect(revokedAfter.status).toBe("PAID");
    expect(revokedAfter.paymentOption[0]!.transfer[0]!.status).toBe("T_UNREPORTED");
    expect((await read(org, unpaid.iupd)).paymentOption[0]!.status).toBe("PO_UNPAID");
  });

  it("records a transfer already reported by another flow and leaves it as that flow left it", async () => {
    const org = aFreshFiscalCode();
    const position = await aPosition(org, [{}]);
    const iuv = position.paymentOption[0]!.iuv;
    await pay(org, iuv);
    const first = aFlowId();
    const second = aFlowId();
    await ingestReportingFlow("1.xml", flowXml(org, first, [{ iuv, transferIndex: 1, amountCents: 10_000 }]), deps());
    const before = await repository().get(org, position.iupd);
    const outcome = await ingestReportingFlow(
      "2.xml",
      flowXml(org, second, [{ iuv, transferIndex: 1, amountCents: 10_000 }]),
      deps(),
    );
    expect(outcome).toMatchObject({ accepted: true, writes: 0 });
    const result = await store().readResult({ organization: org, flowDate: "2026-03-12", flowId: second });
    expect(result?.unapplied).toEqual([
      expect.objectContaining({
        status: "already-reported",
        iupd: position.iupd,
        detail: expect.stringContaining(first) as unknown,
      }),
    ]);
    expect((await repository().get(org, position.iupd))?.etag).toBe(before?.etag);
  });

  it("changes nothing when the same flow comes twice, and rejects another document under a taken name", async () => {
    const org = aFreshFiscalCode();
    const position = await aPosition(org, [{}]);
    const iuv = position.paymentOption[0]!.iuv;
    await pay(org, iuv);
    const flowId = aFlowId();
    const xml = flowXml(org, flowId, [{ iuv, transferIndex: 1, amountCents: 10_000 }]);
    await expect(ingestReportingFlow("f.xml", xml, deps())).resolves.toMatchObject({ accepted: true, writes: 1 });
    const once = await repository().get(org, position.iupd);
    const key = { organization: org, flowDate: "2026-03-12", flowId };
    const firstResult = await store().readResult(key);

    await expect(ingestReportingFlow("f.xml", xml, deps())).resolves.toMatchObject({ accepted: true, writes: 0 });
    expect((await repository().get(org, position.iupd))?.etag).toBe(once?.etag);
    const { processedAt: _p1, ...first } = firstResult!;
    const { processedAt: _p2, ...second } = (await store().readResult(key))!;
    expect(second).toEqual(first);

    const other = flowXml(org, flowId, [{ iuv, transferIndex: 1, amountCents: 9_999 }]);
    const conflict = await ingestReportingFlow("g.xml", other, deps());
    expect(conflict).toMatchObject({ accepted: false, reason: expect.stringMatching(/^conflict:/) as unknown });
    expect((await store().read(key))?.equals(xml)).toBe(true);
  });

  it("re-decides on fresh data when the EC changed the position between the read and the write", async () => {
    const org = aFreshFiscalCode();
    const position = await aPosition(org, [{}]);
    const iuv = position.paymentOption[0]!.iuv;
    await pay(org, iuv);
    const real = repository();
    const realLookup = lookup();
    let raced = false;
    const racing = {
      findByIuvs: async (o: string, iuvs: readonly string[]) => {
        const found = await realLookup.findByIuvs(o, iuvs);
        const hit = found.get(iuv);
        if (hit && !raced) {
          raced = true;
          await real.replace(hit, { ...hit.value, companyName: "changed meanwhile" });
        }
        return found;
      },
    };
    await expect(
      ingestReportingFlow("f.xml", flowXml(org, aFlowId(), [{ iuv, amountCents: 10_000 }]), deps({ lookup: racing })),
    ).resolves.toMatchObject({
      accepted: true,
      writes: 1,
    });
    expect(await read(org, position.iupd)).toMatchObject({ status: "REPORTED", companyName: "changed meanwhile" });
  });
});

describe("ingestReportingFlows over an inbox", () => {
  // A private inbox pair, so the host's own timer (which drains flows-inbox) never takes these files.
  const suffix = randomUUID().slice(0, 8);
  let inbox: ContainerClient;
  let rejected: ContainerClient;

  beforeAll(async () => {
    inbox = blobService().getContainerClient(`${blobContainers["flows-inbox"]}-it-${suffix}`);
    rejected = blobService().getContainerClient(`${blobContainers["flows-rejected"]}-it-${suffix}`);
    await inbox.createIfNotExists();
    await rejected.createIfNotExists();
  });

  afterAll(async () => {
    await inbox.deleteIfExists();
    await rejected.deleteIfExists();
  });

  const drop = async (name: string, xml: Buffer | string) => {
    const bytes = typeof xml === "string" ? Buffer.from(xml, "utf8") : xml;
    await inbox.getBlockBlobClient(name).upload(bytes, bytes.length);
  };
  const inboxNames = async () => {
    const names: string[] = [];
    for await (const b of inbox.listBlobsFlat()) names.push(b.name);
    return names;
  };

  it("moves hostile and invalid XML to the rejected container with the reason, and files nothing", async () => {
    const org = aFreshFiscalCode();
    const fixture = (name: string) => readFileSync(path.join(repositoryRoot, "test/fixtures/xml", name));
    await drop(`xxe-${suffix}.xml`, fixture("xxe-file.xml"));
    await drop(`laughs-${suffix}.xml`, fixture("billion-laughs.xml"));
    await drop(`totals-${suffix}.xml`, aFlowXml({ receiver: org, flowId: aFlowId(), totalPayments: 2 }));
    await drop(`receiver-${suffix}.xml`, aFlowXml({ receiver: "../77777777777", flowId: aFlowId() }));

    const summary = await runIngestReportingFlows({ ...deps(), inbox: new BlobInbox(inbox, rejected) });
    expect(summary).toMatchObject({ rejected: 4, accepted: 0, failed: 0 });
    expect(await inboxNames()).toEqual([]);
    const reasons = new Map<string, string | undefined>();
    for await (const b of rejected.listBlobsFlat({ includeMetadata: true })) reasons.set(b.name, b.metadata?.reason);
    expect(reasons.get(`xxe-${suffix}.xml`)).toMatch(/^dtd-forbidden/);
    expect(reasons.get(`laughs-${suffix}.xml`)).toMatch(/^dtd-forbidden/);
    expect(reasons.get(`totals-${suffix}.xml`)).toMatch(/^count-mismatch/);
    expect(reasons.get(`receiver-${suffix}.xml`)).toMatch(/^unknown-receiver/);
    expect(await store().list(org)).toEqual([]);
  });

  it("loses nothing when a run dies mid-flow: the file stays, and the next run finishes exactly the rest", async () => {
    const org = aFreshFiscalCode();
    const positions = await Promise.all(Array.from({ length: 24 }, () => aPosition(org, [{}])));
    for (const p of positions) await pay(org, p.paymentOption[0]!.iuv);
    const flowId = aFlowId();
    await drop(
      `crash-${suffix}.xml`,
      flowXml(
        org,
        flowId,
        positions.map((p) => ({ iuv: p.paymentOption[0]!.iuv, transferIndex: 1, amountCents: 10_000 })),
      ),
    );
    const real = repository();
    let writes = 0;
    const dying = withOverrides(real, {
      replace: async (p, n) => {
        if (++writes > 9) throw new Error("simulated crash");
        return await real.replace(p, n);
      },
    });
    await expect(
      runIngestReportingFlows({ ...deps({ positions: dying, concurrency: 1 }), inbox: new BlobInbox(inbox, rejected) }),
    ).rejects.toThrow(/stay in the inbox/);
    expect(await inboxNames()).toEqual([`crash-${suffix}.xml`]);
    const key = { organization: org, flowDate: "2026-03-12", flowId };
    expect(await store().read(key)).toBeDefined();
    const mid = await Promise.all(positions.map((p) => read(org, p.iupd)));
    expect(mid.filter((p) => p.status === "REPORTED")).toHaveLength(9);

    let rerunWrites = 0;
    const counting = withOverrides(real, {
      replace: async (p, n) => {
        rerunWrites += 1;
        return await real.replace(p, n);
      },
    });
    const summary = await runIngestReportingFlows({
      ...deps({ positions: counting }),
      inbox: new BlobInbox(inbox, rejected),
    });
    expect(summary).toMatchObject({ accepted: 1, failed: 0 });
    expect(rerunWrites).toBe(24 - 9);
    expect(await inboxNames()).toEqual([]);
    const after = await Promise.all(positions.map((p) => read(org, p.iupd)));
    expect(after.filter((p) => p.status !== "REPORTED")).toEqual([]);
    expect(await store().readResult(key)).toMatchObject({ entries: 24, reported: 24, notApplied: 0 });
  }, 60_000);
});
