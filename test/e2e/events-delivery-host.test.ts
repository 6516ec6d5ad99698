// Delivery through the local host's own queue trigger: a position paid by a receipt over the real ingestion job, the
// dispatcher run by the host, the `webhook-deliveries` queue polled by the host, the receiver verifying every
// signature with `standardwebhooks`. The test host runs the dispatcher on its schedule; the test also asks for a run.
import { aFreshIuv, aPositionBody, callApi, registeredIban } from "../support/gpd-client";
import { runJobNow } from "../support/jobs";
import { aFreshFiscalCode, aKey, anOrganization } from "../support/keys";
import { blobService } from "../support/stack";
import { startReceiver, type TestReceiver } from "../support/webhook-receiver";
import { aReceiptXml } from "../support/xml-builders";
import { blobContainers } from "../../shared/storage/definition";

jest.setTimeout(120_000);

async function until(done: () => boolean, timeoutMs: number, step?: () => Promise<unknown>) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out");
    if (step !== undefined) await step();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("webhooks delivered by the host's queue trigger", () => {
  let receiver: TestReceiver;
  afterAll(async () => {
    await receiver.close();
  });

  it("delivers debt-position.paid then receipt.created once, signed, in order, after a receipt is ingested", async () => {
    const org = aFreshFiscalCode();
    await anOrganization(org, [registeredIban]);
    const key = (await aKey({ organizations: [org], products: ["debt-positions", "events"] })).key;
    receiver = await startReceiver();
    const created = await callApi("POST", `/organizations/${org}/webhooks`, {
      key,
      body: { url: receiver.url, types: ["debt-position.paid", "receipt.created"] },
    });
    expect(created.status).toBe(201);
    receiver.setSecret((created.body as { secret: string }).secret);

    const iuv = aFreshIuv();
    const body = aPositionBody({ iuvs: [iuv] });
    expect((await callApi("POST", `/organizations/${org}/debtpositions?toPublish=true`, { key, body })).status).toBe(
      201,
    );
    await blobService()
      .getContainerClient(blobContainers["receipts-inbox"])
      .getBlockBlobClient(`${iuv}.xml`)
      .uploadData(Buffer.from(aReceiptXml({ idPA: org, iuv, receiptId: `R-${iuv}`, amountCents: 12_345 })));
    expect(await runJobNow("ingestReceipts")).toMatchObject({ status: "succeeded" });
    expect(await runJobNow("dispatchEvents")).toMatchObject({ status: "succeeded" });

    await until(() => receiver.accepted.length >= 2, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(receiver.accepted.map((e) => e.type)).toEqual(["debt-position.paid", "receipt.created"]);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
    const feed = (await callApi("GET", `/organizations/${org}/events`, { key })).body as {
      events: { id: string; type: string }[];
    };
    expect(
      feed.events.filter((e) => e.type === "debt-position.paid" || e.type === "receipt.created").map((e) => e.id),
    ).toEqual(receiver.accepted.map((e) => e.id));
  });
});
