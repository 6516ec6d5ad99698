// Payment notices from stored positions: one PDF now, or many in the background (docs/adr/0047-notice-batches.md).
// The HTTP handlers make one call here; the queue-triggered worker calls run().
import { DomainError } from "../domain/errors";
import type { DebtPosition } from "../domain/debt-positions/model";
import type { DebtPositionRepository } from "../domain/debt-positions/ports";
import { buildNotice, printableStatuses, type Notice } from "../domain/notices/notice";
import {
  newNoticeJob,
  recordSkipped,
  runningJobStaleAfterMs,
  type NoticeArchiveFormat,
  type NoticeJob,
  type NoticeJobQueue,
  type NoticeJobStore,
  type NoticeSelection,
} from "../domain/notices/notice-job";
import type { Organization, OrganizationRepository } from "../domain/organizations/organization";
import { withinSegregation } from "../domain/subscriptions/subscription";
import type { CallContext } from "./call-context";
import type { DebtPositionService } from "./debt-position-service";

/** Writes notices into one archive stream (shared/adapters/pdf/notice-archive.ts). */
export interface NoticeArchiveWriter {
  readonly stream: NodeJS.ReadableStream;
  readonly contentType: string;
  add(notice: Notice): Promise<void>;
  finish(): Promise<void>;
  abort(error: Error): void;
}

export interface NoticeServiceDeps {
  positions: DebtPositionService;
  repository: DebtPositionRepository;
  organizations: OrganizationRepository;
  renderPdf: (notice: Notice, now: Date) => Promise<Buffer>;
  openArchive: (options: { format: NoticeArchiveFormat; now: Date; title: string }) => NoticeArchiveWriter;
  jobs: NoticeJobStore;
  queue: NoticeJobQueue;
  newJobId: () => string;
  clock: () => Date;
  /** Most positions one batch may select. */
  maxPositions: number;
  /** How long a download link stays valid. */
  linkMinutes: number;
  /** How often, at most, the worker rewrites the job's progress. */
  progressEveryMs?: number;
}

export interface NoticeJobRequest {
  selection: NoticeSelection;
  format: NoticeArchiveFormat;
}

export interface NoticeJobView {
  job: NoticeJob;
  download?: { url: string; expiresAt: string } | undefined;
}

const listPageSize = 100;

export class NoticeService {
  readonly #deps: NoticeServiceDeps;

  constructor(deps: NoticeServiceDeps) {
    this.#deps = deps;
  }

  /** The notice of one position: 404 unknown, 403 outside the caller's segregation codes, 409 not payable. */
  async single(ctx: CallContext, iupd: string): Promise<{ pdf: Buffer; notice: Notice }> {
    const position = await this.#deps.positions.get(ctx, iupd);
    const organization = await this.#organization(ctx.organizationFiscalCode);
    const notice = buildNotice(position, organization, ctx.now);
    return { pdf: await this.#deps.renderPdf(notice, ctx.now), notice };
  }

  /** Records the job and queues it; the selection is checked now so a caller learns of a bad one at once. */
  async createJob(ctx: CallContext, request: NoticeJobRequest): Promise<NoticeJob> {
    await this.#organization(ctx.organizationFiscalCode);
    const selection = request.selection;
    if (selection.kind === "iupds" && selection.iupds.length > this.#deps.maxPositions) {
      throw new DomainError("BAD_REQUEST", `A notice batch holds at most ${this.#deps.maxPositions} positions`);
    }
    if (selection.kind === "filter") {
      const total = await this.#countFiltered(ctx, selection);
      if (total > this.#deps.maxPositions) {
        throw new DomainError(
          "BAD_REQUEST",
          `The filter selects ${total} positions; a notice batch holds at most ${this.#deps.maxPositions}: narrow the due-date window`,
        );
      }
    }
    const job = newNoticeJob({
      jobId: this.#deps.newJobId(),
      organizationFiscalCode: ctx.organizationFiscalCode,
      format: request.format,
      selection,
      segregationCodes: ctx.caller.segregationCodes,
      now: ctx.now,
    });
    await this.#deps.jobs.create(job);
    try {
      await this.#deps.queue.send({ organizationFiscalCode: job.organizationFiscalCode, jobId: job.jobId });
    } catch (e) {
      // Nothing will ever run it: say so on the job rather than leave it QUEUED forever.
      await this.#deps.jobs.save({ ...job, status: "FAILED", error: "The job could not be queued" });
      throw e;
    }
    return job;
  }

  async getJob(ctx: CallContext, jobId: string): Promise<NoticeJobView> {
    const job = await this.#deps.jobs.get(ctx.organizationFiscalCode, jobId);
    if (job === undefined) {
      throw new DomainError(
        "NOTICE_JOB_NOT_FOUND",
        `Not found a notice job ${jobId} for Organization Fiscal Code ${ctx.organizationFiscalCode}`,
      );
    }
    if (job.status !== "COMPLETED" || job.archive === undefined) return { job };
    const expiresOn = new Date(ctx.now.getTime() + this.#deps.linkMinutes * 60_000);
    return {
      job,
      download: {
        url: await this.#deps.jobs.downloadUrl(job.archive.name, expiresOn),
        expiresAt: expiresOn.toISOString(),
      },
    };
  }

  /**
   * Renders a queued job into its archive. A job already finished is left alone (the queue may deliver twice); a
   * RUNNING one was interrupted (the message came back after a crash) and starts over, overwriting the archive.
   * Failures of storage or the queue are rethrown, so the queue retries; `lastAttempt` marks the job FAILED first.
   */
  async run(organizationFiscalCode: string, jobId: string, lastAttempt: boolean): Promise<NoticeJob | undefined> {
    const current = await this.#deps.jobs.read(organizationFiscalCode, jobId);
    if (current === undefined) return undefined;
    const found = current.job;
    if (found.status === "COMPLETED" || found.status === "FAILED") return found;
    const started = this.#deps.clock();
    if (found.status === "RUNNING" && started.getTime() - Date.parse(found.updatedAt) < runningJobStaleAfterMs) {
      return found;
    }
    let job: NoticeJob = {
      ...found,
      status: "RUNNING",
      rendered: 0,
      skipped: 0,
      skippedPositions: [],
      total: undefined,
      startedAt: started.toISOString(),
      updatedAt: started.toISOString(),
    };
    // Claimed with the version read: of two deliveries racing, one renders and the other leaves.
    if (!(await this.#deps.jobs.replace(job, current.etag)))
      return (await this.#deps.jobs.get(organizationFiscalCode, jobId)) ?? job;
    try {
      const organization = await this.#deps.organizations.find(organizationFiscalCode);
      const iupds = await this.#selectedIupds(job);
      job = { ...job, total: iupds.length };
      await this.#deps.jobs.save(job);
      const archive = this.#deps.openArchive({
        format: job.format,
        now: started,
        title: `Avvisi di pagamento ${organizationFiscalCode}`,
      });
      const upload = this.#deps.jobs.uploadArchive(job, archive.contentType, archive.stream);
      // The upload may fail while we render (storage down): stop rendering then, and report the upload's error.
      let uploadFailed: Error | undefined;
      upload.catch((e: unknown) => (uploadFailed = e instanceof Error ? e : new Error("The archive upload failed")));
      try {
        job = await this.#renderAll(job, iupds, organization, archive, () => uploadFailed);
        await archive.finish();
      } catch (e) {
        archive.abort(e instanceof Error ? e : new Error(String(e)));
        await upload.catch(() => undefined);
        throw e;
      }
      const stored = await upload;
      const done = this.#deps.clock().toISOString();
      job = {
        ...job,
        status: "COMPLETED",
        completedAt: done,
        updatedAt: done,
        archive: { name: stored.name, contentType: archive.contentType, size: stored.size },
      };
      await this.#deps.jobs.save(job);
      return job;
    } catch (e) {
      // A DomainError is about the job itself and would fail again: it ends the job. Anything else (storage, queue)
      // is retried by the queue, and ends the job only on the last attempt.
      const final = e instanceof DomainError || lastAttempt;
      if (final) {
        const error = e instanceof DomainError ? e.detail : "The notices could not be rendered; ask again later";
        await this.#deps.jobs.save({ ...job, status: "FAILED", error, updatedAt: this.#deps.clock().toISOString() });
      }
      if (e instanceof DomainError) return { ...job, status: "FAILED" };
      throw e;
    }
  }

  async #renderAll(
    initial: NoticeJob,
    iupds: readonly string[],
    organization: Organization | undefined,
    archive: NoticeArchiveWriter,
    uploadFailure: () => Error | undefined,
  ): Promise<NoticeJob> {
    let job = initial;
    let lastSaved = Date.now();
    const every = this.#deps.progressEveryMs ?? 2000;
    for (const iupd of iupds) {
      const failure = uploadFailure();
      if (failure !== undefined) throw failure;
      const outcome = await this.#noticeFor(job, iupd, organization);
      if ("reason" in outcome) {
        job = recordSkipped(job, iupd, outcome.reason);
      } else {
        await archive.add(outcome.notice);
        job = { ...job, rendered: job.rendered + 1 };
      }
      if (Date.now() - lastSaved >= every) {
        job = { ...job, updatedAt: this.#deps.clock().toISOString() };
        await this.#deps.jobs.save(job);
        lastSaved = Date.now();
      }
    }
    return job;
  }

  /** The notice of one selected position, or why it has none: the same rules as the single download. */
  async #noticeFor(
    job: NoticeJob,
    iupd: string,
    organization: Organization | undefined,
  ): Promise<{ notice: Notice } | { reason: string }> {
    if (organization === undefined) return { reason: "the organization is not registered" };
    let stored;
    try {
      stored = await this.#deps.repository.get(job.organizationFiscalCode, iupd);
    } catch (e) {
      // One stored position that no longer parses is skipped with its reason, not the whole batch (docs/adr/0065).
      if (e instanceof DomainError && e.code === "DEBT_POSITION_UNREADABLE") return { reason: e.detail };
      throw e;
    }
    if (stored === undefined) return { reason: "not found" };
    const position: DebtPosition = stored.value;
    const caller = { segregationCodes: job.segregationCodes };
    if (!position.paymentOption.every((o) => withinSegregation(caller, o.iuv))) {
      return { reason: "outside the caller's segregation codes" };
    }
    try {
      return { notice: buildNotice(position, organization, this.#deps.clock()) };
    } catch (e) {
      if (e instanceof DomainError) return { reason: e.detail };
      throw e;
    }
  }

  async #selectedIupds(job: NoticeJob): Promise<string[]> {
    const selection = job.selection;
    if (selection.kind === "iupds") return [...new Set(selection.iupds)];
    const iupds: string[] = [];
    const now = this.#deps.clock();
    for (const status of selection.status === undefined ? printableStatuses : [selection.status]) {
      for (let page = 0; ; page++) {
        const result = await this.#deps.repository.list({
          organizationFiscalCode: job.organizationFiscalCode,
          page,
          limit: listPageSize,
          status,
          dueDate: selection.dueDate,
          segregationCodes: job.segregationCodes,
          orderBy: "IUPD",
          ordering: "ASC",
          now,
        });
        iupds.push(...result.items.map((p) => p.iupd));
        if (result.items.length < listPageSize || iupds.length > this.#deps.maxPositions) break;
      }
    }
    if (iupds.length > this.#deps.maxPositions) {
      throw new DomainError(
        "BAD_REQUEST",
        `The filter now selects more than ${this.#deps.maxPositions} positions: narrow the due-date window`,
      );
    }
    return iupds;
  }

  async #countFiltered(ctx: CallContext, selection: Extract<NoticeSelection, { kind: "filter" }>): Promise<number> {
    let total = 0;
    for (const status of selection.status === undefined ? printableStatuses : [selection.status]) {
      const page = await this.#deps.repository.list({
        organizationFiscalCode: ctx.organizationFiscalCode,
        page: 0,
        limit: 1,
        status,
        dueDate: selection.dueDate,
        segregationCodes: ctx.caller.segregationCodes,
        orderBy: "IUPD",
        ordering: "ASC",
        now: ctx.now,
      });
      total += page.total;
    }
    return total;
  }

  async #organization(fiscalCode: string): Promise<Organization> {
    const organization = await this.#deps.organizations.find(fiscalCode);
    if (organization === undefined) {
      throw new DomainError(
        "ORGANIZATION_NOT_FOUND",
        `The organization ${fiscalCode} is not registered: its notices cannot be printed`,
      );
    }
    return organization;
  }
}
