// The two status jobs (docs/domain/jobs.md, docs/domain/jobs.md): PUBLISHED → VALID once validity begins, VALID → EXPIRED once
// the last due date has passed. Candidates come from an indexed query walked with a continuation token; each change
// is a conditional write, so a position the API changed, paid or deleted since the query is left as the API left
// it. A re-run finds exactly what is still due: the jobs are idempotent and resumable by construction.
import { isDueForExpiry, isDueForValidation } from "../domain/debt-positions/effective-status";
import { expireDebtPosition, validateDebtPosition } from "../domain/debt-positions/lifecycle";
import type { DebtPositionRepository, JobKind } from "../domain/debt-positions/ports";
import type { Logger } from "../logging/logger";
import { isLostRace } from "./lost-races";

export interface StatusJobSummary {
  kind: JobKind;
  examined: number;
  changed: number;
  /** Changed by someone else between the query and our conditional write: left alone. */
  skipped: number;
  failed: number;
  /** Stored documents that no longer parse: logged with their id and left alone, so they never stop a run. */
  unreadable: number;
  batches: number;
  durationMs: number;
}

export interface StatusJobDeps {
  repository: DebtPositionRepository;
  clock: () => Date;
  batchSize: number;
  log: Logger;
}

const rules = {
  validate: { isDue: isDueForValidation, apply: validateDebtPosition, verb: "validated" },
  expire: { isDue: isDueForExpiry, apply: expireDebtPosition, verb: "expired" },
} as const;

export async function runStatusJob(kind: JobKind, deps: StatusJobDeps): Promise<StatusJobSummary> {
  const started = Date.now();
  // One instant for the whole run, so the query and every decision agree on the boundary.
  const now = deps.clock();
  const rule = rules[kind];
  const summary: StatusJobSummary = {
    kind,
    examined: 0,
    changed: 0,
    skipped: 0,
    failed: 0,
    unreadable: 0,
    batches: 0,
    durationMs: 0,
  };
  let continuation: string | undefined;
  let firstFailure: unknown;
  do {
    const page = await deps.repository.findJobCandidates(kind, now, deps.batchSize, continuation);
    continuation = page.continuation;
    summary.batches += 1;
    for (const bad of page.unreadable ?? []) {
      summary.unreadable += 1;
      deps.log.error(`${kind}: skipped unreadable debt position document ${bad.id}`, { reason: bad.reason });
    }
    for (const stored of page.items) {
      summary.examined += 1;
      // The query is a pre-filter; the domain predicate is the rule (equal timestamps included).
      if (!rule.isDue(stored.value, now)) {
        summary.skipped += 1;
        continue;
      }
      try {
        await deps.repository.replace(stored, rule.apply(stored.value, now));
        summary.changed += 1;
      } catch (e) {
        if (isLostRace(e)) {
          summary.skipped += 1;
        } else {
          summary.failed += 1;
          firstFailure ??= e;
          deps.log.error(`${kind}: could not change ${stored.value.organizationFiscalCode}/${stored.value.iupd}`, {
            error: e instanceof Error ? e.message : String(e),
          });
        }
      }
    }
    deps.log.info(`${kind}: batch ${summary.batches} done`, {
      examined: summary.examined,
      changed: summary.changed,
      skipped: summary.skipped,
      failed: summary.failed,
      unreadable: summary.unreadable,
    });
  } while (continuation !== undefined);
  summary.durationMs = Date.now() - started;
  deps.log.info(`${kind}: run finished, ${summary.changed} ${rule.verb}`, { ...summary });
  if (firstFailure !== undefined) {
    // Rethrown so the host records a failed run and retries; what succeeded stays done.
    throw new Error(`${kind}: ${summary.failed} position(s) could not be changed`, { cause: firstFailure });
  }
  return summary;
}
