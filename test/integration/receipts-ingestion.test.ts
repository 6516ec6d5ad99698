// ingestReceipts against Azurite and the Cosmos emulator (docs/adr/0008-receipts.md): a payment, installments, the duplicate /
// second-receipt / unknown / mismatch / hostile files, 200 receipts in one run, and a crash at every step followed
// by a re-run. Each test gets its own inbox containers (the host's timer works on the real `receipts-inbox`, and
// must not take our files), while receipts are filed in the real `receipts` container and index, under fresh
// organizations.
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import { BlobInbox } from "../../shared/adapters/blob/blob-inbox";
import { BlobReceiptStore } from "../../shared/adapters/blob/blob-receipt-store";
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { CosmosReceiptRepository, receiptDocumentId } from "../../shared/adapters/cosmos/cosmos-receipt-repository";
import type { Inbox } from "../../shared/application/inbox";
import { ingestReceipts, type ReceiptIngestionDeps } from "../../shared/application/receipt-ingestion";
import type { DebtPosition, PaymentOption } from "../../shared/domain/debt-positions/model";
import type { DebtPositionRepository } from "../../shared/domain/debt-positions/ports";
import type { ReceiptRepository, ReceiptStore } from "../../shared/domain/receipts/ports";
import { silentLogger as silent } from "../../shared/logging/logger";
import { blobContainers, containers } from "../../shared/storage/definition";
import { aDebtPosition, aPaymentOption, aTransfer } from "../support/builders";
import { aFreshFiscalCode } from "../support/keys";
import { aFreshIuv } from "../support/gpd-client";
import { aReceiptXml, type ReceiptXmlOptions } from "../support/xml-builders";
import { blobService, cosmosClient, testConfig } from "../support/stack";

const now = new Date("2026-03-10T10:00:00.000Z");
const fixtures = path.resolve(__dirname, "../fixtures/xml");

const database = () => cosmosClient().database(testConfig().cosmos.database);
const positions = () => new CosmosDebtPositionRepository(database().container(containers.debtpositions));
const receiptIndex = () => new CosmosReceiptRepository(database().container(containers.receipts));
const receiptStore = () => new BlobReceiptStore(blobService().getContainerClient(blobContainers.receipts));

interface TestInbox {
  inbox: BlobInbox;
  incoming: ContainerClient;
  rejected: ContainerClient;
  drop(name: string, xml: string | Buffer): Promise<void>;
  names(container: ContainerClient): Promise<string[]>;
  reasonOf(name: string): Promise<string | undefined>;
}

const created: ContainerClient[] = [];

async function aTestInbox(): Promise<TestInbox> {
  const suffix = `${Date.now().toString(36)}-${randomInt(0, 1_000_000)}`;
  const incoming = blobService().getContainerClient(`it-rcpt-in-${suffix}`);
  const rejected = blobService().getContainerClient(`it-rcpt-rej-${suffix}`);
  await Promise.all([incoming.create(), rejected.create()]);
  created.push(incoming, rejected);
  const names = async (container: ContainerClient) => {
    const out: string[] = [];
    for await (const b of container.listBlobsFlat()) out.push(b.name);
    return out.sort();
  };
  return {
    inbox: new BlobInbox(incoming, rejected, () => now),
    incoming,
    rejected,
    drop: async (name, xml) => {
      const bytes = typeof xml === "string" ? Buffer.from(xml, "utf8") : xml;
      await incoming.getBlockBlobClient(name).uploadData(bytes);
    },
    names,
    reasonOf: async (name) => (await rejected.getBlobClient(name).getProperties()).metadata?.reason,
  };
}

afterAll(async () => {
  await Promise.all(created.map((c) => c.deleteIfExists()));
});

function depsFor(inbox: Inbox, overrides: Partial<ReceiptIngestionDeps> = {}): ReceiptIngestionDeps {
  return {
    inbox,
    positions: positions(),
    receipts: receiptIndex(),
    store: receiptStore(),
    clock: () => now,
    log: silent,
    ...overrides,
  };
}

/** A VALID position of `org` with one single option per IUV (or the options given). */
async function aStoredPosition(org: string, options: PaymentOption[]): Promise<DebtPosition> {
  const position = aDebtPosition({
    organizationFiscalCode: org,
    iupd: `IUPD-${aFreshIuv()}`,
    status: "VALID",
    paymentOption: options,
  });
  await positions().create(position);
  return position;
}

const anOption = (org: string, iuv: string, amount = 10_000, overrides: Partial<PaymentOption> = {}): PaymentOption =>
  aPaymentOption({
    iuv,
    organizationFiscalCode: org,
    amount,
    transfer: [aTransfer({ organizationFiscalCode: org, amount })],
    ...overrides,
  });

const receiptFor = (org: string, iuv: string, o: ReceiptXmlOptions = {}) =>
  aReceiptXml({ idPA: org, iuv, receiptId: `R-${iuv}`, ...o });

async function stored(org: string, iupd: string): Promise<DebtPosition> {
  const p = await positions().get(org, iupd);
  if (p === undefined) throw new Error(`position ${iupd} vanished`);
  return p.value;
}

async function indexEntry(org: string, iuv: string): Promise<Record<string, unknown> | undefined> {
  try {
    const { resource } = await database()
      .container(containers.receipts)
      .item(receiptDocumentId(iuv), org)
      .read<Record<string, unknown>>();
    return resource;
  } catch {
    return undefined;
  }
}

describe("ingestReceipts", () => {
  it("pays a single option: option PO_PAID with the receipt's data, position PAID, XML filed and indexed, inbox empty", async () => {
    const t = await aTestInbox();
    const org = aFreshFiscalCode();
    const iuv = aFreshIuv();
    const position = await aStoredPosition(org, [anOption(org, iuv, 12_345)]);
    const xml = receiptFor(org, iuv, {
      amountCents: 12_345,
      feeCents: 150,
      paymentDateTime: "2026-03-10T10:15:30+01:00",
      soapEnvelope: true,
    });
    await t.drop("r1.xml", xml);

    const summary = await ingestReceipts(depsFor(t.inbox));

    expect(summary).toMatchObject({ examined: 1, accepted: 1, rejected: 0, failed: 0 });
    const after = await stored(org, position.iupd);
    expect(after.status).toBe("PAID");
    expect(after.paymentDate).toBe("2026-03-10T09:15:30.000Z");
    expect(after.paymentOption[0]).toMatchObject({
      status: "PO_PAID",
      paymentDate: "2026-03-10T09:15:30.000Z",
      paymentMethod: "creditCard",
      pspCompany: "Banca di Prova",
      pspCode: "PSPTEST01",
      idReceipt: `R-${iuv}`,
      fee: 150,
    });
    expect((await receiptStore().get(org, iuv))?.toString("utf8")).toBe(xml);
    expect(await indexEntry(org, iuv)).toMatchObject({
      organizationFiscalCode: org,
      iuv,
      debtorFiscalCode: "RSSMRA80A01H501U",
      paymentDateTime: "2026-03-10T09:15:30.000Z",
      receiptId: `R-${iuv}`,
      noticeNumber: `3${iuv}`,
      segregationCode: iuv.slice(0, 2),
    });
    expect(await t.names(t.incoming)).toEqual([]);
    expect(await t.names(t.rejected)).toEqual([]);
  });

  it("pays installments one by one: PARTIALLY_PAID, then PAID with the last payment date", async () => {
    const t = await aTestInbox();
    const org = aFreshFiscalCode();
    const [single, first, second] = [aFreshIuv(), aFreshIuv(), aFreshIuv()];
    const position = await aStoredPosition(org, [
      anOption(org, single, 20_000),
      anOption(org, first, 10_000, { isPartialPayment: true }),
      anOption(org, second, 10_000, { isPartialPayment: true }),
    ]);

    await t.drop("i1.xml", receiptFor(org, first, { amountCents: 10_000, paymentDateTime: "2026-03-01T08:00:00Z" }));
    await ingestReceipts(depsFor(t.inbox));
    const half = await stored(org, position.iupd);
    expect(half.status).toBe("PARTIALLY_PAID");
    expect(half.paymentDate).toBeUndefined();

    // Once an installment is paid, the single option may no longer be paid (docs/domain/statuses.md#derived cross-payment guard);
    // one file at a time, in name order, so the single option comes between the two installments.
    await t.drop("a-single.xml", receiptFor(org, single, { amountCents: 20_000 }));
    await t.drop("i2.xml", receiptFor(org, second, { amountCents: 10_000, paymentDateTime: "2026-03-05T08:00:00Z" }));
    const summary = await ingestReceipts(depsFor(t.inbox, { concurrency: 1 }));
    expect(summary).toMatchObject({ accepted: 1, rejected: 1 });
    expect(await t.reasonOf("a-single.xml")).toMatch(/^PAYMENT_OPTION_NOT_FOUND/);

    const paid = await stored(org, position.iupd);
    expect(paid.status).toBe("PAID");
    expect(paid.paymentDate).toBe("2026-03-05T08:00:00.000Z");
    expect(paid.paymentOption.map((o) => o.status)).toEqual(["PO_UNPAID", "PO_PAID", "PO_PAID"]);
  });

  it("applies receipts for every installment of one plan arriving together (handled concurrently, races re-decided)", async () => {
    const t = await aTestInbox();
    const org = aFreshFiscalCode();
    const iuvs = Array.from({ length: 6 }, () => aFreshIuv());
    const position = await aStoredPosition(
      org,
      iuvs.map((iuv) => anOption(org, iuv, 5_000, { isPartialPayment: true })),
    );
    for (const [i, iuv] of iuvs.entries()) await t.drop(`plan-${i}.xml`, receiptFor(org, iuv, { amountCents: 5_000 }));
    const summary = await ingestReceipts(depsFor(t.inbox, { concurrency: 4 }));
    expect(summary).toMatchObject({ accepted: 6, rejected: 0, failed: 0 });
    const paid = await stored(org, position.iupd);
    expect(paid.status).toBe("PAID");
    expect(paid.paymentOption.every((o) => o.status === "PO_PAID")).toBe(true);
  });

  it("changes nothing when the same receipt comes again", async () => {
    const t = await aTestInbox();
    const org = aFreshFiscalCode();
    const iuv = aFreshIuv();
    const position = await aStoredPosition(org, [anOption(org, iuv)]);
    const xml = receiptFor(org, iuv);
    await t.drop("first.xml", xml);
    await ingestReceipts(depsFor(t.inbox));
    const before = {
      position: (await positions().get(org, position.iupd))?.etag,
      blob: (
        await blobService()
          .getContainerClient(blobContainers.receipts)
          .getBlobClient(receiptStore().nameOf(org, iuv))
          .getProperties()
      ).etag,
      index: (await indexEntry(org, iuv))?._etag,
    };

    await t.drop("again.xml", xml);
    const summary = await ingestReceipts(depsFor(t.inbox));

    expect(summary).toMatchObject({ accepted: 1, rejected: 0, failed: 0 });
    expect({
      position: (await positions().get(org, position.iupd))?.etag,
      blob: (
        await blobService()
          .getContainerClient(blobContainers.receipts)
          .getBlobClient(receiptStore().nameOf(org, iuv))
          .getProperties()
      ).etag,
      index: (await indexEntry(org, iuv))?._etag,
    }).toEqual(before);
    expect(await t.names(t.incoming)).toEqual([]);
  });

  it("rejects a different receipt for an option already paid, an unknown position and an amount mismatch; the rest goes on", async () => {
    const t = await aTestInbox();
    const org = aFreshFiscalCode();
    const [paid, mismatched, good] = [aFreshIuv(), aFreshIuv(), aFreshIuv()];
    const position = await aStoredPosition(org, [anOption(org, paid)]);
    const other = await aStoredPosition(org, [anOption(org, mismatched, 5_000)]);
    await aStoredPosition(org, [anOption(org, good)]);
    const firstXml = receiptFor(org, paid);
    await t.drop("a-first.xml", firstXml);
    await ingestReceipts(depsFor(t.inbox));

    await t.drop("b-second.xml", receiptFor(org, paid, { receiptId: "ANOTHER-RECEIPT" }));
    await t.drop("c-unknown.xml", receiptFor(org, aFreshIuv()));
    await t.drop("d-unknown-org.xml", receiptFor(aFreshFiscalCode(), paid));
    await t.drop("e-mismatch.xml", receiptFor(org, mismatched, { amountCents: 5_001 }));
    await t.drop("f-good.xml", receiptFor(org, good));
    const summary = await ingestReceipts(depsFor(t.inbox));

    expect(summary).toMatchObject({ examined: 5, accepted: 1, rejected: 4, failed: 0 });
    expect(await t.names(t.rejected)).toEqual(["b-second.xml", "c-unknown.xml", "d-unknown-org.xml", "e-mismatch.xml"]);
    expect(await t.reasonOf("b-second.xml")).toMatch(/^PAYMENT_OPTION_ALREADY_PAID/);
    expect(await t.reasonOf("c-unknown.xml")).toMatch(/^unknown-position/);
    expect(await t.reasonOf("d-unknown-org.xml")).toMatch(/^unknown-position/);
    expect(await t.reasonOf("e-mismatch.xml")).toMatch(/^amount-mismatch: the receipt pays 5001 cents/);
    expect(await t.names(t.incoming)).toEqual([]);
    // The first receipt stays the one filed, and the mismatched option stays unpaid.
    expect((await receiptStore().get(org, paid))?.toString("utf8")).toBe(firstXml);
    expect((await stored(org, position.iupd)).paymentOption[0]?.idReceipt).toBe(`R-${paid}`);
    expect((await stored(org, other.iupd)).paymentOption[0]?.status).toBe("PO_UNPAID");
    expect(await indexEntry(org, mismatched)).toBeUndefined();
  });

  it("rejects hostile and invalid XML fast and harmlessly, with the reason in the metadata", async () => {
    const t = await aTestInbox();
    const org = aFreshFiscalCode();
    const iuv = aFreshIuv();
    await aStoredPosition(org, [anOption(org, iuv)]);
    const billionLaughs = readFileSync(path.join(fixtures, "billion-laughs.xml"));
    const xxe = receiptFor(org, iuv)
      .replace(
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n',
      )
      .replace("<description>Test payment</description>", "<description>&secret;</description>");
    await t.drop("billion-laughs.xml", billionLaughs);
    await t.drop("xxe.xml", xxe);
    await t.drop("malformed.xml", "<pafn:paSendRTV2Request xmlns:pafn='x'><idPA>");
    await t.drop("not-a-receipt.xml", "<hello/>");
    await t.drop("schema.xml", receiptFor(org, iuv).replace(/<idChannel>.*<\/idChannel>/, ""));
    await t.drop("too-large.xml", Buffer.alloc(1024 * 1024 + 1, 0x20));
    await t.drop("z-valid.xml", receiptFor(org, iuv));

    // What each refusal costs is bounded in the parsers' own tests (size and allocation, test/unit/xml); the bench
    // times them. Here: every hostile file is refused for its own reason and the valid one still goes through.
    const summary = await ingestReceipts(depsFor(t.inbox));

    expect(summary).toMatchObject({ examined: 7, accepted: 1, rejected: 6, failed: 0 });
    expect(await t.reasonOf("billion-laughs.xml")).toMatch(/^xml-dtd-forbidden/);
    expect(await t.reasonOf("xxe.xml")).toMatch(/^xml-dtd-forbidden/);
    expect(await t.reasonOf("malformed.xml")).toMatch(/^xml-malformed/);
    expect(await t.reasonOf("not-a-receipt.xml")).toMatch(/^receipt-not-a-receipt/);
    expect(await t.reasonOf("schema.xml")).toMatch(/^receipt-schema-violation/);
    expect(await t.reasonOf("too-large.xml")).toMatch(/^too-large/);
    // Kept byte for byte for the operators.
    expect(await t.rejected.getBlobClient("billion-laughs.xml").downloadToBuffer()).toEqual(billionLaughs);
    expect(await t.names(t.incoming)).toEqual([]);
  });

  it("ingests 200 receipts in one run", async () => {
    const t = await aTestInbox();
    const org = aFreshFiscalCode();
    const iuvs = Array.from({ length: 200 }, () => aFreshIuv());
    const seeded: DebtPosition[] = [];
    for (let i = 0; i < iuvs.length; i += 25) {
      seeded.push(
        ...(await Promise.all(iuvs.slice(i, i + 25).map((iuv) => aStoredPosition(org, [anOption(org, iuv)])))),
      );
    }
    for (let i = 0; i < iuvs.length; i += 25) {
      await Promise.all(iuvs.slice(i, i + 25).map((iuv, k) => t.drop(`bulk-${i + k}.xml`, receiptFor(org, iuv))));
    }

    const started = Date.now();
    const summary = await ingestReceipts(depsFor(t.inbox));
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `[receipts] 200 receipts ingested in ${seconds.toFixed(2)} s (${(200 / seconds).toFixed(1)}/s)\n`,
    );

    expect(summary).toMatchObject({ examined: 200, accepted: 200, rejected: 0, failed: 0 });
    const page = await receiptIndex().list({ organizationFiscalCode: org, page: 0, limit: 999 });
    expect(page.items.map((r) => r.iuv).sort()).toEqual([...iuvs].sort());
    expect(page.morePages).toBe(false);
    const statuses = await Promise.all(seeded.map(async (p) => (await stored(org, p.iupd)).status));
    expect(new Set(statuses)).toEqual(new Set(["PAID"]));
    expect(await t.names(t.incoming)).toEqual([]);
  }, 120_000);

  it("finishes the same file once when two runs race on it", async () => {
    const t = await aTestInbox();
    const org = aFreshFiscalCode();
    const iuv = aFreshIuv();
    const position = await aStoredPosition(org, [anOption(org, iuv)]);
    await t.drop("race.xml", receiptFor(org, iuv));

    const results = await Promise.allSettled([ingestReceipts(depsFor(t.inbox)), ingestReceipts(depsFor(t.inbox))]);

    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    expect((await stored(org, position.iupd)).status).toBe("PAID");
    expect(await t.names(t.rejected)).toEqual([]);
    expect(await t.names(t.incoming)).toEqual([]);
  });

  describe("a crash mid-file loses nothing: the next run finishes it", () => {
    const crash = () => {
      throw new Error("injected crash");
    };
    type Wrap = (d: ReceiptIngestionDeps) => Partial<ReceiptIngestionDeps>;
    const cases: [string, Wrap][] = [
      [
        "before the position write",
        (d) => ({ positions: { ...methodsOf(d.positions), replace: async () => Promise.resolve(crash()) } }),
      ],
      [
        "after the position write, before its answer",
        (d) => ({
          positions: {
            ...methodsOf(d.positions),
            replace: async (p, n) => {
              await d.positions.replace(p, n);
              return crash();
            },
          },
        }),
      ],
      [
        "before the XML is filed",
        (d) => ({ store: { ...storeMethods(d.store), put: async () => Promise.resolve(crash()) } }),
      ],
      [
        "after the XML is filed, before it is indexed",
        (d) => ({ receipts: { ...indexMethods(d.receipts), add: async () => Promise.resolve(crash()) } }),
      ],
      [
        "after it is indexed, before the inbox file is removed",
        (d) => ({ inbox: { ...inboxMethods(d.inbox), remove: async () => Promise.resolve(crash()) } }),
      ],
    ];

    it.each(cases)("%s", async (_label, wrap) => {
      const t = await aTestInbox();
      const org = aFreshFiscalCode();
      const iuv = aFreshIuv();
      const position = await aStoredPosition(org, [anOption(org, iuv)]);
      const xml = receiptFor(org, iuv);
      await t.drop("crash.xml", xml);
      const real = depsFor(t.inbox);

      await expect(ingestReceipts({ ...real, ...wrap(real) })).rejects.toThrow(/1 file\(s\) failed/);
      expect(await t.names(t.incoming)).toEqual(["crash.xml"]);

      const summary = await ingestReceipts(depsFor(t.inbox));

      expect(summary).toMatchObject({ accepted: 1, rejected: 0, failed: 0 });
      const after = await stored(org, position.iupd);
      expect(after.status).toBe("PAID");
      expect(after.paymentOption[0]?.idReceipt).toBe(`R-${iuv}`);
      expect((await receiptStore().get(org, iuv))?.toString("utf8")).toBe(xml);
      expect(await indexEntry(org, iuv)).toMatchObject({ receiptId: `R-${iuv}` });
      expect(await t.names(t.incoming)).toEqual([]);
      expect(await t.names(t.rejected)).toEqual([]);
    });
  });
});

// Fault injection at the ports: the real adapters with one method replaced (real emulators underneath).
function methodsOf(real: DebtPositionRepository): DebtPositionRepository {
  return {
    get: (o, i) => real.get(o, i),
    findByPaymentReference: (o, r) => real.findByPaymentReference(o, r),
    create: (p) => real.create(p),
    createMany: (p, b) => real.createMany(p, b),
    recoverBulks: (s) => real.recoverBulks(s),
    replace: (p, n) => real.replace(p, n),
    delete: (p) => real.delete(p),
    list: (q) => real.list(q),
    findJobCandidates: (k, n, s, c) => real.findJobCandidates(k, n, s, c),
    replaceMany: (c) => real.replaceMany(c),
    deleteMany: (p) => real.deleteMany(p),
    findByChangeableIban: (o, i, s, c) => real.findByChangeableIban(o, i, s, c),
  };
}

function storeMethods(real: ReceiptStore): ReceiptStore {
  return {
    nameOf: (o, i) => real.nameOf(o, i),
    put: (o, i, r, x) => real.put(o, i, r, x),
    get: (o, i) => real.get(o, i),
  };
}

function indexMethods(real: ReceiptRepository): ReceiptRepository {
  return { add: (e) => real.add(e), list: (q) => real.list(q) };
}

function inboxMethods(real: Inbox): Inbox {
  return {
    list: () => real.list(),
    read: (n) => real.read(n),
    reject: (n, r, b) => real.reject(n, r, b),
    remove: (n) => real.remove(n),
  };
}
