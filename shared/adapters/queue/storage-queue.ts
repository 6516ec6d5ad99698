// A Storage queue producer. Messages are JSON, base64-encoded as the Functions host's queue trigger expects by
// default (host.json extensions.queues.messageEncoding), so the queue-triggered function receives the parsed object.
import type { QueueClient } from "@azure/storage-queue";

export class StorageQueueSender<T> {
  readonly #queue: QueueClient;

  constructor(queue: QueueClient) {
    this.#queue = queue;
  }

  #ready: Promise<unknown> | undefined;

  async send(message: T): Promise<void> {
    const text = Buffer.from(JSON.stringify(message), "utf8").toString("base64");
    try {
      // Bicep creates the queue in Azure; locally the first message creates it. One call per instance either way.
      this.#ready ??= this.#queue.createIfNotExists().catch((e: unknown) => {
        this.#ready = undefined;
        throw e;
      });
      await this.#ready;
      await this.#queue.sendMessage(text);
    } catch (e) {
      throw new Error(`Failed to enqueue a message on ${this.#queue.name}`, { cause: e });
    }
  }
}
