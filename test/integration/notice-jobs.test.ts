// Notice batches against the real stores: positions in the Cosmos emulator, the job and its archive in Azurite's
// `notices` container, the message on Azurite's queue. The worker (NoticeService.run, what the queue trigger calls)
// runs here directly; the archive is fetched through its SAS link, unzipped with yauzl and its PDFs read back by the
// phone-like reader.
import { randomUUID } from "node:crypto";
import { QueueServiceClient } from "@azure/storage-queue";
import { createQueueServiceClient } from "../../shared/adapters/azure-clients";
import { BlobNoticeJobStore } from "../../shared/adapters/blob/blob-notice-job-store";
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { openNoticeArchive } from "../../shared/adapters/pdf/notice-archive";
import { renderNoticePdf } from "../../shared/adapters/pdf/notice-pdf";
import { StorageQueue } from "../../shared/adapters/queue/storage-queue";
import { noticeJobQueue } from "../../shared/adapters/queue/storage-queue-notice-jobs";
import type { CallContext } from "../../shared/application/call-context";
import { DebtPositionService } from "../../shared/application/debt-position-service";
import { NoticeService } from "../../shared/application/notice-service";
import type { DebtPosition, DebtPositionStatus, PaymentOption } from "../../shared/domain/debt-positions/model";
import type { NoticeJob, NoticeJobMessage, NoticeJobStore } from "../../shared/domain/notices/notice-job";
import { newOrganization } from "../../shared/domain/organizations/organization";
import { blobContainers, containers } from "../../shared/storage/definition";
import { aDebtPosition, aPaymentOption, aRegisteredPostalIban, aTransfer } from "../support/builders";
import { aFreshFiscalCode, organizationRepository } from "../support/keys";
import { readPdf } from "../support/read-pdf";
import { unzip } from "../support/unzip";
import { blobService, cosmosClient, testConfig } from "../support/stack";

jest.setTimeout(180_000);

const repository = () =>
  new CosmosDebtPositionRepository(
    cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions),
  );

const realStore = () => new BlobNoticeJobStore(blobService(), blobService().getContainerClient(blobContainers.notices));

/** The real store, recording every job document written (progress), so a test can look at the sequence. */
function recordingStore(saved: NoticeJob[]): NoticeJobStore {
  const real = realStore();
  return {
    create: (job) => real.create(job),
    get: (org, id) => real.get(org, id),
    read: (org, id) => real.read(org, id),
    save: async (job) => {
      saved.push(job);
      await real.save(job);
    },
    replace: async (job, etag) => {
      saved.push(job);
      return real.replace(job, etag);
    },
    uploadArchive: (job, type, body) => real.uploadArchive(job, type, body),
    downloadUrl: (name, expiresOn) => real.downloadUrl(name, expiresOn),
  };
}

function aService(options: { store?: NoticeJobStore; maxPositions?: number } = {}): NoticeService {
  const positions = repository();
  const organizations = organizationRepository();
  return new NoticeService({
    positions: new DebtPositionService({ repository: positions, organizations }),
    repository: positions,
    organizations,
    renderPdf: renderNoticePdf,
    openArchive: openNoticeArchive,
    jobs: options.store ?? realStore(),
    queue: new StorageQueue<NoticeJobMessage>(
      createQueueServiceClient(testConfig()).getQueueClient(noticeJobQueue.name),
    ),
    newJobId: randomUUID,
    clock: () => new Date(),
    maxPositions: options.maxPositions ?? 10_000,
    linkMinutes: 5,
    progressEveryMs: 0,
  });
}

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

function option(org: string, n: number, overrides: Partial<PaymentOption> = {}): PaymentOption {
  const iuv = `01${String(n).padStart(15, "0")}`;
  return aPaymentOption({
    iuv,
    nav: `3${iuv}`,
    organizationFiscalCode: org,
    amount: 1000 + n,
    dueDate: future(20 + n),
    transfer: [aTransfer({ organizationFiscalCode: org, amount: 1000 + n })],
    ...overrides,
  });
}

function position(org: string, n: number, status: DebtPositionStatus, options?: PaymentOption[]): DebtPosition {
  return aDebtPosition({
    organizationFiscalCode: org,
    iupd: `IUPD-${String(n).padStart(3, "0")}`,
    status,
    companyName: "Comune di Batch",
    paymentOption: options ?? [option(org, n)],
  });
}

describe("notice batches against Azurite and the Cosmos emulator", () => {
  const org = aFreshFiscalCode();
  const ctx = (): CallContext => ({
    organizationFiscalCode: org,
    caller: { subscriptionName: "test", organizations: [org], products: ["debt-positions"] },
    now: new Date(),
  });
  const valid = Array.from({ length: 8 }, (_, i) => i + 1);

  beforeAll(async () => {
    await organizationRepository().upsert(
      newOrganization({
        fiscalCode: org,
        companyName: "Comune di Batch",
        ibans: ["IT60X0542811101000000123456"],
        postalIbans: [aRegisteredPostalIban],
        cbill: "AB123",
        now: new Date(),
      }),
    );
    const repo = repository();
    for (const n of valid) await repo.create(position(org, n, "VALID"));
    await repo.create(
      position(org, 20, "VALID", [
        option(org, 20, {
          transfer: [aTransfer({ organizationFiscalCode: org, amount: 1020, postalIban: aRegisteredPostalIban })],
        }),
      ]),
    );
    await repo.create(
      position(org, 30, "VALID", [
        option(org, 31, { isPartialPayment: true }),
        option(org, 32, { isPartialPayment: true }),
      ]),
    );
    await repo.create(position(org, 40, "DRAFT"));
    await repo.create(position(org, 41, "INVALID"));
  });

  it("renders the named positions into a ZIP, skips the unprintable ones with the reason, links the archive", async () => {
    const service = aService();
    const iupds = [
      ...valid.map((n) => `IUPD-${String(n).padStart(3, "0")}`),
      "IUPD-020",
      "IUPD-030",
      "IUPD-040",
      "IUPD-041",
      "IUPD-404",
    ];
    const queued = await service.createJob(ctx(), { format: "ZIP", selection: { kind: "iupds", iupds } });
    expect(queued.status).toBe("QUEUED");

    const done = await service.run(org, queued.jobId, false);
    expect(done).toMatchObject({ status: "COMPLETED", total: 13, rendered: 10, skipped: 3 });
    expect(done?.skippedPositions).toEqual([
      { iupd: "IUPD-040", reason: expect.stringContaining("is DRAFT") as string },
      { iupd: "IUPD-041", reason: expect.stringContaining("is INVALID") as string },
      { iupd: "IUPD-404", reason: "not found" },
    ]);

    const view = await service.getJob(ctx(), queued.jobId);
    expect(view.download?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/notices\/.*\?.*sig=/);
    // The link needs no key: a plain GET, as a browser would do it.
    const response = await fetch(view.download?.url ?? "");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    const archive = Buffer.from(await response.arrayBuffer());
    expect(archive.length).toBe(view.job.archive?.size);

    const entries = await unzip(archive);
    expect([...entries.keys()].sort()).toEqual(
      [
        ...valid.map((n) => `avviso-IUPD-${String(n).padStart(3, "0")}.pdf`),
        "avviso-IUPD-020.pdf",
        "avviso-IUPD-030.pdf",
      ].sort(),
    );
    const postal = await readPdf(entries.get("avviso-IUPD-020.pdf") ?? Buffer.alloc(0));
    expect(postal[0]?.qrCodes).toEqual([`PAGOPA|002|301000000000000020|${org}|1020`]);
    expect(postal[0]?.dataMatrices[0]?.slice(15, 33)).toBe("301000000000000020");
    const plan = await readPdf(entries.get("avviso-IUPD-030.pdf") ?? Buffer.alloc(0));
    expect(plan.flatMap((p) => p.qrCodes).sort()).toEqual([
      `PAGOPA|002|301000000000000031|${org}|1031`,
      `PAGOPA|002|301000000000000032|${org}|1032`,
    ]);
  });

  it("renders a filter (status and due-date window) into one merged PDF, one QR code per payable option", async () => {
    const service = aService();
    const day = (iso: string) => iso.slice(0, 10);
    // Options 1..3 are due in 21..23 days: the window takes exactly those three positions.
    const queued = await service.createJob(ctx(), {
      format: "PDF",
      selection: {
        kind: "filter",
        status: "VALID",
        dueDate: { from: `${day(future(21))}T00:00:00.000Z`, to: `${day(future(23))}T23:59:59.999Z` },
      },
    });
    const done = await service.run(org, queued.jobId, false);
    expect(done).toMatchObject({ status: "COMPLETED", total: 3, rendered: 3, skipped: 0 });
    const view = await service.getJob(ctx(), queued.jobId);
    const pdf = Buffer.from(await (await fetch(view.download?.url ?? "")).arrayBuffer());
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const pages = await readPdf(pdf);
    expect(pages).toHaveLength(3);
    expect(pages.flatMap((p) => p.qrCodes).sort()).toEqual(
      [1, 2, 3].map((n) => `PAGOPA|002|3010000000000000${String(n).padStart(2, "0")}|${org}|${1000 + n}`),
    );
  });

  it("writes progress while it renders: the total first, then growing counts", async () => {
    const saved: NoticeJob[] = [];
    const service = aService({ store: recordingStore(saved) });
    const queued = await service.createJob(ctx(), {
      format: "ZIP",
      selection: { kind: "iupds", iupds: valid.map((n) => `IUPD-${String(n).padStart(3, "0")}`) },
    });
    await service.run(org, queued.jobId, false);
    const mine = saved.filter((j) => j.jobId === queued.jobId);
    expect(mine[0]?.status).toBe("RUNNING");
    expect(mine.find((j) => j.total !== undefined)?.rendered).toBe(0);
    const counts = mine.map((j) => j.rendered);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(new Set(counts.filter((c) => c > 0 && c < valid.length)).size).toBeGreaterThan(2);
    expect(mine.at(-1)).toMatchObject({ status: "COMPLETED", rendered: valid.length });
  });

  it("puts one base64 JSON message naming the job on the notice-jobs queue", async () => {
    const service = aService();
    const queued = await service.createJob(ctx(), { format: "ZIP", selection: { kind: "iupds", iupds: ["IUPD-001"] } });
    const queue = QueueServiceClient.fromConnectionString(testConfig().storage.connectionString ?? "").getQueueClient(
      "notice-jobs",
    );
    const seen: unknown[] = [];
    for (let i = 0; i < 10 && !seen.some((m) => (m as { jobId?: string }).jobId === queued.jobId); i++) {
      const peeked = await queue.peekMessages({ numberOfMessages: 32 });
      seen.push(
        ...peeked.peekedMessageItems.map(
          (m) => JSON.parse(Buffer.from(m.messageText, "base64").toString("utf8")) as unknown,
        ),
      );
    }
    expect(seen).toContainEqual({ organizationFiscalCode: org, jobId: queued.jobId });
  });

  it("leaves a finished job alone when its message comes again, and a job another worker is running", async () => {
    const service = aService();
    const queued = await service.createJob(ctx(), { format: "ZIP", selection: { kind: "iupds", iupds: ["IUPD-001"] } });
    const first = await service.run(org, queued.jobId, false);
    const again = await service.run(org, queued.jobId, false);
    expect(again).toEqual(first);

    const store = realStore();
    const other = await service.createJob(ctx(), { format: "ZIP", selection: { kind: "iupds", iupds: ["IUPD-001"] } });
    const running = { ...other, status: "RUNNING" as const, updatedAt: new Date().toISOString() };
    await store.save(running);
    expect(await service.run(org, other.jobId, false)).toEqual(running);
  });

  it("refuses at once a filter that selects more positions than a batch holds", async () => {
    const service = aService({ maxPositions: 5 });
    await expect(service.createJob(ctx(), { format: "ZIP", selection: { kind: "filter" } })).rejects.toMatchObject({
      status: 400,
      detail: expect.stringMatching(/selects 10 positions; a notice batch holds at most 5/) as string,
    });
  });

  it("skips a stored position that no longer parses with its reason, and renders the others (ADR 0065)", async () => {
    const other = aFreshFiscalCode();
    await organizationRepository().upsert(
      newOrganization({
        fiscalCode: other,
        companyName: "Comune di Batch",
        ibans: ["IT60X0542811101000000123456"],
        cbill: "AB123",
        now: new Date(),
      }),
    );
    const repo = repository();
    await repo.create(position(other, 1, "VALID"));
    await repo.create(position(other, 2, "VALID"));
    // What the old notification fee left: an amount beyond a safe integer.
    const item = cosmosClient()
      .database(testConfig().cosmos.database)
      .container(containers.debtpositions)
      .item("position:IUPD-002", other);
    const { resource } = await item.read<{ paymentOption: Record<string, unknown>[] }>();
    if (resource === undefined) throw new Error("not stored");
    resource.paymentOption[0] = { ...resource.paymentOption[0], amount: 9007199254750992 };
    await item.replace(resource);

    const service = aService();
    const own = { ...ctx(), organizationFiscalCode: other, caller: { ...ctx().caller, organizations: [other] } };
    const queued = await service.createJob(own, {
      format: "ZIP",
      selection: { kind: "iupds", iupds: ["IUPD-001", "IUPD-002"] },
    });
    const done = await service.run(other, queued.jobId, false);
    expect(done).toMatchObject({ status: "COMPLETED", total: 2, rendered: 1, skipped: 1 });
    expect(done?.skippedPositions).toEqual([
      { iupd: "IUPD-002", reason: expect.stringContaining("can no longer read (paymentOption.0.amount") as string },
    ]);
  });
});
