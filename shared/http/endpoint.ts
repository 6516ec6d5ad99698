// The cross-cutting part of every HTTP function, so handlers stay parse → execute → encode: the request id
// (echoed or generated, on every response and log line), the subscription key check, the body limit, and the
// single error mapper.
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import type { Authenticator } from "../application/authenticator";
import { DomainError } from "../domain/errors";
import type { Caller, Environment, Product } from "../domain/subscriptions/subscription";
import { correlatedLogger, type Logger } from "../logging/logger";
import { problemFromError } from "./problem";
import { requestIdFrom, requestIdHeader } from "./request-id";
import { narrowSegregationCodes, parseSegregationCodesParam, refuseUnknownQueryParameters } from "./query-parameters";

export interface HttpDeps {
  authenticator: Authenticator;
  environment: Environment;
  clock: () => Date;
  maxBodyBytes: number;
  /**
   * The longest a request may take before it is answered 503 with Retry-After (a frozen store must not hold callers
   * for a minute). The work itself is not cancelled: an interrupted write is recognised when retried (docs/adr/0016).
   */
  deadlineMs?: number | undefined;
}

export interface RequestScope {
  request: HttpRequest;
  requestId: string;
  log: Logger;
  caller: Caller;
  now: Date;
  /** The organization named by the path, already checked against the caller's grant. */
  organizationFiscalCode: string | undefined;
  /** Reads and parses the JSON body: 413 over the limit, 415 for another media type, 400 when absent or malformed. */
  readJson(): Promise<unknown>;
}

export interface EndpointOptions {
  /** "none": no key at all (only what a deployment chooses to publish, e.g. local API docs). */
  product: Product | "any" | "none";
  /** Name of the route parameter holding the organization fiscal code, if the operation is about one. */
  organizationParam?: string;
  /**
   * The query parameters the operation takes (none when absent): any other is refused with a 400 that names it, so a
   * misspelt `topublish=true` is never silently ignored. "any" for the SOAP surface, whose errors are faults.
   */
  query?: readonly string[] | "any";
}

const anonymous: Caller = { subscriptionName: "anonymous", organizations: [], products: [] };

export function endpoint(
  deps: HttpDeps,
  options: EndpointOptions,
  handle: (scope: RequestScope) => Promise<HttpResponseInit>,
): HttpHandler {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const requestId = requestIdFrom(request.headers.get(requestIdHeader));
    const log = correlatedLogger(context, "requestId", requestId);
    let response: HttpResponseInit;
    try {
      const organizationFiscalCode =
        options.organizationParam === undefined ? undefined : request.params[options.organizationParam];
      const product = options.product;
      const work = (async () => {
        const authenticated =
          product === "none"
            ? anonymous
            : await deps.authenticator.authenticate(subscriptionKeyOf(request), {
                environment: deps.environment,
                product,
                organizationFiscalCode,
              });
        if (options.query !== "any") refuseUnknownQueryParameters(request.query, options.query ?? []);
        // API Management's `segregationCodes` narrows what the key may see, never widens it.
        const requestedCodes = parseSegregationCodesParam(request.query.get("segregationCodes"));
        const caller: Caller = {
          ...authenticated,
          segregationCodes: narrowSegregationCodes(authenticated.segregationCodes, requestedCodes),
        };
        return handle({
          request,
          requestId,
          log,
          caller,
          now: deps.clock(),
          organizationFiscalCode,
          readJson: () => readJsonBody(request, deps.maxBodyBytes),
        });
      })();
      response = deps.deadlineMs === undefined ? await work : await withinDeadline(work, deps.deadlineMs, log);
    } catch (error) {
      response = problemFromError(error, log);
    }
    return withHeader(response, requestIdHeader, requestId);
  };
}

/** The work's answer, or 503 once `ms` have passed; a late outcome of the work is only logged. */
async function withinDeadline<T>(work: Promise<T>, ms: number, log: Logger): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const state = { expired: false };
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      state.expired = true;
      reject(
        new DomainError("SERVICE_UNAVAILABLE", `The request could not be completed within ${ms} ms: retry it later.`),
      );
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    // The work's own failure (a 401, a 404…) is answered as it is; only work outlived by the deadline is followed.
    if (!state.expired) throw error;
    work.then(
      () => {
        log.warn(`the request finished after its ${ms} ms deadline had already answered 503`);
      },
      (late: unknown) => {
        log.warn(`the request failed after its ${ms} ms deadline: ${late instanceof Error ? late.message : "?"}`);
      },
    );
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** API Management accepts the key in a header or in the `subscription-key` query parameter; so do we. */
function subscriptionKeyOf(request: HttpRequest): string | undefined {
  return request.headers.get("Ocp-Apim-Subscription-Key") ?? request.query.get("subscription-key") ?? undefined;
}

export async function readJsonBody(request: HttpRequest, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const contentType = request.headers.get("content-type");
  if (contentType !== null && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType.trim())) {
    throw new DomainError("UNSUPPORTED_MEDIA_TYPE", `Content-Type must be application/json, got ${contentType}`);
  }
  const text = await request.text();
  if (Buffer.byteLength(text, "utf8") > maxBytes) throw tooLarge(maxBytes);
  if (text.trim().length === 0) throw new DomainError("BAD_REQUEST", "The request body is required.");
  if (textExceedsDepth(text, MAX_JSON_DEPTH)) {
    throw new DomainError("BAD_REQUEST", `The request body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DomainError("BAD_REQUEST", `Malformed JSON: ${(e as Error).message}`);
  }
}

/**
 * The nesting depth of JSON text, measured on the characters before anything is parsed: one pass, no allocation.
 * Brackets inside strings do not count. Malformed text is left for JSON.parse to refuse.
 */
export function textExceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/**
 * Our deepest body (bulk → position → option → transfer → metadata → item) is 6 levels. Anything much deeper is
 * refused before it is even parsed, so no recursive code (validation, error messages) sees it: 50,000 nested objects
 * used to overflow the stack while the error was being built.
 */
export const MAX_JSON_DEPTH = 32;

const tooLarge = (maxBytes: number) =>
  new DomainError("PAYLOAD_TOO_LARGE", `The request body exceeds the limit of ${maxBytes} bytes.`);

function withHeader(response: HttpResponseInit, name: string, value: string): HttpResponseInit {
  const headers = new Headers(response.headers);
  headers.set(name, value);
  return { ...response, headers: Object.fromEntries(headers.entries()) };
}
