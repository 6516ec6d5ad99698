// The HTTP side of the local host, one request at a time through named steps: resolve the path, answer a CORS
// preflight, serve the admin endpoints (never to a browser), find the route (404/405 before any body is read), read the
// body up to the app's limit (413 without buffering more), invoke the function, add CORS headers, write, and log one
// line. Host-made answers are ProblemJson with the app's X-Request-Id rule.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { requestIdFrom, requestIdHeader } from "../../shared/http/request-id";
import type { RegisteredFunction, RpcHttpCookie, RpcInvocationResponse, RpcTypedData } from "./functions-core";
import type { Invocations } from "./invocations";
import { errorMessage, type Emit } from "./log";
import { matchRoute, splitPath, type RouteParams, type RouteTemplate } from "./route-template";

export interface HttpRoute {
  readonly registration: RegisteredFunction;
  readonly template: RouteTemplate;
  readonly methods: ReadonlySet<string>;
}

/** `Host.CORS` / `Host.CORSCredentials` of local.settings.json, as Core Tools reads them. */
export interface CorsPolicy {
  /** Allowed origins; "*" allows any. */
  readonly origins: readonly string[];
  readonly credentials: boolean;
}

export interface AdminApi {
  /** Starts a non-HTTP function with the given input; undefined when there is no such function. */
  runNow(name: string, input: string): string | undefined;
  invocation(id: string): unknown;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** Set when the request body was left unread: the connection cannot be reused. */
  closeConnection?: boolean;
  functionName?: string;
  invocationId?: string;
  failure?: string;
}

/** Pages the host serves itself (GET /docs …); undefined when the path is not one of them. */
export type LocalPages = (method: string, segments: readonly string[]) => HttpResult | undefined;

export interface HttpServing {
  /** Most specific first (comparePrecedence). */
  readonly routes: readonly HttpRoute[];
  readonly invocations: Invocations;
  readonly admin: AdminApi;
  readonly emit: Emit;
  readonly maxBodyBytes: number;
  /** The limit for multipart/form-data bodies (file uploads), when the app accepts larger ones there. */
  readonly maxFormBodyBytes?: number | undefined;
  readonly cors: CorsPolicy | undefined;
  readonly localPages?: LocalPages;
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

interface Incoming {
  readonly req: http.IncomingMessage;
  readonly method: string;
  /** The raw path, query string left out (it may carry a subscription key): what the log line shows. */
  readonly path: string;
  readonly origin: string;
  bodyRead: boolean;
}

export function createRequestListener(serving: HttpServing, originOf: (req: http.IncomingMessage) => string) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const started = performance.now();
    const incoming: Incoming = {
      req,
      method: (req.method ?? "GET").toUpperCase(),
      path: (req.url ?? "/").split("?")[0] ?? "/",
      origin: originOf(req),
      bodyRead: false,
    };
    void answer(serving, incoming).then((result) => {
      write(res, incoming, result);
      logRequest(serving.emit, incoming, result, performance.now() - started);
    });
  };
}

async function answer(serving: HttpServing, incoming: Incoming): Promise<HttpResult> {
  const requestId = requestIdFrom(header(incoming.req, requestIdHeader));
  const segments = splitPath(incoming.path);
  // The admin endpoints never answer as CORS, so no browser page can read or trigger them.
  const cors = segments?.[0]?.toLowerCase() === "admin" ? undefined : serving.cors;
  try {
    if (!segments) throw new ProblemError(400, "Bad Request", "The path is not valid percent-encoding");
    if (segments[0]?.toLowerCase() === "admin") return await answerAdmin(serving, incoming, segments);
    const preflight = answerPreflight(cors, incoming);
    if (preflight) return preflight;
    const page = serving.localPages?.(incoming.method, segments);
    const result = page ?? (await invokeRoute(serving, incoming, segments));
    return withCors(cors, incoming.req, result);
  } catch (error) {
    const problem =
      error instanceof ProblemError
        ? error
        : new ProblemError(500, "Internal Server Error", "The local host failed to process the request");
    const failure = error instanceof ProblemError ? undefined : errorMessage(error);
    const result = problemResult(problem, requestId);
    return withCors(cors, incoming.req, failure === undefined ? result : { ...result, failure });
  }
}

async function invokeRoute(serving: HttpServing, incoming: Incoming, segments: readonly string[]) {
  const { route, params } = findRoute(serving.routes, incoming, segments);
  const body = await readBody(incoming, bodyLimitOf(serving, incoming));
  return invokeHttp(serving.invocations, route.registration, incoming, params, body);
}

function findRoute(
  routes: readonly HttpRoute[],
  incoming: Incoming,
  segments: readonly string[],
): { route: HttpRoute; params: RouteParams } {
  const allowed = new Set<string>();
  for (const route of routes) {
    const params = matchRoute(route.template, segments);
    if (!params) continue;
    // A route whose methods do not include this one is skipped and the next tried, as ASP.NET routing does.
    if (route.methods.has(incoming.method)) return { route, params };
    route.methods.forEach((m) => allowed.add(m));
  }
  if (allowed.size > 0) {
    const allow = [...allowed].sort().join(", ");
    throw new ProblemError(405, "Method Not Allowed", `${incoming.method} is not allowed here; allowed: ${allow}`, {
      Allow: allow,
    });
  }
  throw new ProblemError(404, "Not Found", `No function is registered for ${incoming.method} ${incoming.path}`);
}

/**
 * The app accepts large bodies only as multipart/form-data (its file uploads); every other body is refused at its
 * JSON limit, so a client cannot make the host hold megabytes the app would refuse anyway.
 */
function bodyLimitOf(serving: HttpServing, incoming: Incoming): number {
  const form = /^multipart\/form-data\b/i.test(header(incoming.req, "content-type") ?? "");
  return form && serving.maxFormBodyBytes !== undefined ? serving.maxFormBodyBytes : serving.maxBodyBytes;
}

/** What the host reads and throws away of a refused body so the client can finish sending and read the 413. */
const drainLimit = { bytes: 64 * 1024 * 1024, ms: 3_000 };

/**
 * Reads the body, refusing it (413) once it passes maxBytes: nothing beyond the limit is ever held. The rest is read
 * and discarded, up to drainLimit, before the answer, because a client still sending when the socket closes sees a
 * broken pipe instead of the 413; a body beyond that is cut off (the connection is closed after the answer).
 */
function readBody(incoming: Incoming, maxBytes: number): Promise<Buffer> {
  const { req } = incoming;
  const tooLarge = () => new ProblemError(413, "Payload Too Large", `The request body exceeds ${maxBytes} bytes`);
  // A declared length beyond what the host would even drain is refused at once.
  if (Number(req.headers["content-length"] ?? "0") > maxBytes + drainLimit.bytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      stop();
      let discarded = 0;
      const refuse = () => {
        clearTimeout(timer);
        req.off("data", discard);
        reject(tooLarge());
      };
      const discard = (more: Buffer) => {
        discarded += more.length;
        if (discarded > drainLimit.bytes) {
          req.pause();
          refuse();
        }
      };
      const timer = setTimeout(() => {
        req.pause();
        refuse();
      }, drainLimit.ms);
      req.on("data", discard);
      req.once("end", refuse);
      req.once("error", refuse);
    };
    const onEnd = () => {
      stop();
      incoming.bodyRead = true;
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onError);
  });
}

async function invokeHttp(
  invocations: Invocations,
  registration: RegisteredFunction,
  incoming: Incoming,
  params: RouteParams,
  body: Buffer,
): Promise<HttpResult> {
  const headers: Record<string, string> = {};
  for (const [key, values] of Object.entries(incoming.req.headersDistinct)) {
    if (values) headers[key] = values.join(key === "cookie" ? "; " : ", ");
  }
  const invocationId = randomUUID();
  const functionName = registration.metadata.name;
  const url = new URL(incoming.req.url ?? "/", incoming.origin).toString();
  try {
    const response = await invocations.run(
      registration,
      { http: { method: incoming.req.method ?? "GET", url, headers, params, body: { bytes: body } } },
      invocationId,
    );
    return { ...toHttpResult(registration, response), functionName, invocationId };
  } catch (error) {
    // Azure answers an unhandled handler error with a bare 500; the app maps its own errors before this point.
    return {
      status: 500,
      headers: {},
      body: Buffer.alloc(0),
      functionName,
      invocationId,
      failure: errorMessage(error),
    };
  }
}

// --- Admin endpoints ------------------------------------------------------------------------------------------------

async function answerAdmin(serving: HttpServing, incoming: Incoming, segments: readonly string[]): Promise<HttpResult> {
  // Browsers send Origin on every cross-site request (and on same-site POSTs); curl, the CLI and tests do not. A page
  // the developer happens to visit must not be able to run the jobs.
  if (header(incoming.req, "origin") !== undefined) {
    throw new ProblemError(403, "Forbidden", "The admin endpoints do not answer browser requests (Origin header)");
  }
  const [, area, id, ...extra] = segments;
  if (area?.toLowerCase() === "functions" && id !== undefined && extra.length === 0) {
    if (incoming.method !== "POST") {
      throw new ProblemError(405, "Method Not Allowed", "Use POST to run a function", { Allow: "POST" });
    }
    const input = adminInput(await readBody(incoming, serving.maxBodyBytes));
    const invocationId = serving.admin.runNow(id, input);
    if (invocationId === undefined) throw new ProblemError(404, "Not Found", `No non-HTTP function named '${id}'`);
    return { status: 202, headers: { "x-invocation-id": invocationId }, body: Buffer.alloc(0) };
  }
  if (area?.toLowerCase() === "invocations" && id !== undefined && extra.length === 0) {
    if (incoming.method !== "GET") throw new ProblemError(405, "Method Not Allowed", "Use GET", { Allow: "GET" });
    const record = serving.admin.invocation(id);
    if (record === undefined) throw new ProblemError(404, "Not Found", `No invocation with id '${id}'`);
    return { status: 200, headers: { "content-type": "application/json" }, body: Buffer.from(JSON.stringify(record)) };
  }
  throw new ProblemError(404, "Not Found", `No admin endpoint at ${incoming.path}`);
}

/** `{"input": "…"}` as Core Tools takes it; a non-string input is passed as its JSON text. */
function adminInput(body: Buffer): string {
  if (body.length === 0) return "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new ProblemError(400, "Bad Request", 'The body must be JSON like {"input": ""}');
  }
  const value = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>).input : undefined;
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

// --- CORS -----------------------------------------------------------------------------------------------------------

function allowedOrigin(cors: CorsPolicy | undefined, req: http.IncomingMessage): string | undefined {
  const origin = header(req, "origin");
  if (cors === undefined || origin === undefined) return undefined;
  if (cors.origins.includes("*")) return cors.credentials ? origin : "*";
  return cors.origins.some((o) => o.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

function corsHeaders(cors: CorsPolicy, allowed: string): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": allowed,
    ...(allowed === "*" ? {} : { Vary: "Origin" }),
    ...(cors.credentials ? { "Access-Control-Allow-Credentials": "true" } : {}),
  };
}

/** A preflight (OPTIONS with Origin and Access-Control-Request-Method) when CORS is configured; else undefined. */
function answerPreflight(cors: CorsPolicy | undefined, incoming: Incoming): HttpResult | undefined {
  const requested = header(incoming.req, "access-control-request-method");
  if (cors === undefined || incoming.method !== "OPTIONS" || requested === undefined) return undefined;
  if (header(incoming.req, "origin") === undefined) return undefined;
  const allowed = allowedOrigin(cors, incoming.req);
  // An origin that is not allowed gets an answer without CORS headers: the browser then refuses the real request.
  if (allowed === undefined) return { status: 204, headers: {}, body: Buffer.alloc(0) };
  const requestedHeaders = header(incoming.req, "access-control-request-headers");
  return {
    status: 204,
    headers: {
      ...corsHeaders(cors, allowed),
      "Access-Control-Allow-Methods": requested.toUpperCase(),
      ...(requestedHeaders === undefined ? {} : { "Access-Control-Allow-Headers": requestedHeaders }),
    },
    body: Buffer.alloc(0),
  };
}

function withCors(cors: CorsPolicy | undefined, req: http.IncomingMessage, result: HttpResult): HttpResult {
  const allowed = allowedOrigin(cors, req);
  if (cors === undefined || allowed === undefined) return result;
  return { ...result, headers: { ...result.headers, ...corsHeaders(cors, allowed) } };
}

// --- Writing and logging --------------------------------------------------------------------------------------------

function problemResult(error: ProblemError, requestId: string): HttpResult {
  return {
    status: error.status,
    headers: { ...error.headers, "Content-Type": "application/problem+json", [requestIdHeader]: requestId },
    body: Buffer.from(JSON.stringify({ title: error.title, status: error.status, detail: error.message })),
  };
}

function write(res: http.ServerResponse, incoming: Incoming, result: HttpResult): void {
  res.statusCode = result.status;
  for (const [key, value] of Object.entries(result.headers)) res.setHeader(key, value);
  const hasBody =
    incoming.req.headers["transfer-encoding"] !== undefined || Number(incoming.req.headers["content-length"] ?? 0) > 0;
  // A body left unread (refused before or while reading it) would otherwise be read to its end to reuse the socket.
  if (hasBody && !incoming.bodyRead) res.setHeader("Connection", "close");
  res.end(result.body);
}

const maxLoggedPath = 300;

function logRequest(emit: Emit, incoming: Incoming, result: HttpResult, elapsedMs: number): void {
  const durationMs = Math.round(elapsedMs);
  const responseId = result.headers[requestIdHeader] ?? result.headers[requestIdHeader.toLowerCase()];
  const requestId = typeof responseId === "string" ? responseId : "-";
  const path = incoming.path.length > maxLoggedPath ? `${incoming.path.slice(0, maxLoggedPath)}…` : incoming.path;
  const failure = result.failure === undefined ? "" : `: ${result.failure}`;
  emit({
    level: result.status >= 500 ? "error" : "information",
    category: "host",
    ...(result.functionName === undefined ? {} : { functionName: result.functionName }),
    ...(result.invocationId === undefined ? {} : { invocationId: result.invocationId }),
    message: `${incoming.method} ${path} ${result.status} ${durationMs}ms requestId=${requestId}${failure}`,
    fields: { method: incoming.method, path, status: result.status, durationMs, requestId },
  });
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === "" ? undefined : first;
}

// --- Function results -----------------------------------------------------------------------------------------------

function toHttpResult(registration: RegisteredFunction, response: RpcInvocationResponse): HttpResult {
  // The HTTP output is the return value unless the app bound a named http output instead.
  let data: RpcTypedData | null | undefined;
  for (const [name, binding] of Object.entries(registration.metadata.bindings)) {
    if (binding.direction !== "out" || binding.type?.toLowerCase() !== "http") continue;
    data = name === "$return" ? response.returnValue : response.outputData?.find((o) => o.name === name)?.data;
    break;
  }
  const httpData = data?.http;
  // A handler that returns nothing gets an empty 200, as the Functions host does.
  if (!httpData) return { status: 200, headers: {}, body: Buffer.alloc(0) };
  const headers: Record<string, string | string[]> = { ...(httpData.headers ?? {}) };
  const cookies = (httpData.cookies ?? []).map(serializeCookie);
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  return { status: Number(httpData.statusCode ?? "200") || 200, headers, body: typedDataToBuffer(httpData.body) };
}

function typedDataToBuffer(data: RpcTypedData | null | undefined): Buffer {
  if (!data) return Buffer.alloc(0);
  if (data.bytes) return Buffer.from(data.bytes);
  if (data.string !== undefined && data.string !== null) return Buffer.from(data.string);
  if (data.json !== undefined && data.json !== null) return Buffer.from(data.json);
  return Buffer.alloc(0);
}

function serializeCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ""}=${cookie.value ?? ""}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const seconds = cookie.expires?.value?.seconds;
  if (typeof seconds === "number") parts.push(`Expires=${new Date(seconds * 1000).toUTCString()}`);
  if (typeof cookie.maxAge?.value === "number") parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push("Secure");
  if (cookie.httpOnly?.value) parts.push("HttpOnly");
  const sameSite = { lax: "Lax", strict: "Strict", explicitNone: "None", none: undefined }[cookie.sameSite ?? "none"];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join("; ");
}
