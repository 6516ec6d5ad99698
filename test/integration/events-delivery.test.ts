// Events end to end without the host's queue polling: positions written through the real repository on the Cosmos
// emulator (the outbox rides in their batches), the dispatcher and the delivery use case run by the test, messages
// through a real Azurite queue, deliveries over real HTTP to a local receiver that verifies every signature with the
// independent `standardwebhooks` package. Each test uses fresh organizations and its own queue.
import { randomInt } from "node:crypto";
import type { QueueClient } from "@azure/storage-queue";
import { createQueueServiceClient } from "../../shared/adapters/azure-clients";
import { BlobReceiptStore } from "../../shared/adapters/blob/blob-receipt-store";
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { CosmosEventLog } from "../../shared/adapters/cosmos/cosmos-event-log";
import { CosmosReceiptRepository } from "../../shared/adapters/cosmos/cosmos-receipt-repository";
import { CosmosWebhookRepository } from "../../shared/adapters/cosmos/cosmos-webhook-repository";
import { HttpWebhookSender } from "../../shared/adapters/http/webhook-sender";
import { StorageQueue } from "../../shared/adapters/queue/storage-queue";
import { dispatchEvents } from "../../shared/application/event-dispatch";
import { ingestReceipt } from "../../shared/application/receipt-ingestion";
import { deliverWebhook, type DeliveryDeps } from "../../shared/application/webhook-delivery";
import type { CallContext } from "../../shared/application/call-context";
import { WebhookService } from "../../shared/application/webhook-service";
import type { DebtPosition } from "../../shared/domain/debt-positions/model";
import { eventTypes } from "../../shared/domain/events/events";
import type { DeliveryWork, WebhookSender } from "../../shared/domain/events/ports";
import { silentLogger as silent } from "../../shared/logging/logger";
import { blobContainers, containers } from "../../shared/storage/definition";
import { aDebtPosition, aPaymentOption, aTransfer } from "../support/builders";
import { aFreshIuv } from "../support/gpd-client";
import { aFreshFiscalCode } from "../support/keys";
import { blobService, cosmosClient, testConfig } from "../support/stack";
import { startReceiver, type TestReceiver } from "../support/webhook-receiver";
import { aReceiptXml } from "../support/xml-builders";

// Each dispatcher run here sequences every organization with pending events in the shared store (other suites'
// too), so the bounded waits are sized for a loaded machine in a full run.
jest.setTimeout(180_000);

const database = () => cosmosClient().database(testConfig().cosmos.database);
const positions = new CosmosDebtPositionRepository(database().container(containers.debtpositions));
const events = new CosmosEventLog(database().container(containers.debtpositions));
const webhooks = new CosmosWebhookRepository(database().container(containers.webhooks));
const sender = new HttpWebhookSender({ allowLocalhost: true, timeoutMs: 2000, userAgent: "gpd-test" });
const clock = () => new Date();

let queueClient: QueueClient;
let queue: StorageQueue<DeliveryWork>;
let service: WebhookService;
const receivers: TestReceiver[] = [];

beforeAll(async () => {
  queueClient = createQueueServiceClient(testConfig()).getQueueClient(
    `it-deliveries-${Date.now().toString(36)}-${randomInt(0, 1_000_000)}`,
  );
  await queueClient.create();
  queue = new StorageQueue<DeliveryWork>(queueClient);
  service = new WebhookService({ events, webhooks, queue, sender, urlPolicy: { allowLocalhost: true } });
});

afterAll(async () => {
  sender.close();
  await queueClient.delete();
  await Promise.all(receivers.map((r) => r.close()));
});

const ctx = (org: string): CallContext => ({
  organizationFiscalCode: org,
  caller: { subscriptionName: "it", organizations: [org], products: ["events"] },
  now: new Date(),
});

async function aReceiver(): Promise<TestReceiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

async function aWebhook(org: string, receiver: TestReceiver) {
  const webhook = await service.create(ctx(org), { url: receiver.url, types: [...eventTypes] });
  receiver.setSecret(webhook.secret);
  return webhook;
}

const deliveryDeps = (overrides: Partial<DeliveryDeps> = {}): DeliveryDeps => ({
  events,
  webhooks,
  queue,
  sender,
  clock,
  random: () => 0.5,
  log: silent,
  retrySchedule: [300, 300],
  ...overrides,
});

/** One dispatcher run, then every visible queue message handed to a delivery run (as the queue trigger does). */
async function pump(overrides: Partial<DeliveryDeps> = {}): Promise<void> {
  await dispatchEvents({ events, webhooks, queue, clock, log: silent, rewakeMs: 500 });
  for (;;) {
    const { receivedMessageItems } = await queueClient.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 30 });
    if (receivedMessageItems.length === 0) return;
    for (const message of receivedMessageItems) {
      const work = JSON.parse(Buffer.from(message.messageText, "base64").toString("utf8")) as DeliveryWork;
      try {
        await deliverWebhook(deliveryDeps(overrides), work);
      } finally {
        await queueClient.deleteMessage(message.messageId, message.popReceipt);
      }
    }
  }
}

async function pumpUntil(done: () => boolean, overrides: Partial<DeliveryDeps> = {}, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("pumpUntil: timed out");
    await pump(overrides);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const aValidPosition = (org: string, iuv = aFreshIuv()): DebtPosition =>
  aDebtPosition({
    organizationFiscalCode: org,
    iupd: `IUPD-${iuv}`,
    status: "VALID",
    lastUpdatedDate: new Date().toISOString(),
    paymentOption: [
      aPaymentOption({
        iuv,
        organizationFiscalCode: org,
        amount: 10_000,
        transfer: [aTransfer({ organizationFiscalCode: org, amount: 10_000 })],
      }),
    ],
  });

async function feedOf(org: string) {
  return (await service.feed(ctx(org), 0, 500)).events;
}

describe("the dispatcher", () => {
  it("sequences every organization with pending events in one run, however many pages of work there are", async () => {
    const orgs = Array.from({ length: 5 }, () => aFreshFiscalCode());
    await Promise.all(orgs.map((org) => positions.create(aValidPosition(org))));
    // Another suite's dispatcher may take some of them first (the store is shared): what counts is that none is left.
    await dispatchEvents({ events, webhooks, queue, clock, log: silent, organizationsPerPage: 2 });
    // created, published, valid
    for (const org of orgs) expect([org, await events.lastSeq(org)]).toEqual([org, 3]);
  });

  it("gives each event one place when dispatchers race on an organization", async () => {
    for (let round = 0; round < 10; round += 1) {
      const org = aFreshFiscalCode();
      await positions.create(aValidPosition(org));
      await Promise.all([events.sequence(org), events.sequence(org), events.sequence(org)]);
      const feed = await events.after(org, 0, 100);
      expect([org, feed.map((e) => e.seq)]).toEqual([org, [1, 2, 3]]);
      expect(await events.lastSeq(org)).toBe(3);
    }
  });
});

describe("events delivered to webhooks", () => {
  it("pays a position via a receipt: paid + receipt.created arrive once, in order, signed; another organization hears nothing; the feed says the same", async () => {
    const [org, other] = [aFreshFiscalCode(), aFreshFiscalCode()];
    const [receiver, otherReceiver] = [await aReceiver(), await aReceiver()];
    await aWebhook(org, receiver);
    await aWebhook(other, otherReceiver);
    const position = aValidPosition(org);
    await positions.create(position);
    const iuv = position.paymentOption[0]?.iuv ?? "";
    const outcome = await ingestReceipt(
      {
        inbox: undefined as never,
        positions,
        receipts: new CosmosReceiptRepository(database().container(containers.receipts)),
        store: new BlobReceiptStore(blobService().getContainerClient(blobContainers.receipts)),
        clock,
        log: silent,
      },
      Buffer.from(aReceiptXml({ idPA: org, iuv, receiptId: `R-${iuv}` })),
      1_000_000,
    );
    expect(outcome).toMatchObject({ accepted: true });

    await pumpUntil(() => receiver.accepted.length >= 5);
    await pump();
    expect(receiver.accepted.map((e) => e.type)).toEqual([
      "debt-position.created",
      "debt-position.published",
      "debt-position.valid",
      "debt-position.paid",
      "receipt.created",
    ]);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
    expect(receiver.accepted[4]?.data).toMatchObject({ iuv, receiptId: `R-${iuv}`, organizationFiscalCode: org });
    expect(receiver.accepted.every((e) => e.subject === position.iupd)).toBe(true);
    const sequences = receiver.accepted.map((e) => e.sequence);
    expect([...sequences].sort()).toEqual(sequences);
    expect(otherReceiver.requests).toEqual([]);

    const feed = await feedOf(org);
    expect(feed.map((e) => e.event.id)).toEqual(receiver.accepted.map((e) => e.id));
    expect(await feedOf(other)).toEqual([]);
  });

  it("survives a receiver outage: everything arrives once the receiver is back, in feed order, none twice", async () => {
    const org = aFreshFiscalCode();
    const receiver = await aReceiver();
    await aWebhook(org, receiver);
    let refused = 0;
    receiver.answer = () => (refused++ < 3 ? 503 : 204);
    const written = [aValidPosition(org), aValidPosition(org), aValidPosition(org)];
    await Promise.all(written.map((p) => positions.create(p)));
    // A second write on each, so that per-position order is at stake too.
    for (const p of written) {
      const stored = await positions.get(org, p.iupd);
      if (stored === undefined) throw new Error("lost");
      await positions.replace(stored, {
        ...stored.value,
        companyName: "Altro",
        lastUpdatedDate: new Date().toISOString(),
      });
    }
    const patient = { retrySchedule: [300, 300, 300, 300, 300] };
    await pumpUntil(() => receiver.accepted.length >= 12, patient);
    await pump(patient);
    const feed = await feedOf(org);
    expect(feed).toHaveLength(12);
    expect(receiver.accepted.map((e) => e.id)).toEqual(feed.map((e) => e.event.id));
    for (const p of written) {
      expect(receiver.accepted.filter((e) => e.subject === p.iupd).map((e) => e.type)).toEqual([
        "debt-position.created",
        "debt-position.published",
        "debt-position.valid",
        "debt-position.updated",
      ]);
    }
    expect(receiver.requests.filter((r) => r.status === 503)).toHaveLength(3);
  });

  it("dead-letters what a receiver refuses for ever, lists it as failed, and delivers it on replay", async () => {
    const org = aFreshFiscalCode();
    const receiver = await aReceiver();
    const webhook = await aWebhook(org, receiver);
    receiver.answer = () => 500;
    const before = new Date(Date.now() - 1000);
    await positions.create(aValidPosition(org));
    let failed: Awaited<ReturnType<WebhookService["deliveries"]>> = [];
    const deadline = Date.now() + 90_000;
    while (failed.length < 3 && Date.now() < deadline) {
      await pump();
      await new Promise((resolve) => setTimeout(resolve, 200));
      failed = await service.deliveries(ctx(org), webhook.id, { status: "failed", limit: 50 });
    }
    // The first event used the whole schedule (1 + 2 retries); the two after it one attempt each (still failing).
    expect(failed.map((d) => [d.eventType, d.attempts])).toEqual([
      ["debt-position.valid", 1],
      ["debt-position.published", 1],
      ["debt-position.created", 3],
    ]);
    expect(receiver.accepted).toEqual([]);

    receiver.answer = () => 204;
    const replay = await service.replay(ctx(org), webhook.id, before);
    expect(replay.fromSequence).toBe(1);
    await pumpUntil(() => receiver.accepted.length >= 3);
    expect(receiver.accepted.map((e) => e.type)).toEqual([
      "debt-position.created",
      "debt-position.published",
      "debt-position.valid",
    ]);
    const delivered = await service.deliveries(ctx(org), webhook.id, { status: "delivered", limit: 50 });
    expect(delivered).toHaveLength(3);
    expect(await service.deliveries(ctx(org), webhook.id, { status: "failed", limit: 50 })).toEqual([]);
  });

  it("loses nothing when a delivery run dies mid-way: the lease lapses, the sweep wakes the webhook, the rest follows", async () => {
    const org = aFreshFiscalCode();
    const receiver = await aReceiver();
    const webhook = await aWebhook(org, receiver);
    await Promise.all([aValidPosition(org), aValidPosition(org)].map((p) => positions.create(p)));
    let sent = 0;
    const dying: WebhookSender = {
      send: async (url, headers, body) => {
        if (sent++ === 2) throw new Error("the instance went away");
        return sender.send(url, headers, body);
      },
    };
    await expect(pump({ sender: dying, leaseMs: 500 })).rejects.toThrow("the instance went away");
    expect(receiver.accepted).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await pumpUntil(() => new Set(receiver.accepted.map((e) => e.id)).size >= 6);
    const feed = await feedOf(org);
    const firstSeen = [...new Set(receiver.accepted.map((e) => e.id))];
    expect(firstSeen).toEqual(feed.map((e) => e.event.id));
    expect((await webhooks.get(org, webhook.id))?.value.cursor).toBe(6);
  });

  it("disables a webhook whose receiver answers 410 Gone", async () => {
    const org = aFreshFiscalCode();
    const receiver = await aReceiver();
    const webhook = await aWebhook(org, receiver);
    receiver.answer = () => 410;
    await positions.create(aValidPosition(org));
    const deadline = Date.now() + 10_000;
    while ((await service.get(ctx(org), webhook.id)).status === "active" && Date.now() < deadline) await pump();
    expect(await service.get(ctx(org), webhook.id)).toMatchObject({ status: "disabled" });
    expect(receiver.requests).toHaveLength(1);
  });
});
