// dispatchEvents (docs/adr/0040, 0042): moves the outbox forward. Every run
//   1. finds organizations with pending outbox documents, or whose webhooks were not yet told of new events, page
//      after page until none is left or the run's time budget is spent (the next run carries on);
//   2. gives their pending events feed positions (one batch per 99 documents, conditional on the feed document);
//   3. asks a delivery run for each of their active webhooks (a queue message), then marks the feed notified;
//   4. wakes webhooks whose backoff ended or whose delivery run died (wakeAt in the past), postponing the next
//      wake-up so that a slow queue is not flooded with copies.
// Every step is idempotent, so a run that dies is finished by the next one; nothing here is on a request's path.
import type { DeliveryQueue, EventLog, WebhookRepository } from "../domain/events/ports";
import { isDomainError } from "../domain/errors";
import type { Logger } from "../logging/logger";

export interface DispatchDeps {
  events: EventLog;
  webhooks: WebhookRepository;
  queue: DeliveryQueue;
  clock: () => Date;
  log: Logger;
  /** Organizations asked for per page of work. */
  organizationsPerPage?: number;
  /** Time after which a run stops taking new pages (the rest wait for the next run). */
  budgetMs?: number;
  /** How long a woken webhook is left alone before the sweep wakes it again. */
  rewakeMs?: number;
}

export interface DispatchSummary {
  organizations: number;
  sequenced: number;
  woken: number;
}

export async function dispatchEvents(deps: DispatchDeps): Promise<DispatchSummary> {
  const summary: DispatchSummary = { organizations: 0, sequenced: 0, woken: 0 };
  const started = deps.clock().getTime();
  const budgetMs = deps.budgetMs ?? 20_000;
  const seen = new Set<string>();
  for (;;) {
    const page = await deps.events.organizationsToDispatch(deps.organizationsPerPage ?? 200);
    // An organization seen twice in one run is being written to as we go: the next run takes it up again.
    const organizations = page.filter((org) => !seen.has(org));
    if (organizations.length === 0) break;
    for (const org of organizations) {
      seen.add(org);
      summary.organizations += 1;
      summary.sequenced += await deps.events.sequence(org);
      const hooks = (await deps.webhooks.list(org)).filter((w) => w.status === "active");
      await Promise.all(hooks.map((w) => deps.queue.enqueue({ organizationFiscalCode: org, webhookId: w.id })));
      summary.woken += hooks.length;
      await deps.events.markNotified(org);
    }
    if (deps.clock().getTime() - started >= budgetMs) break;
  }
  const now = deps.clock();
  for (const due of await deps.webhooks.due(now, 100)) {
    const hook = due.value;
    try {
      await deps.webhooks.save(
        due,
        { ...hook, wakeAt: new Date(now.getTime() + (deps.rewakeMs ?? 60_000)).toISOString() },
        [],
      );
    } catch (e) {
      // A delivery run or a replay changed it meanwhile: it is being looked after.
      if (isDomainError(e) && e.code === "CONCURRENT_MODIFICATION") continue;
      throw e;
    }
    await deps.queue.enqueue({ organizationFiscalCode: hook.organizationFiscalCode, webhookId: hook.id });
    summary.woken += 1;
  }
  if (summary.organizations > 0 || summary.woken > 0) deps.log.info("dispatchEvents", { ...summary });
  return summary;
}
