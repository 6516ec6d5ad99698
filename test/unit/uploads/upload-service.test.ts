// UploadService against typed in-memory ports: a chunk whose writes fail is retried (the error goes back to the
// queue) until its last delivery, which records every item as not applied so the upload still ends with a report;
// a chunk re-run after a failed first run sends its bulk again and creates everything once.
import type { CallContext } from "../../../shared/application/call-context";
import { DebtPositionService } from "../../../shared/application/debt-position-service";
import { UploadService } from "../../../shared/application/upload-service";
import type { DebtPositionInput } from "../../../shared/domain/debt-positions/model";
import { DomainError } from "../../../shared/domain/errors";
import { newOrganization } from "../../../shared/domain/organizations/organization";
import type {
  UploadChunkMessage,
  UploadFilePage,
  UploadQueue,
  UploadRepository,
  UploadStore,
} from "../../../shared/domain/uploads/ports";
import type { ChunkOutcome, UploadFile, UploadReport } from "../../../shared/domain/uploads/upload";
import {
  aDebtPositionInput,
  anOrganizationFiscalCode,
  aPaymentOptionInput,
  aRegisteredIban,
} from "../../support/builders";
import { InMemoryDebtPositionRepository, InMemoryOrganizationRepository } from "../../support/fakes";

const now = new Date("2026-06-01T10:00:00.000Z");
const org = anOrganizationFiscalCode;
const broker = "15376371009";

/** Upload records, chunk and report blobs, and the chunk queue, kept as the Cosmos/Blob/Queue adapters keep them. */
class InMemoryUploads implements UploadRepository, UploadStore, UploadQueue {
  readonly files = new Map<string, UploadFile>();
  readonly started = new Map<string, { existing: string[]; swept: boolean }>();
  readonly finished = new Set<string>();
  readonly recorded = new Map<string, Required<ChunkOutcome>>();
  readonly blobs = new Map<string, unknown[]>();
  readonly reports = new Map<string, UploadReport>();
  readonly sent: UploadChunkMessage[] = [];

  createFile(file: UploadFile): Promise<void> {
    this.files.set(file.fileId, structuredClone(file));
    return Promise.resolve();
  }
  findFile(_org: string, fileId: string): Promise<UploadFile | undefined> {
    return Promise.resolve(this.files.get(fileId));
  }
  listFiles(): Promise<UploadFilePage> {
    return Promise.resolve({ files: [...this.files.values()], continuation: undefined });
  }
  startChunk(_org: string, fileId: string, chunk: number, existing: readonly string[], by = "worker") {
    const key = `${fileId}/${chunk}`;
    const first = this.started.get(key);
    if (first !== undefined)
      return Promise.resolve({ firstRun: false, existing: [...first.existing], swept: first.swept });
    this.started.set(key, { existing: [...existing], swept: by === "sweeper" });
    return Promise.resolve({ firstRun: true, existing: [...existing], swept: by === "sweeper" });
  }
  unfinishedFiles(startedBefore: string, limit: number): Promise<UploadFile[]> {
    return Promise.resolve(
      [...this.files.values()]
        .filter((f) => !this.finished.has(f.fileId) && f.startTime < startedBefore)
        .slice(0, limit),
    );
  }
  markFinished(_org: string, fileId: string): Promise<void> {
    this.finished.add(fileId);
    return Promise.resolve();
  }
  isChunkRecorded(_org: string, fileId: string, chunk: number): Promise<boolean> {
    return Promise.resolve(this.recorded.has(`${fileId}/${chunk}`));
  }
  recordChunk(_org: string, fileId: string, outcome: Required<ChunkOutcome>): Promise<boolean> {
    const key = `${fileId}/${outcome.chunk}`;
    if (this.recorded.has(key)) return Promise.resolve(false);
    this.recorded.set(key, structuredClone(outcome));
    return Promise.resolve(true);
  }
  chunks(_org: string, fileId: string, withOutcomes: boolean): Promise<ChunkOutcome[]> {
    return Promise.resolve(
      [...this.recorded.entries()]
        .filter(([key]) => key.startsWith(`${fileId}/`))
        .map(([, c]) => (withOutcomes ? c : { chunk: c.chunk, processed: c.processed, succeeded: c.succeeded })),
    );
  }
  putChunk(_org: string, fileId: string, chunk: number, items: readonly unknown[]): Promise<void> {
    this.blobs.set(`${fileId}/${chunk}`, structuredClone([...items]));
    return Promise.resolve();
  }
  getChunk(_org: string, fileId: string, chunk: number): Promise<unknown[] | undefined> {
    return Promise.resolve(this.blobs.get(`${fileId}/${chunk}`));
  }
  putReport(_org: string, fileId: string, report: UploadReport): Promise<void> {
    if (!this.reports.has(fileId)) this.reports.set(fileId, structuredClone(report));
    return Promise.resolve();
  }
  getReport(_org: string, fileId: string): Promise<UploadReport | undefined> {
    return Promise.resolve(this.reports.get(fileId));
  }
  send(message: UploadChunkMessage): Promise<void> {
    this.sent.push(message);
    return Promise.resolve();
  }
}

const outage = () => new DomainError("SERVICE_UNAVAILABLE", "The store did not answer in time");

function setup() {
  const repository = new InMemoryDebtPositionRepository();
  const organizations = new InMemoryOrganizationRepository([
    {
      ...newOrganization({
        fiscalCode: org,
        companyName: "Comune di Test",
        ibans: [aRegisteredIban],
        auxDigit: "3",
        now,
      }),
      brokerCode: broker,
    },
  ]);
  const positions = new DebtPositionService({ repository, organizations });
  const uploads = new InMemoryUploads();
  let ids = 0;
  const service = new UploadService({
    uploads,
    store: uploads,
    queue: uploads,
    organizations,
    positions,
    clock: () => now,
    newId: () => `file-${(ids += 1)}`,
  });
  const ctx: CallContext = {
    organizationFiscalCode: org,
    caller: { subscriptionName: "test", organizations: [org], products: ["debt-positions"] },
    now,
  };
  return { repository, uploads, service, ctx };
}

const threePositions = (): DebtPositionInput[] =>
  [1, 2, 3].map((n) =>
    aDebtPositionInput({
      iupd: `IUPD-${n}`,
      paymentOption: [aPaymentOptionInput({ iuv: `0100000000000000${n}` })],
    }),
  );
const asIs = (item: unknown) => item as DebtPositionInput;

describe("UploadService.processChunk", () => {
  it("gives a failing chunk back to the queue, and on the last delivery reports its items as not applied", async () => {
    const { repository, uploads, service, ctx } = setup();
    const file = await service.submit(ctx, broker, "CREATE", { paymentPositions: threePositions() }, false);
    const [message] = uploads.sent;
    if (message === undefined) throw new Error("no chunk message");
    repository.createMany = () => Promise.reject(outage());
    repository.create = () => Promise.reject(outage());

    await expect(service.processChunk(message, asIs)).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(uploads.recorded.size).toBe(0);
    expect((await service.status(ctx, broker, file.fileId)).operationStatus).toBe("IN_PROGRESS");

    await service.processChunk(message, asIs, true);
    const report = await service.report(ctx, broker, file.fileId);
    expect(report.responses.map((r) => [r.statusCode, r.requestIDs])).toEqual([[503, ["IUPD-1", "IUPD-2", "IUPD-3"]]]);
    expect(report.responses[0]?.statusMessage).toMatch(/NOT APPLIED.*submit this item again/);
    expect((await service.status(ctx, broker, file.fileId)).operationStatus).toBe("COMPLETED_UNSUCCESSFULLY");
    expect(repository.all()).toEqual([]);
  });

  it("re-runs a chunk whose first run failed by sending the same bulk again: every position created once", async () => {
    const { repository, uploads, service, ctx } = setup();
    const file = await service.submit(ctx, broker, "CREATE", { paymentPositions: threePositions() }, true);
    const [message] = uploads.sent;
    if (message === undefined) throw new Error("no chunk message");
    const realCreateMany = repository.createMany.bind(repository);
    const bulkIds: string[] = [];
    let failNext = true;
    repository.createMany = async (positions, bulk) => {
      bulkIds.push(bulk?.bulkId ?? "");
      if (failNext) {
        failNext = false;
        throw outage();
      }
      await realCreateMany(positions, bulk);
    };

    await expect(service.processChunk(message, asIs)).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    await service.processChunk(message, asIs);
    expect(bulkIds).toHaveLength(2);
    expect(bulkIds[1]).toBe(bulkIds[0]);
    const report = await service.report(ctx, broker, file.fileId);
    expect(report.responses.map((r) => [r.statusCode, r.requestIDs])).toEqual([[201, ["IUPD-1", "IUPD-2", "IUPD-3"]]]);
    expect(repository.all().map((p) => [p.iupd, p.status])).toEqual([
      ["IUPD-1", "VALID"],
      ["IUPD-2", "VALID"],
      ["IUPD-3", "VALID"],
    ]);
  });

  it("says IN_PROGRESS while every chunk is recorded but the report is not yet written", async () => {
    const { uploads, service, ctx } = setup();
    const file = await service.submit(ctx, broker, "CREATE", { paymentPositions: threePositions() }, false);
    const [message] = uploads.sent;
    if (message === undefined) throw new Error("no chunk message");
    const putReport = uploads.putReport.bind(uploads);
    uploads.putReport = () => Promise.reject(new Error("the worker died before the report"));
    await expect(service.processChunk(message, asIs)).rejects.toThrow(/before the report/);
    expect(await service.status(ctx, broker, file.fileId)).toMatchObject({
      processedItem: 3,
      operationStatus: "IN_PROGRESS",
    });
    await expect(service.report(ctx, broker, file.fileId)).rejects.toMatchObject({ code: "UPLOAD_REPORT_NOT_READY" });
    // The message comes again: the chunk is recorded, so only the report is written.
    uploads.putReport = putReport;
    await service.processChunk(message, asIs);
    expect((await service.status(ctx, broker, file.fileId)).operationStatus).toBe("COMPLETED");
  });

  it("reports an item refused on its merits with its own status even on the last delivery", async () => {
    const { uploads, service, ctx } = setup();
    const items = threePositions();
    await service.submit(
      ctx,
      broker,
      "CREATE",
      { paymentPositions: [...items, { ...items[0], iupd: "IUPD-9" }] },
      false,
    );
    const [message] = uploads.sent;
    if (message === undefined) throw new Error("no chunk message");
    await service.processChunk(message, asIs, true);
    const [recorded] = [...uploads.recorded.values()];
    expect(recorded?.outcomes.map((o) => [o.requestId, o.statusCode])).toEqual([
      ["IUPD-1", 201],
      ["IUPD-2", 201],
      ["IUPD-3", 201],
      ["IUPD-9", 409],
    ]);
  });
});

describe("UploadService.finishStalled", () => {
  const day = 86_400_000;
  const later = (ms: number) => new Date(now.getTime() + ms);
  /** 60 positions: two chunks (50 + 10). */
  const sixtyPositions = (): DebtPositionInput[] =>
    Array.from({ length: 60 }, (_, n) =>
      aDebtPositionInput({
        iupd: `IUPD-${n}`,
        paymentOption: [aPaymentOptionInput({ iuv: `01${String(n).padStart(15, "0")}` })],
      }),
    );

  it("finishes an upload whose messages never came: every item not applied, the report written, once", async () => {
    const { repository, service, ctx } = setup();
    const file = await service.submit(ctx, broker, "CREATE", { paymentPositions: sixtyPositions() }, false);
    // The accepting instance died before queueing: nobody processes the messages.
    expect(await service.finishStalled(later(day + 1), day)).toEqual({ examined: 1, finished: 1, chunks: 2 });
    expect(await service.status(ctx, broker, file.fileId)).toMatchObject({
      processedItem: 60,
      operationStatus: "COMPLETED_UNSUCCESSFULLY",
    });
    const report = await service.report(ctx, broker, file.fileId);
    expect(report.responses.map((r) => [r.statusCode, r.requestIDs.length])).toEqual([[503, 60]]);
    expect(report.responses[0]?.statusMessage).toMatch(/NOT APPLIED: the upload was interrupted/);
    expect(repository.all()).toEqual([]);
    expect(await service.finishStalled(later(day + 2), day)).toEqual({ examined: 0, finished: 0, chunks: 0 });
  });

  it("leaves an upload younger than the threshold alone", async () => {
    const { service, ctx } = setup();
    const file = await service.submit(ctx, broker, "CREATE", { paymentPositions: threePositions() }, false);
    expect(await service.finishStalled(later(day - 1), day)).toEqual({ examined: 0, finished: 0, chunks: 0 });
    expect((await service.status(ctx, broker, file.fileId)).operationStatus).toBe("IN_PROGRESS");
  });

  it("leaves a chunk a worker started to the worker; a late message of a swept chunk applies nothing", async () => {
    const { repository, uploads, service, ctx } = setup();
    const file = await service.submit(ctx, broker, "CREATE", { paymentPositions: sixtyPositions() }, false);
    const [first, second] = uploads.sent;
    if (first === undefined || second === undefined) throw new Error("expected two chunk messages");
    // A worker started chunk 0 (its start is recorded) and has not finished it.
    await uploads.startChunk(org, file.fileId, 0, []);
    expect(await service.finishStalled(later(day + 1), day)).toEqual({ examined: 1, finished: 0, chunks: 1 });
    expect((await service.status(ctx, broker, file.fileId)).operationStatus).toBe("IN_PROGRESS");

    await service.processChunk(first, asIs);
    await service.processChunk(second, asIs);
    const report = await service.report(ctx, broker, file.fileId);
    expect(report.responses.map((r) => [r.statusCode, r.requestIDs.length])).toEqual([
      [201, 50],
      [503, 10],
    ]);
    expect(repository.all()).toHaveLength(50);
  });

  it("a worker that meets the sweep's claim before it is recorded applies nothing; the next sweep records it", async () => {
    const { repository, uploads, service, ctx } = setup();
    const file = await service.submit(ctx, broker, "CREATE", { paymentPositions: threePositions() }, false);
    const [message] = uploads.sent;
    if (message === undefined) throw new Error("no chunk message");
    // A sweep claimed the chunk and died before recording it.
    await uploads.startChunk(org, file.fileId, 0, [], "sweeper");
    await service.processChunk(message, asIs);
    expect(repository.all()).toEqual([]);
    expect(uploads.recorded.size).toBe(0);
    expect(await service.finishStalled(later(day + 1), day)).toEqual({ examined: 1, finished: 1, chunks: 1 });
    expect((await service.status(ctx, broker, file.fileId)).operationStatus).toBe("COMPLETED_UNSUCCESSFULLY");
  });
});
