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

/** Failures a caller can do something about become DomainErrors; the rest keep their cause for the logs. */
export function cosmosFailure(error: unknown, verb: string, thing: string): Error {
  if (error instanceof DomainError) return error;
  const status = cosmosStatus(error);
  if (status === 429) return new DomainError("TOO_MANY_REQUESTS", `The store is busy: retry the request later.`);
  if (status === 503 || status === 408) {
    return new DomainError("SERVICE_UNAVAILABLE", `The store is temporarily unavailable: retry the request later.`);
  }
  return new Error(`Failed to ${verb} ${thing}`, { cause: error });
}
