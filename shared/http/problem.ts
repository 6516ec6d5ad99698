// The one error → ProblemJson mapper. DomainErrors carry their status/title/detail; anything else is a bug or an
// outage: a fixed 500 that leaks nothing, logged in full with the request id.
import type { HttpResponseInit } from "@azure/functions";
import { isDomainError, needsAnOperator } from "../domain/errors";
import type { Logger } from "../logging/logger";

export interface ProblemJson {
  title: string;
  status: number;
  detail: string;
}

export const problemContentType = "application/problem+json";

export function problem(
  status: number,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
): HttpResponseInit {
  const body: ProblemJson = { title, status, detail };
  return { status, jsonBody: body, headers: { "Content-Type": problemContentType, ...headers } };
}

/** How long a caller is asked to wait after a 503 or 429 (the store's request timeout is a few seconds). */
export const RETRY_AFTER_SECONDS = 5;

export function problemFromError(error: unknown, log: Logger): HttpResponseInit {
  if (isDomainError(error)) {
    if (needsAnOperator.has(error.code)) log.error(`${error.code}: ${error.detail}`);
    else if (error.status >= 500) log.warn(`${error.code}: ${error.detail}`);
    const retry = error.status === 503 || error.status === 429;
    return problem(
      error.status,
      error.title,
      error.detail,
      retry ? { "Retry-After": String(RETRY_AFTER_SECONDS) } : {},
    );
  }
  const cause = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const nested = error instanceof Error && error.cause !== undefined ? ` cause: ${describe(error.cause)}` : "";
  log.error(`unexpected error: ${cause}${nested}`);
  return problem(
    500,
    "INTERNAL SERVER ERROR",
    "An unexpected error occurred. Quote the X-Request-Id when reporting it.",
  );
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.stack ?? cause.message;
  try {
    return JSON.stringify(cause);
  } catch {
    return String(cause);
  }
}
