// The hardening findings that other files do not already reproduce against the app `npm start` runs (the map is in
// docs/guides/hardening.md): receipts the platform could never have produced, sent by the node over SOAP (6); the
// local host's own rules in front of the real app (7); a big flow through the real job while the API keeps answering
// (8). Bounded by counts and outcomes, never by elapsed time: timings are the bench's.
import http from "node:http";
import { newOrganization } from "../../shared/domain/organizations/organization";
import { blobContainers } from "../../shared/storage/definition";
import { aFreshFiscalCode, aKey, organizationRepository } from "../support/keys";
import { aFreshIuv, aPositionBody, baseUrl, callApi, registeredIban } from "../support/gpd-client";
import { runJobNow } from "../support/jobs";
import { aNodeClient, sendRtArgs, type Station } from "../support/node-soap";
import { xsdErrorsOf } from "../support/pa-for-node-xsd";
import { blobService } from "../support/stack";
import { aFlowXml } from "../support/xml-builders";

jest.setTimeout(180_000);

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("finding 6: receipts the platform could never have produced, over SOAP", () => {
  const org = aFreshFiscalCode();
  const broker = aFreshFiscalCode();
  const station: Station = { organization: org, broker, station: `${broker}_01` };
  let key = "";
  let nodeKey = "";

  beforeAll(async () => {
    await organizationRepository().upsert(
      newOrganization({
        fiscalCode: org,
        companyName: "Comune di Prova",
        ibans: [registeredIban],
        brokerCode: broker,
        stationCodes: [station.station],
        now: new Date(),
      }),
    );
    key = (await aKey({ organizations: [org] })).key;
    nodeKey = (await aKey({ organizations: [], products: ["node"] })).key;
  });

  async function aPosition(publish: boolean): Promise<{ iupd: string; iuv: string }> {
    const iuv = aFreshIuv();
    const body = aPositionBody({ iuvs: [iuv], amount: 5_000 });
    const created = await callApi("POST", `/organizations/${org}/debtpositions?toPublish=${publish}`, { key, body });
    expect(created.status).toBe(201);
    return { iupd: body.iupd as string, iuv };
  }

  const rejectedReason = async (receiptId: string) =>
    (
      await blobService()
        .getContainerClient(blobContainers["receipts-rejected"])
        .getBlobClient(`node/${org}/${receiptId}.xml`)
        .getProperties()
    ).metadata?.reason;

  it.each([
    ["a position never published (DRAFT)", false, undefined, /^never-published: /],
    [
      "a paymentDateTime a day in the future",
      true,
      new Date(Date.now() + 86_400_000).toISOString(),
      /^future-payment-date: /,
    ],
  ])("%s is refused with a fault and kept in receipts-rejected with its reason", async (_, publish, when, reason) => {
    const { iupd, iuv } = await aPosition(publish);
    const before = await callApi("GET", `/organizations/${org}/debtpositions/${iupd}`, { key });
    const node = await aNodeClient(nodeKey);
    const receiptId = `R-${iuv}`;
    const answer = await node.call(
      "paSendRTV2",
      sendRtArgs(station, {
        receiptId,
        noticeNumber: `3${iuv}`,
        iuv,
        transfers: [{ amountCents: 5_000 }],
        ...(when === undefined ? {} : { paymentDateTime: when }),
      }),
    );
    expect(answer.result).toMatchObject({ outcome: "KO", fault: { faultCode: "PAA_SEMANTICA", id: org } });
    expect(await xsdErrorsOf(answer.xml)).toEqual([]);
    expect(await rejectedReason(receiptId)).toMatch(reason);
    // The position is exactly as it was: not paid, no receipt listed.
    const after = await callApi("GET", `/organizations/${org}/debtpositions/${iupd}`, { key });
    expect(after.body).toEqual(before.body);
    const receipts = await callApi("GET", `/payments/${org}/receipts/${iuv}`, { key });
    expect(receipts.status).toBe(404);
  });
});

describe("finding 7: the local host in front of the real app", () => {
  it("listens on 127.0.0.1 by default", () => {
    expect(baseUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("refuses an admin call that carries a browser Origin, and runs nothing", async () => {
    const response = await fetch(`${baseUrl()}/admin/functions/ingestReportingFlows`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "text/plain" },
      body: JSON.stringify({ input: "" }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("x-invocation-id")).toBeNull();
  });

  it("refuses a streamed body beyond MAX_BODY_BYTES without holding it, even when the client never finishes", async () => {
    const answer = await new Promise<{ status: number; connection?: string }>((resolve, reject) => {
      const request = http.request(`${baseUrl()}/organizations/${aFreshFiscalCode()}/debtpositions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
      });
      request.on("response", (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, connection: response.headers.connection });
        request.destroy();
      });
      request.on("error", reject);
      // 1 MiB + 1 KiB of a body that is never finished, sent in slices the host reads as they come: past the limit
      // it keeps nothing, drains what still comes for a bounded time (a client that does finish then reads its 413
      // instead of a broken pipe), and answers 413 with the connection closed.
      void (async () => {
        const slice = Buffer.alloc(64 * 1024, 0x20);
        for (let sent = 0; sent < 1024 * 1024; sent += slice.length) {
          await new Promise((done) => request.write(slice, done));
        }
        request.write(Buffer.alloc(1024, 0x20));
      })();
    });
    expect(answer).toEqual({ status: 413, connection: "close" });
  });

  it.each([
    ["markup", "<script>alert(1)</script>"],
    ["15,000 characters", "a".repeat(15_000)],
  ])("does not echo an X-Request-Id of %s on its own 404 and 405", async (_, id) => {
    for (const response of [
      await fetch(`${baseUrl()}/no/such/function`, { headers: { "x-request-id": id } }),
      await fetch(`${baseUrl()}/info`, { method: "PATCH", headers: { "x-request-id": id } }),
    ]) {
      expect([404, 405]).toContain(response.status);
      expect(response.headers.get("x-request-id")).toMatch(uuidPattern);
    }
  });
});

describe("finding 8: a big flow through the job while the API keeps answering", () => {
  it("ingests 5,000 entries, files their result, and /info answers while the job runs", async () => {
    const org = aFreshFiscalCode();
    const entries = 5_000;
    const flowId = `2026-03-12PSPTEST01-B${String(Date.now() % 1e9).padStart(9, "0")}`;
    const xml = aFlowXml({
      flowId,
      receiver: org,
      payments: Array.from({ length: entries }, (_, i) => ({
        iuv: `05${String(i).padStart(15, "0")}`,
        transferIndex: 1,
        amountCents: 100,
      })),
    });
    await blobService()
      .getContainerClient(blobContainers["flows-inbox"])
      .getBlockBlobClient(`${flowId}.xml`)
      .upload(xml, Buffer.byteLength(xml));

    let answered = 0;
    const job = { running: true };
    const probe = (async () => {
      while (job.running) {
        if ((await fetch(`${baseUrl()}/info`)).status < 500) answered += 1;
      }
    })();
    const run = await runJobNow("ingestReportingFlows").finally(() => {
      job.running = false;
    });
    await probe;
    expect(run.status).toBe("succeeded");
    expect(answered).toBeGreaterThan(0);

    const result = await blobService()
      .getContainerClient(blobContainers.flows)
      .getBlobClient(`${org}/2026-03-12/${flowId}.result.json`)
      .downloadToBuffer();
    const parsed = JSON.parse(result.toString("utf8")) as { entries: number; notApplied: number; unapplied: unknown[] };
    expect(parsed).toMatchObject({ entries, notApplied: entries });
    expect(parsed.unapplied).toHaveLength(entries);
  });
});
