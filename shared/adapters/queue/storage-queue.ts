// The one Storage queue producer, behind every queue port of the app (upload chunks, notice jobs, webhook
// deliveries). Messages are JSON, base64-encoded as the Functions host's queue trigger expects by default (host.json
// extensions.queues.messageEncoding), so the queue-triggered function receives the parsed object.
import type { QueueClient } from "@azure/storage-queue";

/** Storage keeps a message invisible for at most seven days. */
const MAX_DELAY_SECONDS = 7 * 24 * 3600 - 1;

export class StorageQueue<T> {
  readonly #queue: QueueClient;
  #ready: Promise<unknown> | undefined;

  constructor(queue: QueueClient) {
    this.#queue = queue;
  }

  /** Sends one message, visible to the trigger after `delaySeconds` (at most seven days). */
  async send(message: T, delaySeconds = 0): Promise<void> {
    const text = Buffer.from(JSON.stringify(message), "utf8").toString("base64");
    try {
      // Bicep creates the queue in Azure and the bootstrap locally; created on first use too, so a queue deleted by
      // hand does not lose the next message. One call per instance while it succeeds.
      this.#ready ??= this.#queue.createIfNotExists().catch((e: unknown) => {
        this.#ready = undefined;
        throw e;
      });
      await this.#ready;
      const visibilityTimeout = Math.max(0, Math.min(Math.ceil(delaySeconds), MAX_DELAY_SECONDS));
      await this.#queue.sendMessage(text, visibilityTimeout > 0 ? { visibilityTimeout } : {});
    } catch (e) {
      throw new Error(`Failed to enqueue a message on ${this.#queue.name}`, { cause: e });
    }
  }

  /** `send` under the name of the events' DeliveryQueue port. */
  enqueue(message: T, delaySeconds = 0): Promise<void> {
    return this.send(message, delaySeconds);
  }
}
