// Queue triggers on the local host against a real Azurite: messages are decoded and parsed as the worker does, handled
// once and deleted, retried after a failure and moved to `<queue>-poison` after maxDequeueCount, with bounded
// concurrency. host.json settings come from the fixture's host.json plus AzureFunctionsJobHost__… overrides.
import { QueueServiceClient } from "@azure/storage-queue";
import { startAzurite, type Azurite } from "../../local/azurite";
import { freePort } from "../../local/processes";
import { startFixtureHost, waitFor, type FixtureHost } from "./fixture-host";

const maxDequeueCount = 3;
const batchSize = 4;
const newBatchThreshold = 2;

let azurite: Azurite;
let service: QueueServiceClient;
let fixture: FixtureHost;

const encode = (text: string) => Buffer.from(text, "utf8").toString("base64");

async function queueLength(name: string): Promise<number> {
  const { approximateMessagesCount } = await service.getQueueClient(name).getProperties();
  return approximateMessagesCount ?? 0;
}

beforeAll(async () => {
  const [blobPort, queuePort] = [await freePort(), await freePort()];
  azurite = await startAzurite({ blobPort, queuePort, location: "memory" });
  service = QueueServiceClient.fromConnectionString(azurite.connectionString, { keepAliveOptions: { enable: false } });
  // The poison queues are created by the host when it first needs them; the trigger queues by whoever sends.
  for (const name of ["sample-ok", "sample-failing", "sample-slow"]) await service.getQueueClient(name).create();
  fixture = await startFixtureHost({
    env: {
      SAMPLE_SCHEDULE: "*/2 * * * * *",
      SAMPLE_QUEUE: azurite.connectionString,
      SAMPLE_QUEUE_NAME: "sample-ok",
      AzureFunctionsJobHost__extensions__queues__maxPollingInterval: "00:00:00.500",
      AzureFunctionsJobHost__extensions__queues__maxDequeueCount: String(maxDequeueCount),
      AzureFunctionsJobHost__extensions__queues__batchSize: String(batchSize),
      AzureFunctionsJobHost__extensions__queues__newBatchThreshold: String(newBatchThreshold),
    },
  });
}, 60_000);

afterAll(async () => {
  await fixture.host.close();
  await azurite.close();
});

test("queue functions are listed with their resolved queue names", () => {
  const byName = new Map(fixture.host.functions.map((f) => [f.name, f]));
  expect(byName.get("queueOk")).toMatchObject({ kind: "queue", queueName: "sample-ok", connection: "SAMPLE_QUEUE" });
  expect(byName.get("queueOk")?.error).toBeUndefined();
});

test("a base64 JSON message reaches the handler parsed, with its trigger metadata, once, and is deleted", async () => {
  const sent = await service.getQueueClient("sample-ok").sendMessage(encode(JSON.stringify({ order: 7 })));
  await waitFor(async () => (await fixture.state()).queued.some((q) => q.metadata.id === sent.messageId), 10_000);
  await waitFor(async () => (await queueLength("sample-ok")) === 0, 5000);

  const seen = (await fixture.state()).queued.filter((q) => q.metadata.id === sent.messageId);
  expect(seen).toHaveLength(1);
  expect(seen[0]?.message).toEqual({ order: 7 });
  expect(seen[0]?.metadata).toMatchObject({
    id: sent.messageId,
    dequeueCount: 1,
    popReceipt: expect.any(String),
    // The worker parses JSON in metadata strings too, so the raw body arrives as an object here as well.
    queueTrigger: { order: 7 },
  });
  for (const key of ["insertionTime", "expirationTime", "nextVisibleTime"]) {
    expect(Number.isNaN(Date.parse(String(seen[0]?.metadata[key])))).toBe(false);
  }
  expect(Date.parse(String(seen[0]?.metadata.insertionTime))).toBe(sent.insertedOn.getTime());
});

test("a text message stays a string; a message that is not base64 goes to poison without running", async () => {
  const queue = service.getQueueClient("sample-ok");
  const text = await queue.sendMessage(encode("plain words"));
  const garbage = await queue.sendMessage("not base64 at all!");
  await waitFor(async () => (await fixture.state()).queued.some((q) => q.metadata.id === text.messageId), 10_000);
  await waitFor(async () => (await queueLength("sample-ok")) === 0, 10_000);

  const state = await fixture.state();
  expect(state.queued.find((q) => q.metadata.id === text.messageId)?.message).toBe("plain words");
  expect(state.queued.some((q) => q.metadata.id === garbage.messageId)).toBe(false);
  const poisoned = await service.getQueueClient("sample-ok-poison").peekMessages({ numberOfMessages: 32 });
  expect(poisoned.peekedMessageItems.map((m) => m.messageText)).toContain("not base64 at all!");
});

test("a failing message is retried, then moved to <queue>-poison after maxDequeueCount runs", async () => {
  const body = encode(JSON.stringify({ doomed: true }));
  const sent = await service.getQueueClient("sample-failing").sendMessage(body);
  const poison = service.getQueueClient("sample-failing-poison");
  await waitFor(async () => (await poison.exists()) && (await queueLength("sample-failing-poison")) === 1, 20_000);

  const runs = (await fixture.state()).failingDequeues[sent.messageId];
  expect(runs).toEqual([1, 2, 3]);
  expect(await queueLength("sample-failing")).toBe(0);
  const [poisoned] = (await poison.peekMessages()).peekedMessageItems;
  expect(poisoned?.messageText).toBe(body);
  const failures = fixture.logs.filter((e) => e.functionName === "queueFailing" && e.level === "error");
  expect(failures.some((e) => e.message.includes("boom from failing queue function"))).toBe(true);
  expect(fixture.logs.some((e) => e.functionName === "queueFailing" && e.message.includes("MaxDequeueCount"))).toBe(
    true,
  );
});

test("no more than batchSize + newBatchThreshold messages run at once, and all of them run", async () => {
  const queue = service.getQueueClient("sample-slow");
  const count = 20;
  await Promise.all(Array.from({ length: count }, (_, i) => queue.sendMessage(encode(String(i)))));
  await waitFor(async () => (await fixture.state()).slowQueueRuns >= count, 20_000);

  const state = await fixture.state();
  expect(state.slowQueueRuns).toBe(count);
  expect(state.slowQueueMaxActive).toBeGreaterThan(1);
  expect(state.slowQueueMaxActive).toBeLessThanOrEqual(batchSize + newBatchThreshold);
  await waitFor(async () => (await queueLength("sample-slow")) === 0, 5000);
});

test("POST /admin/functions/{name} runs a queue function with the given input, as Core Tools does", async () => {
  const response = await fetch(`${fixture.host.url}/admin/functions/queueOk`, {
    method: "POST",
    body: JSON.stringify({ input: JSON.stringify({ manual: 1 }) }),
  });
  expect(response.status).toBe(202);
  await waitFor(async () => (await fixture.state()).queued.some((q) => JSON.stringify(q.message) === '{"manual":1}'));
});
