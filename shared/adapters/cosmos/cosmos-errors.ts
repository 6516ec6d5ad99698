// SDK failures are translated here, at the edge: the domain never sees an SDK error.
import { DomainError } from "../../domain/errors";

/** The HTTP status of a Cosmos SDK error (ErrorResponse.code), if it has one. */
export function cosmosStatus(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = error.code;
    if (typeof code === "number") return code;
  }
  return undefined;
}

// What the SDK throws when it cannot reach the store or gives up waiting: its own TimeoutError, a send error, and the
// socket errors of Node. None of them says anything about the request, so the caller may retry it (503).
const unreachableCodes = new Set([
  "TimeoutError",
  "REQUEST_SEND_ERROR",
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** True when the error (or one of its causes) says the store could not be reached or did not answer in time. */
export function isStoreUnreachable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 5) return false;
  const { code, name, cause } = error as { code?: unknown; name?: unknown; cause?: unknown };
  if (code === 408 || code === 503) return true;
  if (typeof code === "string" && unreachableCodes.has(code)) return true;
  if (name === "TimeoutError" || name === "AbortError") return true;
  // SDK 4's transactional batch rethrows every failure as a plain Error, keeping only the message.
  const message = (error as { message?: unknown }).message;
  if (typeof message === "string" && message.startsWith("Batch request error: ") && transportFailure.test(message)) {
    return true;
  }
  return isStoreUnreachable(cause, depth + 1);
}

const transportFailure =
  /timeout|ECONN|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|socket|fetch failed/i;

export const storeUnavailable = () =>
  new DomainError("SERVICE_UNAVAILABLE", `The store is temporarily unavailable: retry the request later.`);

/** Failures a caller can do something about become DomainErrors; the rest keep their cause for the logs. */
export function cosmosFailure(error: unknown, verb: string, thing: string): Error {
  if (error instanceof DomainError) return error;
  const status = cosmosStatus(error);
  if (status === 429) return new DomainError("TOO_MANY_REQUESTS", `The store is busy: retry the request later.`);
  if (isStoreUnreachable(error)) return storeUnavailable();
  return new Error(`Failed to ${verb} ${thing}`, { cause: error });
}
