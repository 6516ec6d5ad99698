// Massive upload (docs/adr/0050-massive-upload.md). Submitting checks the broker, splits the file into chunks kept
// in Blob, records the upload and puts one message per chunk on a Storage queue; the queue-triggered worker applies
// a chunk with the same use cases as the single and bulk operations, records its outcome once (create-only), and
// the worker that records the last chunk writes the report. A chunk message delivered twice applies nothing twice:
// a recorded chunk is skipped, and a chunk re-run after a crash recognises what its first run already did.
import { DomainError, isDomainError } from "../domain/errors";
import type { DebtPositionInput } from "../domain/debt-positions/model";
import type { OrganizationRepository } from "../domain/organizations/organization";
import type {
  UploadChunkMessage,
  UploadFilePage,
  UploadQueue,
  UploadRepository,
  UploadStore,
} from "../domain/uploads/ports";
import {
  chunkOutcome,
  chunksOf,
  isComplete,
  itemsOf,
  reportOf,
  requestIdOf,
  statusOf,
  type ItemOutcome,
  type UploadFile,
  type UploadOperation,
  type UploadReport,
  type UploadStatus,
  uploadLimits,
} from "../domain/uploads/upload";
import type { CallContext } from "./call-context";
import type { DebtPositionService } from "./debt-position-service";

export interface UploadServiceDeps {
  uploads: UploadRepository;
  store: UploadStore;
  queue: UploadQueue;
  organizations: OrganizationRepository;
  positions: DebtPositionService;
  clock: () => Date;
  newId: () => string;
}

/** Turns one submitted position into a create/update input, or throws the 400 the single operation would answer. */
export type ItemParser = (item: unknown) => DebtPositionInput;

const DAY_MS = 86_400_000;

/** Runs `work` over `items` with at most `limit` at a time. */
async function bounded<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * A failure that says something about the item (a 4xx) is its outcome; anything else retries the chunk, except on
 * the message's last delivery, when it becomes the item's outcome too (503): an upload always ends with a report.
 */
function outcomeOf(requestId: string, error: unknown, lastAttempt: boolean): ItemOutcome {
  if (isDomainError(error) && error.status < 500 && error.code !== "TOO_MANY_REQUESTS") {
    return { requestId, statusCode: error.status, statusMessage: `${error.title}: ${error.detail}` };
  }
  if (lastAttempt) return notApplied(requestId, error);
  throw error;
}

/** An item nothing was done for, and why: the caller submits it again. */
const notAppliedBecause = (requestId: string, why: string): ItemOutcome => ({
  requestId,
  statusCode: 503,
  statusMessage: `NOT APPLIED: ${why}; submit this item again`,
});

const notApplied = (requestId: string, error: unknown): ItemOutcome =>
  notAppliedBecause(
    requestId,
    `the service failed on every attempt (${isDomainError(error) ? error.title : "internal error"})`,
  );

const sameOptions = (a: readonly { iuv: string }[], b: readonly { iuv: string }[]) =>
  a.length === b.length && a.every((o) => b.some((p) => p.iuv === o.iuv));

export class UploadService {
  readonly #deps: UploadServiceDeps;

  constructor(deps: UploadServiceDeps) {
    this.#deps = deps;
  }

  async submit(
    ctx: CallContext,
    brokerCode: string,
    operation: UploadOperation,
    document: unknown,
    toPublish: boolean,
  ): Promise<UploadFile> {
    await this.#assertBroker(ctx.organizationFiscalCode, brokerCode);
    const items = itemsOf(operation, document);
    const chunks = chunksOf(items);
    const file: UploadFile = {
      organizationFiscalCode: ctx.organizationFiscalCode,
      brokerCode,
      fileId: this.#deps.newId(),
      operation,
      toPublish,
      segregationCodes: ctx.caller.segregationCodes,
      submittedItem: items.length,
      chunkCount: chunks.length,
      startTime: ctx.now.toISOString(),
    };
    const org = ctx.organizationFiscalCode;
    // Chunks first, then the record, then the messages: a worker never meets a message whose chunk is missing, and a
    // crash before the record leaves only unreferenced blobs (the client got no 202 and uploads again).
    await bounded(chunks, 8, (chunk, n) => this.#deps.store.putChunk(org, file.fileId, n, chunk));
    await this.#deps.uploads.createFile(file);
    await bounded(chunks, 8, (_chunk, n) =>
      this.#deps.queue.send({ organizationFiscalCode: org, fileId: file.fileId, chunk: n }),
    );
    return file;
  }

  async status(ctx: CallContext, brokerCode: string, fileId: string): Promise<UploadStatus> {
    const file = await this.#file(ctx, brokerCode, fileId);
    const status = statusOf(file, await this.#deps.uploads.chunks(file.organizationFiscalCode, fileId, false));
    // Every chunk recorded but the report not yet written (the last worker is writing it, or will on its message's
    // next delivery): still in progress, so that a client told "completed" can always read the report.
    if (status.operationStatus === "IN_PROGRESS") return status;
    if ((await this.#deps.store.getReport(file.organizationFiscalCode, fileId)) !== undefined) return status;
    return { ...status, operationStatus: "IN_PROGRESS" };
  }

  async report(ctx: CallContext, brokerCode: string, fileId: string): Promise<UploadReport> {
    const file = await this.#file(ctx, brokerCode, fileId);
    const report = await this.#deps.store.getReport(file.organizationFiscalCode, fileId);
    if (report !== undefined) return report;
    const status = statusOf(file, await this.#deps.uploads.chunks(file.organizationFiscalCode, fileId, false));
    throw new DomainError(
      "UPLOAD_REPORT_NOT_READY",
      `The upload ${fileId} is ${status.operationStatus}: ${status.processedItem} of ${status.submittedItem} items processed`,
    );
  }

  /** Uploads of the organization started between two days (both included, UTC; at most 7 days, none older than 60). */
  async list(
    ctx: CallContext,
    brokerCode: string,
    window: { from?: string | undefined; to?: string | undefined },
    size: number,
    continuation: string | undefined,
  ): Promise<UploadFilePage> {
    await this.#assertBroker(ctx.organizationFiscalCode, brokerCode);
    const today = ctx.now.toISOString().slice(0, 10);
    const to = window.to ?? (window.from === undefined ? today : addDays(window.from, 7 - 1));
    const from = window.from ?? addDays(to, -(7 - 1));
    if (from > to) throw new DomainError("BAD_REQUEST", `Invalid date range: from ${from} is after to ${to}`);
    if (daysBetween(from, to) > 7 - 1) {
      throw new DomainError("BAD_REQUEST", `The date range can span at most 7 days [from=${from}, to=${to}]`);
    }
    if (daysBetween(from, today) > 60) {
      throw new DomainError("UPLOAD_RANGE_GONE", `Uploads older than 60 days are no longer available [from=${from}]`);
    }
    return this.#deps.uploads.listFiles(
      ctx.organizationFiscalCode,
      { from: `${from}T00:00:00.000Z`, to: new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS).toISOString() },
      size,
      continuation,
    );
  }

  /**
   * The queue-triggered worker's use case: applies one chunk once and, after the last one, writes the report. On the
   * message's last delivery (`lastAttempt`) a chunk that still cannot be applied records its items as not applied
   * instead of failing again, so the upload finishes rather than waiting for a message gone to the poison queue.
   */
  async processChunk(message: UploadChunkMessage, parseItem: ItemParser, lastAttempt = false): Promise<void> {
    const { organizationFiscalCode: org, fileId, chunk } = message;
    const file = await this.#deps.uploads.findFile(org, fileId);
    if (file === undefined) throw new Error(`No upload ${fileId} for ${org}: the message is retried, then poisoned`);
    if (!(await this.#deps.uploads.isChunkRecorded(org, fileId, chunk))) {
      const items = await this.#deps.store.getChunk(org, fileId, chunk);
      if (items === undefined) throw new Error(`Upload ${fileId} has no chunk ${chunk}`);
      let outcomes: ItemOutcome[] | "swept";
      try {
        outcomes = await this.#apply(file, chunk, items, parseItem, lastAttempt);
      } catch (e) {
        if (!lastAttempt) throw e;
        outcomes = items.map((item, i) =>
          notApplied(requestIdOf(file.operation, item, chunk * uploadLimits.chunkSize + i), e),
        );
      }
      // A chunk the sweeper claimed is the sweeper's to record (finishStalled): nothing of it was applied here.
      if (outcomes !== "swept") await this.#deps.uploads.recordChunk(org, fileId, chunkOutcome(chunk, outcomes));
    }
    await this.#finishIfComplete(file);
  }

  /**
   * The sweep of uploads that never finished: an upload recorded but whose chunk messages were never all queued (the
   * accepting instance died between the two; its client got no 202) would stay IN_PROGRESS for ever. For each upload
   * started more than `staleAfterMs` ago and not finished, every chunk no worker has started is claimed and recorded
   * as not applied, and the report is written; a chunk a worker started is left to it (its last delivery records it
   * whatever happens). The claim is the chunk's start record, create-only, so a worker and the sweep never both act.
   */
  async finishStalled(
    now: Date,
    staleAfterMs: number,
    limit = 100,
  ): Promise<{ examined: number; finished: number; chunks: number }> {
    const result = { examined: 0, finished: 0, chunks: 0 };
    const stalled = await this.#deps.uploads.unfinishedFiles(
      new Date(now.getTime() - staleAfterMs).toISOString(),
      limit,
    );
    for (const file of stalled) {
      const org = file.organizationFiscalCode;
      const recorded = new Set((await this.#deps.uploads.chunks(org, file.fileId, false)).map((c) => c.chunk));
      for (let chunk = 0; chunk < file.chunkCount; chunk += 1) {
        if (recorded.has(chunk)) continue;
        const claim = await this.#deps.uploads.startChunk(org, file.fileId, chunk, [], "sweeper");
        if (!claim.swept) continue;
        const items = (await this.#deps.store.getChunk(org, file.fileId, chunk)) ?? [];
        const outcomes = items.map((item, i) =>
          notAppliedBecause(
            requestIdOf(file.operation, item, chunk * uploadLimits.chunkSize + i),
            "the upload was interrupted before this part was queued",
          ),
        );
        if (await this.#deps.uploads.recordChunk(org, file.fileId, chunkOutcome(chunk, outcomes))) result.chunks += 1;
      }
      result.examined += 1;
      if (await this.#finishIfComplete(file)) result.finished += 1;
    }
    return result;
  }

  async #apply(
    file: UploadFile,
    chunk: number,
    items: unknown[],
    parseItem: ItemParser,
    lastAttempt: boolean,
  ): Promise<ItemOutcome[] | "swept"> {
    const ctx: CallContext = {
      organizationFiscalCode: file.organizationFiscalCode,
      caller: {
        subscriptionName: `upload ${file.fileId}`,
        organizations: [file.organizationFiscalCode],
        products: ["debt-positions"],
        segregationCodes: file.segregationCodes,
      },
      now: this.#deps.clock(),
    };
    // An item without a usable IUPD is named by its index in the file.
    const ids = items.map((item, i) => requestIdOf(file.operation, item, chunk * uploadLimits.chunkSize + i));
    if (file.operation === "DELETE") return this.#applyDeletes(file, chunk, ctx, ids, lastAttempt);

    const parsed = items.map((item, i): { id: string; input?: DebtPositionInput; outcome?: ItemOutcome } => {
      try {
        return { id: ids[i] ?? `#${i}`, input: parseItem(item) };
      } catch (e) {
        return { id: ids[i] ?? `#${i}`, outcome: outcomeOf(ids[i] ?? `#${i}`, e, false) };
      }
    });
    const { firstRun, swept } = await this.#deps.uploads.startChunk(
      file.organizationFiscalCode,
      file.fileId,
      chunk,
      [],
    );
    if (swept) return "swept";
    const valid = parsed.filter((p) => p.input !== undefined).map((p) => p.input as DebtPositionInput);

    if (file.operation === "CREATE" && valid.length > 0) {
      // The common case in one all-or-nothing bulk write; any refusal falls back to one position at a time, so an
      // item that fails is reported alone. A re-run sends the same bulk again, which resumes (or recognises) what
      // an earlier run of it wrote (docs/adr/0015).
      try {
        await this.#deps.positions.createMany(ctx, valid, file.toPublish);
        return parsed.map((p) => p.outcome ?? { requestId: p.id, statusCode: 201, statusMessage: "CREATED" });
      } catch (e) {
        // Not an item's fault on the last delivery: nothing of the bulk is visible (recovery removes what it left),
        // so every item is reported as not applied.
        if (!(isDomainError(e) && e.status < 500 && e.code !== "TOO_MANY_REQUESTS")) {
          if (!lastAttempt) throw e;
          return parsed.map((p) => p.outcome ?? notApplied(p.id, e));
        }
      }
    }
    const outcomes: ItemOutcome[] = [];
    for (const p of parsed) {
      if (p.outcome !== undefined || p.input === undefined) {
        outcomes.push(p.outcome ?? { requestId: p.id, statusCode: 400, statusMessage: "BAD REQUEST" });
        continue;
      }
      outcomes.push(await this.#applyOne(file, ctx, p.input, firstRun, lastAttempt));
    }
    return outcomes;
  }

  async #applyOne(
    file: UploadFile,
    ctx: CallContext,
    input: DebtPositionInput,
    firstRun: boolean,
    lastAttempt: boolean,
  ) {
    try {
      if (file.operation === "CREATE") {
        await this.#deps.positions.create(ctx, input, file.toPublish);
        return { requestId: input.iupd, statusCode: 201, statusMessage: "CREATED" };
      }
      await this.#deps.positions.update(ctx, input.iupd, input, file.toPublish);
      return { requestId: input.iupd, statusCode: 200, statusMessage: "UPDATED" };
    } catch (e) {
      // A chunk run again after a crash finds the positions its first run created: the same IUPD with the same
      // options is this upload's own work, not someone else's conflict.
      if (!firstRun && isDomainError(e) && e.code === "DEBT_POSITION_UNIQUE_VIOLATION") {
        const existing = await this.#deps.positions.get(ctx, input.iupd).catch(() => undefined);
        if (existing !== undefined && sameOptions(existing.paymentOption, input.paymentOption)) {
          return { requestId: input.iupd, statusCode: 201, statusMessage: "CREATED" };
        }
      }
      return outcomeOf(input.iupd, e, lastAttempt);
    }
  }

  async #applyDeletes(
    file: UploadFile,
    chunk: number,
    ctx: CallContext,
    iupds: readonly string[],
    lastAttempt: boolean,
  ) {
    // What existed before the first run is recorded first, so a re-run can tell "deleted by us" from "never there".
    const existedBefore: string[] = [];
    for (const iupd of iupds) {
      let found = true;
      try {
        await this.#deps.positions.get(ctx, iupd);
      } catch (e) {
        if (!isDomainError(e) || e.code !== "DEBT_POSITION_NOT_FOUND") throw e;
        found = false;
      }
      if (found) existedBefore.push(iupd);
    }
    const { existing, swept } = await this.#deps.uploads.startChunk(
      file.organizationFiscalCode,
      file.fileId,
      chunk,
      existedBefore,
    );
    if (swept) return "swept";
    const outcomes: ItemOutcome[] = [];
    for (const iupd of iupds) {
      try {
        await this.#deps.positions.delete(ctx, iupd);
        outcomes.push({ requestId: iupd, statusCode: 200, statusMessage: "DELETED" });
      } catch (e) {
        if (isDomainError(e) && e.code === "DEBT_POSITION_NOT_FOUND" && existing.includes(iupd)) {
          outcomes.push({ requestId: iupd, statusCode: 200, statusMessage: "DELETED" });
        } else {
          outcomes.push(outcomeOf(iupd, e, lastAttempt));
        }
      }
    }
    return outcomes;
  }

  /** Writes the report once every chunk is recorded, and marks the upload finished; true when it is. */
  async #finishIfComplete(file: UploadFile): Promise<boolean> {
    const org = file.organizationFiscalCode;
    const counts = await this.#deps.uploads.chunks(org, file.fileId, false);
    if (!isComplete(file, counts)) return false;
    if ((await this.#deps.store.getReport(org, file.fileId)) === undefined) {
      const full = await this.#deps.uploads.chunks(org, file.fileId, true);
      await this.#deps.store.putReport(org, file.fileId, reportOf(file, full, this.#deps.clock().toISOString()));
    }
    await this.#deps.uploads.markFinished(org, file.fileId);
    return true;
  }

  async #file(ctx: CallContext, brokerCode: string, fileId: string): Promise<UploadFile> {
    await this.#assertBroker(ctx.organizationFiscalCode, brokerCode);
    const file = await this.#deps.uploads.findFile(ctx.organizationFiscalCode, fileId);
    if (file === undefined || file.brokerCode !== brokerCode) {
      throw new DomainError(
        "UPLOAD_NOT_FOUND",
        `Not found an upload ${fileId} for Organization Fiscal Code ${ctx.organizationFiscalCode}`,
      );
    }
    return file;
  }

  async #assertBroker(organizationFiscalCode: string, brokerCode: string): Promise<void> {
    const organization = await this.#deps.organizations.find(organizationFiscalCode);
    if (organization?.brokerCode !== brokerCode) {
      throw new DomainError(
        "UPLOAD_BROKER_MISMATCH",
        `The broker ${brokerCode} is not the registered broker of the organization ${organizationFiscalCode} (gpd organization upsert … --broker-code)`,
      );
    }
  }
}

const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00.000Z`) - Date.parse(`${from}T00:00:00.000Z`)) / DAY_MS);
