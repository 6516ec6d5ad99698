// Azure's per-function switch, the app setting `AzureWebJobs.<name>.Disabled`: the host ignores the function's trigger
// (an HTTP function answers 404, a timer never fires, a queue is not polled) and lists it as disabled, while an admin
// run still runs it. Extra hosts in the e2e tests use it to keep out of the suite's queues.
import { QueueServiceClient } from "@azure/storage-queue";
import { startAzurite, type Azurite } from "../../local/azurite";
import { freePort } from "../../local/processes";
import { startFixtureHost, waitFor, type FixtureHost } from "./fixture-host";

const queueName = `sample-disabled-${process.pid}`;
const disabled = ["echo", "everySecond", "queueOk", "queueLike", "queueFailing", "queueSlow"];

let azurite: Azurite | undefined;
let service: QueueServiceClient;
let fixture: FixtureHost;

beforeAll(async () => {
  const fromStack = process.env.STORAGE_CONNECTION_STRING;
  if (fromStack === undefined) {
    const [blobPort, queuePort] = [await freePort(), await freePort()];
    azurite = await startAzurite({ blobPort, queuePort, location: "memory" });
  }
  const connectionString = fromStack ?? azurite?.connectionString ?? "";
  service = QueueServiceClient.fromConnectionString(connectionString, { keepAliveOptions: { enable: false } });
  await service.getQueueClient(queueName).create();
  fixture = await startFixtureHost({
    env: {
      SAMPLE_SCHEDULE: "*/2 * * * * *",
      SAMPLE_QUEUE: connectionString,
      SAMPLE_QUEUE_NAME: queueName,
      AzureFunctionsJobHost__extensions__queues__maxPollingInterval: "00:00:00.200",
      ...Object.fromEntries(disabled.map((name, i) => [`AzureWebJobs.${name}.Disabled`, i % 2 === 0 ? "true" : "1"])),
    },
  });
}, 60_000);

afterAll(async () => {
  await fixture.host.close();
  await service.getQueueClient(queueName).deleteIfExists();
  await azurite?.close();
});

test("disabled functions are listed as such, the others as usual", () => {
  const byName = new Map(fixture.host.functions.map((f) => [f.name, f]));
  for (const name of disabled) expect(byName.get(name)).toMatchObject({ name, disabled: true });
  expect(byName.get("echoNamed")?.disabled).toBeUndefined();
  expect(byName.get("fromSetting")).toMatchObject({ kind: "timer", schedule: "*/2 * * * * *" });
});

test("a disabled HTTP function answers 404; its neighbours still answer", async () => {
  expect((await fetch(`${fixture.host.url}/echo/1`)).status).toBe(404);
  expect((await fetch(`${fixture.host.url}/echo/1/two`)).status).toBe(201);
});

test("a disabled timer never fires, while the enabled ones do", async () => {
  // fromSetting fires every 2 s; everySecond would have fired at least once by the time it fired twice.
  await waitFor(async () => (await fixture.state()).settingRuns >= 2, 10_000);
  expect((await fixture.state()).ticks).toBe(0);
});

test("a disabled queue function leaves its messages in the queue, and an admin run still runs it", async () => {
  const queue = service.getQueueClient(queueName);
  await queue.sendMessage(Buffer.from(JSON.stringify({ waiting: 1 })).toString("base64"));
  // The listener, if it ran, polls every 200 ms at most: two timer ticks (≥ 2 s) are ten polls.
  const runsBefore = (await fixture.state()).settingRuns;
  await waitFor(async () => (await fixture.state()).settingRuns >= runsBefore + 2, 10_000);
  expect((await queue.getProperties()).approximateMessagesCount).toBe(1);
  expect((await fixture.state()).queued).toEqual([]);

  const response = await fetch(`${fixture.host.url}/admin/functions/queueOk`, {
    method: "POST",
    body: JSON.stringify({ input: JSON.stringify({ manual: 2 }) }),
  });
  expect(response.status).toBe(202);
  await waitFor(async () => (await fixture.state()).queued.some((q) => JSON.stringify(q.message) === '{"manual":2}'));
});
