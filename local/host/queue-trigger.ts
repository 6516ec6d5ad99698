// Queue triggers as the Functions host's Storage Queues extension runs them, against any queue service (Azurite
// locally): poll with exponential back-off while idle, fetch `batchSize` messages and fetch again once no more than
// `newBatchThreshold` are still running, delete on success, make visible again after `visibilityTimeout` on failure,
// and move a message to `<queue>-poison` once it has failed `maxDequeueCount` times. See
// docs/adr/0011-local-queue-triggers.md.
import { QueueServiceClient, type QueueClient, type ReceivedMessageItem } from "@azure/storage-queue";
import { DefaultAzureCredential } from "@azure/identity";
import type { RpcTypedData } from "./functions-core";
import type { QueuesOptions } from "./host-json";

/** The shortest pause between two empty polls; it doubles up to maxPollingInterval. */
export const minPollingIntervalMs = 100;
/** Messages are held this long while their function runs, renewed at half of it (the extension's own values). */
export const defaultHoldSeconds = 600;

/**
 * The hold time: the extension's 600 s unless LOCAL_QUEUE_HOLD_SECONDS (local host only, 1–600) shortens it, so a
 * test that kills the host mid-message sees the message delivered again within seconds rather than ten minutes.
 */
export function holdSecondsOf(settings: NodeJS.ProcessEnv): number {
  const raw = settings.LOCAL_QUEUE_HOLD_SECONDS?.trim();
  if (raw === undefined || raw === "") return defaultHoldSeconds;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > defaultHoldSeconds) {
    throw new Error(`LOCAL_QUEUE_HOLD_SECONDS must be a whole number of seconds from 1 to 600, got "${raw}"`);
  }
  return n;
}

export type QueueLogLevel = "debug" | "information" | "warning" | "error";

export interface QueueListenerOptions {
  readonly functionName: string;
  readonly queueName: string;
  readonly service: QueueServiceClient;
  readonly options: QueuesOptions;
  /** Runs the function once; resolves true when it succeeded (failures are logged by the caller). */
  readonly run: (triggerData: RpcTypedData, triggerMetadata: Record<string, RpcTypedData>) => Promise<boolean>;
  readonly log: (level: QueueLogLevel, message: string) => void;
  /** How long a taken message stays invisible while its function runs (renewed at half of it). */
  readonly holdSeconds?: number;
}

export interface QueueListener {
  /** Stops polling (an in-flight fetch is cancelled); running messages go on, see settled(). */
  stop(): Promise<void>;
  /** Resolves once every message taken so far has been completed (deleted, released or moved to poison). */
  settled(): Promise<void>;
}

const queueNamePattern = /^(?=.{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Storage's queue-name rule, checked at start-up as the host does (it refuses the function otherwise). */
export function validateQueueName(name: string): void {
  if (!queueNamePattern.test(name)) {
    throw new Error(
      `"${name}" is not a valid queue name: 3-63 lowercase letters, digits and single hyphens, ` +
        "starting and ending with a letter or digit",
    );
  }
}

const settingReference = /%([^%]+)%/g;

/** Replaces every `%NAME%` with that app setting, as the host does for binding expressions; throws when one is unset. */
export function resolveSettingReferences(raw: string, settings: NodeJS.ProcessEnv): string {
  return raw.replace(settingReference, (_, name: string) => {
    const value = settings[name]?.trim();
    if (!value) throw new Error(`"${raw}" refers to app setting ${name}, which is not set`);
    return value;
  });
}

/**
 * A queue service client for a binding's `connection`: the setting of that name (or `AzureWebJobs<name>`) holding a
 * connection string, or, as for identity-based connections in Azure, `<name>__queueServiceUri` / `<name>__serviceUri`
 * / `<name>__accountName` used with DefaultAzureCredential. Keep-alive is off so a stopped host leaves no sockets.
 */
export function queueServiceFor(connection: string | undefined, settings: NodeJS.ProcessEnv): QueueServiceClient {
  const name = connection?.trim() || "AzureWebJobsStorage";
  const pipeline = { keepAliveOptions: { enable: false } };
  const connectionString = settings[name]?.trim() || settings[`AzureWebJobs${name}`]?.trim();
  if (connectionString) return QueueServiceClient.fromConnectionString(connectionString, pipeline);
  const accountName = settings[`${name}__accountName`]?.trim();
  const serviceUri =
    settings[`${name}__queueServiceUri`]?.trim() ||
    settings[`${name}__serviceUri`]?.trim() ||
    (accountName ? `https://${accountName}.queue.core.windows.net` : undefined);
  if (serviceUri) return new QueueServiceClient(serviceUri, new DefaultAzureCredential(), pipeline);
  throw new Error(
    `Storage account connection '${name}' does not exist: set ${name} to a connection string ` +
      `or ${name}__queueServiceUri for an identity-based connection`,
  );
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The message body the function sees, or undefined when it cannot be decoded under the configured encoding. */
export function decodeMessage(text: string, encoding: QueuesOptions["messageEncoding"]): string | undefined {
  if (encoding === "none") return text;
  const compact = text.replace(/\s+/g, "");
  if (!base64Pattern.test(compact)) return undefined;
  return Buffer.from(compact, "base64").toString("utf8");
}

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { statusCode?: unknown }).statusCode === 404;
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(describe).join("; ");
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** The trigger metadata the host passes with each queue message (the library camel-cases the keys). */
export function triggerMetadataOf(message: ReceivedMessageItem, body: string): Record<string, RpcTypedData> {
  const time = (date: Date) => ({ json: JSON.stringify(date.toISOString()) });
  return {
    Id: { string: message.messageId },
    DequeueCount: { json: String(message.dequeueCount) },
    InsertionTime: time(message.insertedOn),
    ExpirationTime: time(message.expiresOn),
    NextVisibleTime: time(message.nextVisibleOn),
    PopReceipt: { string: message.popReceipt },
    QueueTrigger: { string: body },
  };
}

export function startQueueListener(listener: QueueListenerOptions): QueueListener {
  const { options, log, queueName } = listener;
  const holdSeconds = listener.holdSeconds ?? defaultHoldSeconds;
  const renewEveryMs = (holdSeconds * 1000) / 2;
  const queue: QueueClient = listener.service.getQueueClient(queueName);
  const poisonName = `${queueName}-poison`;
  const poison: QueueClient = listener.service.getQueueClient(poisonName);
  const abort = new AbortController();
  const active = new Set<Promise<void>>();
  let wakeUp: (() => void) | undefined;
  let poisonReady: Promise<unknown> | undefined;

  /** Waits `ms`, or less when stopping or when a running message completes (a slot is free again). */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        abort.signal.removeEventListener("abort", done);
        wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      abort.signal.addEventListener("abort", done);
      wakeUp = done;
    });

  const moveToPoison = async (message: ReceivedMessageItem, popReceipt: string, why: string) => {
    log("warning", `Message ${message.messageId} ${why}. Moving it to queue '${poisonName}'.`);
    poisonReady ??= poison.createIfNotExists();
    await poisonReady;
    await poison.sendMessage(message.messageText);
    await queue.deleteMessage(message.messageId, popReceipt);
  };

  const complete = async (message: ReceivedMessageItem): Promise<void> => {
    let popReceipt = message.popReceipt;
    if (message.dequeueCount > options.maxDequeueCount) {
      // Taken more often than allowed without completing (a host that died mid-run): never run it again.
      await moveToPoison(message, popReceipt, `has been dequeued ${message.dequeueCount} times`);
      return;
    }
    const body = decodeMessage(message.messageText, options.messageEncoding);
    if (body === undefined) {
      await moveToPoison(message, popReceipt, "is not valid base64 (host.json extensions.queues.messageEncoding)");
      return;
    }
    let renewing: Promise<void> = Promise.resolve();
    const renewal = setInterval(() => {
      renewing = queue.updateMessage(message.messageId, popReceipt, undefined, holdSeconds).then(
        (updated) => {
          popReceipt = updated.popReceipt ?? popReceipt;
        },
        (error: unknown) => {
          log("warning", `Could not extend the visibility of message ${message.messageId}: ${describe(error)}`);
        },
      );
    }, renewEveryMs);
    let succeeded: boolean;
    try {
      succeeded = await listener.run({ string: body }, triggerMetadataOf(message, body));
    } finally {
      clearInterval(renewal);
      await renewing;
    }
    if (succeeded) {
      await queue.deleteMessage(message.messageId, popReceipt);
    } else if (message.dequeueCount >= options.maxDequeueCount) {
      await moveToPoison(message, popReceipt, `has reached MaxDequeueCount of ${options.maxDequeueCount}`);
    } else {
      await queue.updateMessage(
        message.messageId,
        popReceipt,
        undefined,
        Math.round(options.visibilityTimeoutMs / 1000),
      );
    }
  };

  const take = (message: ReceivedMessageItem) => {
    const handled = complete(message).catch((error: unknown) => {
      log("error", `Message ${message.messageId} could not be completed: ${describe(error)}`);
    });
    active.add(handled);
    void handled.finally(() => {
      active.delete(handled);
      wakeUp?.();
    });
  };

  const receive = async (): Promise<ReceivedMessageItem[] | "missing" | Error> => {
    try {
      const response = await queue.receiveMessages({
        numberOfMessages: options.batchSize,
        visibilityTimeout: holdSeconds,
        abortSignal: abort.signal,
      });
      return response.receivedMessageItems;
    } catch (error) {
      if (isNotFound(error)) return "missing";
      return error instanceof Error ? error : new Error(String(error));
    }
  };

  const loop = async () => {
    let delay = minPollingIntervalMs;
    let lastProblem: string | undefined;
    const stopping = () => abort.signal.aborted;
    while (!stopping()) {
      if (active.size > options.newBatchThreshold) {
        await pause(options.maxPollingIntervalMs);
        continue;
      }
      const received = await receive();
      if (stopping()) {
        // Taken while stopping: make them visible again rather than hold them for the whole hold time.
        if (Array.isArray(received)) await Promise.allSettled(received.map((m) => release(m)));
        break;
      }
      if (Array.isArray(received) && received.length > 0) {
        lastProblem = undefined;
        delay = minPollingIntervalMs;
        received.forEach(take);
        continue;
      }
      if (!Array.isArray(received)) {
        const problem =
          received === "missing" ? `queue '${queueName}' does not exist yet` : `polling failed: ${describe(received)}`;
        if (problem !== lastProblem) log(received === "missing" ? "debug" : "warning", problem);
        lastProblem = problem;
      } else {
        lastProblem = undefined;
      }
      await pause(delay);
      delay = Math.min(delay * 2, options.maxPollingIntervalMs);
    }
  };

  const release = (message: ReceivedMessageItem) =>
    queue.updateMessage(message.messageId, message.popReceipt, undefined, 0);

  const looping = loop().catch((error: unknown) => {
    log("error", `The queue listener stopped: ${describe(error)}`);
  });

  return {
    stop: async () => {
      abort.abort();
      await looping;
    },
    settled: async () => {
      while (active.size > 0) await Promise.allSettled([...active]);
    },
  };
}
