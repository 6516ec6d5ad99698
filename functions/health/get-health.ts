// GET /health — liveness of the app and a cheap reachability check of its stores, without a key and without data:
// {status: "UP" | "DOWN", checks: {cosmos: "UP" | "DOWN", blob: "UP" | "DOWN"}}, 200 when every check passed, 503
// (with Retry-After) otherwise. Each check is one metadata read (the database, one Blob container) bounded in time,
// so a frozen store makes the answer DOWN in a few seconds rather than hang. Reasons go to the log, not the answer.
import type { HttpHandler, HttpResponseInit } from "@azure/functions";
import { requestIdFrom, requestIdHeader } from "../../shared/http/request-id";
import { blobContainers } from "../../shared/storage/definition";
import type { Dependencies } from "../dependencies";

export type HealthCheck = (signal: AbortSignal) => Promise<unknown>;

export interface HealthDeps {
  checks: Readonly<Record<string, HealthCheck>>;
  /** Per check; a check that takes longer counts as DOWN. */
  timeoutMs?: number;
}

const defaultTimeoutMs = 3000;
const retryAfterSeconds = "5";

/** Reads the database's and one container's metadata: they exist after bootstrap and carry no business data. */
export function storeChecks(
  deps: Pick<Dependencies, "cosmos" | "blobService" | "config">,
): Record<string, HealthCheck> {
  const database = deps.cosmos.database(deps.config.cosmos.database);
  const container = deps.blobService.getContainerClient(blobContainers.receipts);
  return {
    cosmos: (abortSignal) => database.read({ abortSignal }),
    blob: (abortSignal) => container.getProperties({ abortSignal }),
  };
}

async function probe(check: HealthCheck, timeoutMs: number): Promise<string | undefined> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve(`no answer within ${timeoutMs} ms`);
    }, timeoutMs);
  });
  const answered = check(abort.signal).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export const makeGetHealth =
  (deps: HealthDeps): HttpHandler =>
  async (request, context): Promise<HttpResponseInit> => {
    const requestId = requestIdFrom(request.headers.get(requestIdHeader));
    const timeoutMs = deps.timeoutMs ?? defaultTimeoutMs;
    const results = await Promise.all(
      Object.entries(deps.checks).map(async ([name, check]) => [name, await probe(check, timeoutMs)] as const),
    );
    const checks: Record<string, "UP" | "DOWN"> = {};
    for (const [name, failure] of results) {
      checks[name] = failure === undefined ? "UP" : "DOWN";
      if (failure !== undefined) context.warn(`[requestId=${requestId}] health: ${name} is down: ${failure}`);
    }
    const up = results.every(([, failure]) => failure === undefined);
    return {
      status: up ? 200 : 503,
      headers: {
        [requestIdHeader]: requestId,
        "Cache-Control": "no-store",
        ...(up ? {} : { "Retry-After": retryAfterSeconds }),
      },
      jsonBody: { status: up ? "UP" : "DOWN", checks },
    };
  };
