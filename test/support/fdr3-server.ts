// A stand-in for pagoPA's FdR-3 organizations API (test/contract/official/fdr_organization.json), on a local port, for
// tests, the bench and the local walk-through (docs/guides/fdr3.md). It is a test double of a system outside GPD and
// follows that system's published contract: the three GET operations with their paths, `page`/`size` paging
// (size 1..1000, default 1000; metadata.pageNumber/pageSize/totPage, count), `publishedGt`/`flowDate` lower bounds in
// yyyy-MM-dd'T'HH:mm:ss (default: the start of the previous calendar month, UTC), ErrorResponse bodies for 400/401/404,
// and the subscription key in Ocp-Apim-Subscription-Key (or the subscription-key query parameter). The list shows each
// flow once, as its newest published revision; older revisions stay readable by number.
// Tests drive it in process: publish flows and revisions, and make chosen requests fail (5xx, 429, a dropped
// connection) a number of times.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type PayStatus = "EXECUTED" | "REVOKED" | "STAND_IN" | "STAND_IN_NO_RPT" | "NO_RPT";

export interface PaymentSpec {
  iuv: string;
  iur?: string;
  idTransfer?: number;
  /** Euros, as FdR-3 gives them (a JSON number with up to two decimals). */
  pay: number;
  payStatus?: PayStatus;
  payDate?: string;
}

export interface FlowSpec {
  organizationId: string;
  fdr: string;
  pspId: string;
  payments: PaymentSpec[];
  /** Default: now. */
  fdrDate?: string;
  /** Default: now (the publication instant of this revision). */
  published?: string;
  /** Defaults: the real count and sum; set them to publish an inconsistent flow. */
  totPayments?: number;
  sumPayments?: number;
}

interface Revision {
  spec: FlowSpec;
  revision: number;
  published: string;
  payments: Record<string, unknown>[];
  body: Record<string, unknown>;
}

export interface FailureRule {
  /** Matched against the request path and query. */
  path: RegExp;
  /** An HTTP status, or "drop" to destroy the connection without an answer. */
  status: number | "drop";
  /** How many matching requests fail (then the rule is spent). */
  times: number;
  retryAfterSeconds?: number;
}

const descriptions: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

const dateTimeParam = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

export class Fdr3TestServer {
  readonly #server: Server;
  readonly #flows = new Map<string, Revision[]>();
  readonly #rules: FailureRule[] = [];
  readonly #subscriptionKey: string | undefined;
  /** Every request received, as "GET /path?query". */
  readonly requests: string[] = [];
  url = "";

  private constructor(subscriptionKey: string | undefined) {
    this.#subscriptionKey = subscriptionKey;
    this.#server = createServer((req, res) => {
      this.#handle(req, res);
    });
  }

  static async start(options: { subscriptionKey?: string; port?: number } = {}): Promise<Fdr3TestServer> {
    const server = new Fdr3TestServer(options.subscriptionKey);
    await new Promise<void>((resolve, reject) => {
      server.#server.once("error", reject);
      server.#server.listen(options.port ?? 0, "127.0.0.1", () => {
        resolve();
      });
    });
    const { port } = server.#server.address() as AddressInfo;
    server.url = `http://127.0.0.1:${port}`;
    return server;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.#server.close(() => {
        resolve();
      }),
    );
  }

  /** Publishes a flow: revision 1 the first time, the next revision each time after. */
  publish(spec: FlowSpec): { revision: number; published: string } {
    const key = `${spec.organizationId}/${spec.fdr}/${spec.pspId}`;
    const revisions = this.#flows.get(key) ?? [];
    const revision = revisions.length + 1;
    const now = new Date();
    const published = spec.published ?? now.toISOString();
    const payments = spec.payments.map((p, i) => ({
      index: i + 1,
      iuv: p.iuv,
      iur: p.iur ?? `IUR${String(i + 1).padStart(8, "0")}`,
      idTransfer: p.idTransfer ?? 1,
      pay: p.pay,
      payStatus: p.payStatus ?? "EXECUTED",
      payDate: p.payDate ?? now.toISOString(),
    }));
    const sum = Math.round(spec.payments.reduce((s, p) => s + Math.round(p.pay * 100), 0)) / 100;
    const body = {
      status: "PUBLISHED",
      revision,
      created: published,
      updated: published,
      published,
      fdr: spec.fdr,
      fdrDate: spec.fdrDate ?? now.toISOString(),
      regulation: `SEPA - Bonifico ${spec.fdr.slice(-8)}`,
      regulationDate: (spec.fdrDate ?? now.toISOString()).slice(0, 10),
      bicCodePouringBank: "UNCRITMMXXX",
      sender: {
        type: "LEGAL_PERSON",
        id: "SELBIT2B",
        pspId: spec.pspId,
        pspName: "PSP di prova",
        pspBrokerId: spec.pspId,
        channelId: `${spec.pspId}_01`,
      },
      receiver: { id: "APPBIT2B", organizationId: spec.organizationId, organizationName: "Comune di prova" },
      computedTotPayments: payments.length,
      computedSumPayments: sum,
      totPayments: spec.totPayments ?? payments.length,
      sumPayments: spec.sumPayments ?? sum,
    };
    revisions.push({ spec, revision, published, payments, body });
    this.#flows.set(key, revisions);
    return { revision, published };
  }

  /** The next `times` requests whose path matches fail with `status` (or a dropped connection). */
  fail(rule: FailureRule): void {
    this.#rules.push({ ...rule });
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://localhost");
    this.requests.push(`${req.method ?? ""} ${url.pathname}${url.search}`);
    const rule = this.#rules.find((r) => r.times > 0 && r.path.test(`${url.pathname}${url.search}`));
    if (rule) {
      rule.times -= 1;
      if (rule.status === "drop") {
        req.socket.destroy();
        return;
      }
      const headers: Record<string, string> =
        rule.retryAfterSeconds === undefined ? {} : { "Retry-After": String(rule.retryAfterSeconds) };
      this.#error(res, rule.status, "injected failure", undefined, headers);
      return;
    }
    if (req.method !== "GET") {
      this.#error(res, 400, `method ${req.method ?? ""} is not supported`);
      return;
    }
    const key = req.headers["ocp-apim-subscription-key"] ?? url.searchParams.get("subscription-key");
    if (this.#subscriptionKey !== undefined && key !== this.#subscriptionKey) {
      this.#error(res, 401, "Access denied due to missing or invalid subscription key");
      return;
    }
    const parts = url.pathname
      .split("/")
      .filter((p) => p !== "")
      .map(decodeURIComponent);
    // organizations/{organizationId}/fdrs[/{fdr}/revisions/{revision}/psps/{pspId}[/payments]]
    if (parts[0] !== "organizations" || parts[2] !== "fdrs" || parts[1] === undefined) {
      this.#error(res, 404, `no operation at ${url.pathname}`);
      return;
    }
    const organization = parts[1];
    if (parts.length === 3) {
      this.#list(res, organization, url.searchParams);
      return;
    }
    const [, , , fdr, revisionsWord, revisionText, pspsWord, pspId, paymentsWord] = parts;
    if (revisionsWord !== "revisions" || pspsWord !== "psps" || fdr === undefined || pspId === undefined) {
      this.#error(res, 404, `no operation at ${url.pathname}`);
      return;
    }
    const revision = Number(revisionText);
    if (!Number.isInteger(revision) || revision < 1) {
      this.#error(res, 400, "revision must be an integer of at least 1", "revision");
      return;
    }
    const found = this.#flows.get(`${organization}/${fdr}/${pspId}`)?.find((r) => r.revision === revision);
    if (!found) {
      this.#error(res, 404, `Reporting Fdr [${fdr}] not found`);
      return;
    }
    if (paymentsWord === undefined && parts.length === 8) {
      this.#json(res, 200, found.body);
      return;
    }
    if (paymentsWord === "payments" && parts.length === 9) {
      const paging = this.#paging(res, url.searchParams, Number.MAX_SAFE_INTEGER);
      if (paging) this.#json(res, 200, page(found.payments, paging.page, paging.size));
      return;
    }
    this.#error(res, 404, `no operation at ${url.pathname}`);
  }

  #list(res: ServerResponse, organization: string, query: URLSearchParams): void {
    const paging = this.#paging(res, query, 1000);
    if (!paging) return;
    const bounds: Record<string, number> = {};
    for (const name of ["publishedGt", "flowDate"]) {
      const value = query.get(name);
      if (value === null) continue;
      if (!dateTimeParam.test(value) || Number.isNaN(Date.parse(`${value}Z`))) {
        this.#error(res, 400, `${name} must be in the format yyyy-MM-dd'T'HH:mm:ss`, name);
        return;
      }
      bounds[name] = Date.parse(`${value}Z`);
    }
    // The contract's default lower bound: the start of the previous calendar month, UTC.
    const now = new Date();
    const fallback = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1);
    const pspId = query.get("pspId");
    const items = [...this.#flows.values()]
      .map((revisions) => revisions[revisions.length - 1])
      .filter((r): r is Revision => r !== undefined && r.spec.organizationId === organization)
      .filter((r) => pspId === null || r.spec.pspId === pspId)
      .filter((r) => Date.parse(r.published) > (bounds.publishedGt ?? fallback))
      .filter((r) => Date.parse(String(r.body.fdrDate)) >= (bounds.flowDate ?? fallback))
      // Newest first, as a listing service would: the client must not rely on the order.
      .sort((a, b) => b.published.localeCompare(a.published))
      .map((r) => ({
        fdr: r.spec.fdr,
        pspId: r.spec.pspId,
        revision: r.revision,
        published: r.published,
        flowDate: r.body.fdrDate,
      }));
    this.#json(res, 200, page(items, paging.page, paging.size));
  }

  #paging(res: ServerResponse, query: URLSearchParams, maxSize: number): { page: number; size: number } | undefined {
    const pageText = query.get("page") ?? "1";
    const sizeText = query.get("size") ?? "1000";
    const pageNo = Number(pageText);
    const size = Number(sizeText);
    if (!/^\d+$/.test(pageText) || pageNo < 1) {
      this.#error(res, 400, "page must be an integer of at least 1", "page");
      return undefined;
    }
    if (!/^\d+$/.test(sizeText) || size < 1 || size > maxSize) {
      this.#error(res, 400, `size must be an integer from 1 to ${maxSize === 1000 ? 1000 : "any"}`, "size");
      return undefined;
    }
    return { page: pageNo, size };
  }

  #json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  #error(res: ServerResponse, status: number, message: string, path?: string, headers: Record<string, string> = {}) {
    this.#json(
      res,
      status,
      {
        ...(status >= 500 && { errorId: `e-${Date.now()}` }),
        httpStatusCode: status,
        httpStatusDescription: descriptions[status] ?? "Error",
        appErrorCode: `FDR-0${status}`,
        errors: [{ ...(path !== undefined && { path }), message }],
      },
      headers,
    );
  }
}

function page<T>(items: readonly T[], pageNo: number, size: number) {
  const data = items.slice((pageNo - 1) * size, pageNo * size);
  return {
    metadata: { pageSize: size, pageNumber: pageNo, totPage: Math.ceil(items.length / size) },
    count: data.length,
    data,
  };
}
