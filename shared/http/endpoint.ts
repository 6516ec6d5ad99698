// The cross-cutting part of every HTTP function, so handlers stay parse → execute → encode: the request id
// (echoed or generated, on every response and log line), the subscription key check, the body limit, and the
// single error mapper.
import { randomUUID } from "node:crypto";
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import type { Authenticator } from "../application/authenticator";
import { DomainError } from "../domain/errors";
import type { Caller, Environment, Product } from "../domain/subscriptions/subscription";
import { correlatedLogger, type Logger } from "../logging/logger";
import { problemFromError } from "./problem";
import { narrowSegregationCodes, parseSegregationCodesParam } from "./query-parameters";

export interface HttpDeps {
  authenticator: Authenticator;
  environment: Environment;
  clock: () => Date;
  maxBodyBytes: number;
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
  product: Product | "any";
  /** Name of the route parameter holding the organization fiscal code, if the operation is about one. */
  organizationParam?: string;
}

const requestIdPattern = /^[\w.:@-]{1,128}$/;
const requestIdHeader = "X-Request-Id";

export function endpoint(
  deps: HttpDeps,
  options: EndpointOptions,
  handle: (scope: RequestScope) => Promise<HttpResponseInit>,
): HttpHandler {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const incoming = request.headers.get(requestIdHeader);
    // A caller's id is echoed only when it is safe to put in logs and headers.
    const requestId = incoming !== null && requestIdPattern.test(incoming) ? incoming : randomUUID();
    const log = correlatedLogger(context, "requestId", requestId);
    let response: HttpResponseInit;
    try {
      const organizationFiscalCode =
        options.organizationParam === undefined ? undefined : request.params[options.organizationParam];
      const authenticated = await deps.authenticator.authenticate(subscriptionKeyOf(request), {
        environment: deps.environment,
        product: options.product,
        organizationFiscalCode,
      });
      // API Management's `segregationCodes` narrows what the key may see, never widens it.
      const requestedCodes = parseSegregationCodesParam(request.query.get("segregationCodes"));
      const caller: Caller = {
        ...authenticated,
        segregationCodes: narrowSegregationCodes(authenticated.segregationCodes, requestedCodes),
      };
      response = await handle({
        request,
        requestId,
        log,
        caller,
        now: deps.clock(),
        organizationFiscalCode,
        readJson: () => readJsonBody(request, deps.maxBodyBytes),
      });
    } catch (error) {
      response = problemFromError(error, log);
    }
    return withHeader(response, requestIdHeader, requestId);
  };
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
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new DomainError("BAD_REQUEST", `Malformed JSON: ${(e as Error).message}`);
  }
}

const tooLarge = (maxBytes: number) =>
  new DomainError("PAYLOAD_TOO_LARGE", `The request body exceeds the limit of ${maxBytes} bytes.`);

function withHeader(response: HttpResponseInit, name: string, value: string): HttpResponseInit {
  const headers = new Headers(response.headers);
  headers.set(name, value);
  return { ...response, headers: Object.fromEntries(headers.entries()) };
}
