// The delivery queue on Azure Storage (Azurite locally): one message per "run delivery for this webhook", consumed
// by the queue-triggered deliverWebhookEvents. Messages are base64 JSON, the Functions host's default encoding for
// queue triggers (host.json extensions.queues.messageEncoding).
import type { QueueClient } from "@azure/storage-queue";
import type { DeliveryQueue, DeliveryWork } from "../../domain/events/ports";

export const encodeMessage = (work: DeliveryWork): string =>
  Buffer.from(JSON.stringify(work), "utf8").toString("base64");

export class StorageDeliveryQueue implements DeliveryQueue {
  readonly #queue: QueueClient;

  constructor(queue: QueueClient) {
    this.#queue = queue;
  }

  async enqueue(work: DeliveryWork, delaySeconds = 0): Promise<void> {
    try {
      await this.#queue.sendMessage(encodeMessage(work), {
        visibilityTimeout: Math.max(0, Math.min(Math.ceil(delaySeconds), 7 * 24 * 3600 - 1)),
      });
    } catch (e) {
      throw new Error("Failed to enqueue webhook delivery", { cause: e });
    }
  }
}
