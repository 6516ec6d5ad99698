// Applying flow entries to debt positions, shared by both sources of flows (the XML inbox and FdR-3), by revisions
// (un-reporting what a newer revision dropped) and by reconciliation. Whatever the caller, the I/O has one shape:
// the IUVs are looked up 100 at a time (PositionLookup: a couple of queries per hundred IUVs, not two reads per IUV),
// the items are grouped by position, each position is decided on all its items at once and written once with a
// conditional replace; a lost race re-reads that position and decides again. So a flow of n payments costs about
// n/100 × 2 lookups plus one write per position it changes (docs/adr/0035-fdr3-revisions.md, "Round trips").
import type { DebtPosition } from "../domain/debt-positions/model";
import type { DebtPositionRepository, Versioned } from "../domain/debt-positions/ports";
import { applyEntries, unknownIuv, type EntryResult, type FlowEntry } from "../domain/reporting/flow-report";
import type { ReportingFlow } from "../domain/reporting/flow";
import type { PositionLookup } from "../domain/reporting/ports";
import { forEachInSlices } from "../runtime/event-loop";
import { retryLostRaces } from "./lost-races";

export interface FlowApplyDeps {
  positions: Pick<DebtPositionRepository, "get" | "replace">;
  lookup: PositionLookup;
  /** Positions written at the same time (default 16). */
  concurrency?: number;
  /** Conditional writes of one position that may lose a race before the run gives up on it (default 5). */
  maxAttempts?: number;
}

/** IUVs per lookup: the claim query and the position query each name at most this many ids. */
export const LOOKUP_BATCH = 100;

export interface Decision<R> {
  next?: DebtPosition | undefined;
  out: R[];
}

/**
 * The generic loop: `decide` sees a position (undefined when no position holds the IUVs) with all the items naming
 * it and answers the position to write (or none) and what to report about the items.
 */
export async function forPositionsOf<T extends { iuv: string }, R>(
  organization: string,
  items: readonly T[],
  deps: FlowApplyDeps,
  decide: (position: DebtPosition | undefined, items: T[]) => Decision<R>,
): Promise<{ out: R[]; writes: number }> {
  const byIuv = new Map<string, T[]>();
  // Grouped in slices: tens of thousands of items must not hold the event loop (docs/adr/0066-big-flows-yield.md).
  await forEachInSlices(items, (item) => {
    const list = byIuv.get(item.iuv);
    if (list) list.push(item);
    else byIuv.set(item.iuv, [item]);
  });
  const iuvs = [...byIuv.keys()];
  const chunks: string[][] = [];
  for (let i = 0; i < iuvs.length; i += LOOKUP_BATCH) chunks.push(iuvs.slice(i, i + LOOKUP_BATCH));

  const groups = new Map<string, { stored: Versioned<DebtPosition>; items: T[] }>();
  const out: R[] = [];
  await forEachLimited(chunks, 4, async (chunk) => {
    const found = await deps.lookup.findByIuvs(organization, chunk);
    for (const iuv of chunk) {
      const named = byIuv.get(iuv) ?? [];
      const stored = found.get(iuv);
      if (!stored) {
        out.push(...decide(undefined, named).out);
        continue;
      }
      const group = groups.get(stored.value.iupd);
      if (group) group.items.push(...named);
      else groups.set(stored.value.iupd, { stored, items: [...named] });
    }
  });

  let writes = 0;
  await forEachLimited([...groups.values()], deps.concurrency ?? 16, async (group) => {
    // The EC or another run may change the position after it was read: then decide again on what is there now.
    const decided = await retryLostRaces(async (attempt) => {
      const stored = attempt === 1 ? group.stored : await deps.positions.get(organization, group.stored.value.iupd);
      const decision = decide(stored?.value, group.items);
      if (stored && decision.next) {
        await deps.positions.replace(stored, decision.next);
        return { out: decision.out, written: true };
      }
      return { out: decision.out, written: false };
    }, deps.maxAttempts ?? 5);
    out.push(...decided.out);
    if (decided.written) writes += 1;
  });
  return { out, writes };
}

interface EntryItem extends FlowEntry {
  iuv: string;
}

/**
 * Reports the transfers named by executed, de-duplicated entries of one flow (planFlow's byIuv), each position
 * decided on all its entries and written once. Also the entry point for reporting a single transfer: one entry.
 */
export async function applyFlowEntries(
  organization: string,
  flow: Pick<ReportingFlow, "flowId" | "flowDateTime">,
  entries: readonly FlowEntry[],
  now: Date,
  deps: FlowApplyDeps,
): Promise<{ results: EntryResult[]; writes: number }> {
  const items: EntryItem[] = [];
  await forEachInSlices(entries, (e) => {
    items.push({ ...e, iuv: e.payment.iuv });
  });
  const { out, writes } = await forPositionsOf<EntryItem, EntryResult>(organization, items, deps, (position, named) => {
    const sorted = [...named].sort((a, b) => a.entry - b.entry);
    if (!position) return { out: unknownIuv(sorted, organization) };
    const { next, results } = applyEntries(position, sorted, flow, now);
    return { next, out: results };
  });
  return { results: out, writes };
}

/**
 * Runs `task` over `items` with at most `limit` in flight. After a failure no new task starts; the ones in flight are
 * awaited (so nothing still runs when the caller moves on) and the first failure is rethrown.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await task(item);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
}
