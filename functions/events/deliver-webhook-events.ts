// Queue trigger deliverWebhookEvents, fired by a message of the `webhook-deliveries` queue (one per "run delivery
// for this webhook", from the dispatcher, a replay, a backoff or a run handing over). A run that throws is retried
// by the host (dequeue count, then the poison queue); the webhook's lease and wakeAt make any run safe to repeat.
import type { InvocationContext, StorageQueueHandler } from "@azure/functions";
import { z } from "zod";
import { deliverWebhook, type DeliveryDeps } from "../../shared/application/webhook-delivery";
import { correlatedLogger } from "../../shared/logging/logger";

const messageSchema = z.object({ organizationFiscalCode: z.string().max(64), webhookId: z.string().max(64) });

export const makeDeliverWebhookEvents =
  (deps: Omit<DeliveryDeps, "log">): StorageQueueHandler =>
  async (message: unknown, context: InvocationContext): Promise<void> => {
    const log = correlatedLogger(context, "run", context.invocationId);
    const parsed = messageSchema.safeParse(typeof message === "string" ? parseJson(message) : message);
    if (!parsed.success) {
      // Not ours: retrying cannot help, and throwing would only move it to the poison queue five tries later.
      log.warn("deliverWebhookEvents: ignored a malformed message");
      return;
    }
    try {
      const run = await deliverWebhook({ ...deps, log }, parsed.data);
      if (run.delivered + run.failed > 0 || run.outcome !== "idle")
        log.info("deliverWebhookEvents", { ...parsed.data, ...run });
    } catch (e) {
      log.error(`deliverWebhookEvents: run failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
