// The FdR-3 client (test/contract/official/fdr_organization.json): the organizations API of pagoPA's reporting
// service, read with the subscription key in Ocp-Apim-Subscription-Key. Every answer is parsed with zod before the
// domain sees it. Unreachable, timeouts, 5xx and 429 are retried a few times with a growing pause (Retry-After is
// honoured, capped); what still fails becomes Fdr3Unavailable, and a flow or payment the contract does not allow
// becomes Fdr3Rejection (the PSP must publish a corrected revision).
import { z } from "zod";
import {
  Fdr3Rejection,
  Fdr3Unavailable,
  fdr3AmountCents,
  payStatuses,
  type Fdr3Flow,
  type Fdr3Payment,
  type PublishedFlowRef,
} from "../../domain/reporting/fdr3";
import type { Fdr3Api } from "../../domain/reporting/ports";

export interface Fdr3ClientOptions {
  baseUrl: string;
  subscriptionKey?: string | undefined;
  /** Payments per page asked of FdR-3 (the contract's default and our maximum: 1000). */
  pageSize?: number;
  timeoutMs?: number;
  /** Attempts per request for transient failures (default 3). */
  maxAttempts?: number;
  /** First pause between attempts; doubled each time (default 500 ms). */
  backoffMs?: number;
  /** Longest Retry-After honoured (default 10 s): a run never sleeps longer; the next run tries again. */
  maxRetryAfterMs?: number;
}

/** How far before its publication a flow may be dated and still be read (a year and then some). */
export const FLOW_DATE_REACH_DAYS = 400;

/** Answers larger than this are refused: a page of 1000 payments is about 200 KB. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

const instant = z.iso.datetime({ offset: true, local: true });
const metadataSchema = z.object({ pageNumber: z.number().int(), totPage: z.number().int().min(0) });

const flowListSchema = z.object({
  metadata: metadataSchema,
  data: z.array(
    z.object({
      fdr: z.string().regex(/^[a-zA-Z0-9_-]{1,35}$/),
      pspId: z.string().min(1).max(35),
      revision: z.number().int().min(1),
      published: instant,
      flowDate: instant.optional(),
    }),
  ),
});

const flowSchema = z.object({
  fdr: z.string().regex(/^[a-zA-Z0-9_-]{1,35}$/),
  revision: z.number().int().min(1),
  status: z.string(),
  published: instant.optional(),
  fdrDate: instant,
  regulation: z.string().min(1).max(35),
  regulationDate: z.iso.date(),
  bicCodePouringBank: z.string().max(35).optional(),
  sender: z.object({ pspId: z.string().min(1).max(35), pspName: z.string().max(70).optional() }),
  receiver: z.object({ organizationId: z.string().min(1).max(35), organizationName: z.string().max(140).optional() }),
  totPayments: z.number().int().min(1),
  sumPayments: z.number().min(0),
});

const paymentsSchema = z.object({
  metadata: metadataSchema,
  data: z.array(
    z.object({
      index: z.number().int().min(1),
      iuv: z.string().min(1).max(35),
      iur: z.string().min(1).max(35),
      idTransfer: z.number().int().min(1).max(5),
      pay: z.number().positive(),
      payStatus: z.enum(payStatuses),
      payDate: instant,
    }),
  ),
});

/** A date-time without offset is UTC in FdR-3 (as its query parameters are). */
const utc = (v: string): string => new Date(/(?:Z|[+-]\d{2}:\d{2})$/i.test(v) ? v : `${v}Z`).toISOString();

export class Fdr3HttpClient implements Fdr3Api {
  readonly #options: Required<Omit<Fdr3ClientOptions, "subscriptionKey">> & { subscriptionKey?: string | undefined };

  constructor(options: Fdr3ClientOptions) {
    this.#options = {
      pageSize: 1000,
      timeoutMs: 30_000,
      maxAttempts: 3,
      backoffMs: 500,
      maxRetryAfterMs: 10_000,
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
    };
  }

  async *listPublished(organization: string, publishedGt: string | undefined): AsyncIterable<PublishedFlowRef> {
    for (let page = 1; ; page += 1) {
      const query = new URLSearchParams({ page: String(page), size: "1000" });
      // The contract's format is yyyy-MM-dd'T'HH:mm:ss (UTC): seconds, no offset.
      if (publishedGt !== undefined) query.set("publishedGt", new Date(publishedGt).toISOString().slice(0, 19));
      // Without flowDate FdR-3 lists only flows dated from the start of the previous month, so a flow published late
      // (or a new revision of an old flow) would never be seen: ask for flow dates up to FLOW_DATE_REACH_DAYS back.
      const reachFrom = Date.parse(publishedGt ?? new Date().toISOString()) - FLOW_DATE_REACH_DAYS * 86_400_000;
      query.set("flowDate", new Date(reachFrom).toISOString().slice(0, 19));
      const body = await this.#get(`/organizations/${encodeURIComponent(organization)}/fdrs?${query.toString()}`);
      const parsed = flowListSchema.safeParse(body);
      if (!parsed.success)
        throw new Fdr3Unavailable(
          `FdR-3 answered a list of flows that does not follow the contract: ${parsed.error.issues[0]?.message ?? ""}`,
        );
      for (const f of parsed.data.data) {
        yield { ...f, published: utc(f.published), flowDate: f.flowDate === undefined ? undefined : utc(f.flowDate) };
      }
      if (page >= parsed.data.metadata.totPage || parsed.data.data.length === 0) return;
    }
  }

  async getFlow(organization: string, ref: Pick<PublishedFlowRef, "fdr" | "revision" | "pspId">): Promise<Fdr3Flow> {
    const body = await this.#get(this.#flowPath(organization, ref));
    const parsed = flowSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Fdr3Rejection(
        "invalid-flow",
        `flow ${ref.fdr} revision ${ref.revision}: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`,
      );
    }
    const f = parsed.data;
    return {
      fdr: f.fdr,
      revision: f.revision,
      status: f.status,
      published: f.published === undefined ? undefined : utc(f.published),
      fdrDate: utc(f.fdrDate),
      regulation: f.regulation,
      regulationDate: f.regulationDate,
      bicCodePouringBank: f.bicCodePouringBank,
      pspId: f.sender.pspId,
      pspName: f.sender.pspName,
      organizationId: f.receiver.organizationId,
      organizationName: f.receiver.organizationName,
      totPayments: f.totPayments,
      sumPaymentsCents: fdr3AmountCents(f.sumPayments, `flow ${f.fdr} sumPayments`),
    };
  }

  async *payments(
    organization: string,
    ref: Pick<PublishedFlowRef, "fdr" | "revision" | "pspId">,
  ): AsyncIterable<Fdr3Payment[]> {
    for (let page = 1; ; page += 1) {
      const query = new URLSearchParams({ page: String(page), size: String(this.#options.pageSize) });
      const body = await this.#get(`${this.#flowPath(organization, ref)}/payments?${query.toString()}`);
      const parsed = paymentsSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Fdr3Rejection(
          "invalid-payment",
          `flow ${ref.fdr} revision ${ref.revision} page ${page}: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`,
        );
      }
      yield parsed.data.data.map((p) => ({
        index: p.index,
        iuv: p.iuv,
        iur: p.iur,
        idTransfer: p.idTransfer,
        payCents: fdr3AmountCents(p.pay, `flow ${ref.fdr} payment ${p.index}`),
        payStatus: p.payStatus,
        payDate: utc(p.payDate),
      }));
      if (page >= parsed.data.metadata.totPage || parsed.data.data.length === 0) return;
    }
  }

  #flowPath(organization: string, ref: Pick<PublishedFlowRef, "fdr" | "revision" | "pspId">): string {
    const e = encodeURIComponent;
    return `/organizations/${e(organization)}/fdrs/${e(ref.fdr)}/revisions/${ref.revision}/psps/${e(ref.pspId)}`;
  }

  async #get(path: string): Promise<unknown> {
    const { maxAttempts, backoffMs, maxRetryAfterMs, timeoutMs, subscriptionKey } = this.#options;
    let last = "";
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      let pause = backoffMs * 2 ** (attempt - 1);
      try {
        const response = await fetch(`${this.#options.baseUrl}${path}`, {
          headers: {
            Accept: "application/json",
            ...(subscriptionKey !== undefined && { "Ocp-Apim-Subscription-Key": subscriptionKey }),
          },
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (response.ok) return await readJson(response, path);
        await response.body?.cancel();
        last = `GET ${path} answered ${response.status}`;
        if (response.status !== 429 && response.status < 500) throw new Fdr3Unavailable(last, response.status);
        const retryAfter = Number(response.headers.get("retry-after"));
        if (Number.isFinite(retryAfter) && retryAfter > 0) pause = Math.min(retryAfter * 1000, maxRetryAfterMs);
      } catch (e) {
        if (e instanceof Fdr3Unavailable) throw e;
        last = `GET ${path} failed: ${e instanceof Error ? e.message : String(e)}`;
      }
      if (attempt < maxAttempts) await new Promise((resolve) => setTimeout(resolve, pause));
    }
    throw new Fdr3Unavailable(`${last} (after ${maxAttempts} attempts)`);
  }
}

async function readJson(response: Response, path: string): Promise<unknown> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > MAX_ANSWER_BYTES) throw new Fdr3Unavailable(`GET ${path}: answer of ${declared} bytes is too large`);
  const text = await response.text();
  if (text.length > MAX_ANSWER_BYTES) throw new Fdr3Unavailable(`GET ${path}: answer is too large`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Fdr3Unavailable(`GET ${path}: the answer is not JSON`);
  }
}
