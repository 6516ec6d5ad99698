// Optimistic concurrency, one policy for every use case: a conditional write that lost a race
// (CONCURRENT_MODIFICATION, an ETag mismatch) is decided again on fresh data, after a short random pause so that
// writers contending for one position spread out instead of colliding again in lockstep.
import { DomainError } from "../domain/errors";

export const isLostRace = (e: unknown): boolean => e instanceof DomainError && e.code === "CONCURRENT_MODIFICATION";

/** "Full jitter": a random pause up to 10 ms × 2^(attempt-1), at most 250 ms. */
export const jitteredPause = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 10 * 2 ** (attempt - 1))));

/**
 * Runs `attempt(n)` (n = 1, 2, …) until it does not lose a race, at most `maxAttempts` times; the last loss, and any
 * other error, is thrown to the caller.
 */
export async function retryLostRaces<T>(
  attempt: (n: number) => Promise<T>,
  maxAttempts: number,
  pause: (n: number) => Promise<void> = jitteredPause,
): Promise<T> {
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (e) {
      if (!isLostRace(e) || n >= maxAttempts) throw e;
      await pause(n);
    }
  }
}
