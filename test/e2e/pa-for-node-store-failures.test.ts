// paSendRTV2 and paVerifyPaymentNotice when the store fails, over HTTP against a second local host whose Cosmos and
// Blob traffic passes through fault proxies (test/support/fault-proxy.ts) in front of the real emulators:
// - the receipt cannot be parked → PAA_SYSTEM_ERROR, nothing changed, so the node sends it again;
// - the receipt is parked but the store fails mid-way (after the position write, before the index entry) → OK, and
//   the ingestReceipts job finishes it: the receipt is listed, the parked file is gone, nothing is lost or doubled;
// - the positions cannot be read → PAA_SYSTEM_ERROR, never a 500.
import { newOrganization } from "../../shared/domain/organizations/organization";
import { blobContainers } from "../../shared/storage/definition";
import { startFaultProxy, type FaultProxy } from "../support/fault-proxy";
import { aFreshIuv, callApi, inDays, registeredIban } from "../support/gpd-client";
import { runJobNow } from "../support/jobs";
import { aFreshFiscalCode, aKey, organizationRepository } from "../support/keys";
import { aNodeClient, sendRtArgs, verifyArgs, type NodeClient, type Station } from "../support/node-soap";
import { blobService, startExtraHost, testSettings } from "../support/stack";

// Each test makes many SOAP calls and validates every answer with libxml2: generous under a loaded machine.
jest.setTimeout(120_000);

describe("paForNode when the store fails", () => {
  const org = aFreshFiscalCode();
  const broker = aFreshFiscalCode();
  const station: Station = { organization: org, broker, station: `${broker}_01` };
  let ecKey = "";
  let cosmosProxy: FaultProxy;
  let blobProxy: FaultProxy;
  let host: { url: string; close(): Promise<void> } | undefined;
  let node: NodeClient;

  beforeAll(async () => {
    await organizationRepository().upsert(
      newOrganization({
        fiscalCode: org,
        companyName: "Comune di Prova",
        ibans: [registeredIban],
        brokerCode: broker,
        stationCodes: [`${broker}_01`],
        now: new Date(),
      }),
    );
    ecKey = (await aKey({ organizations: [org], products: ["debt-positions", "receipts"] })).key;
    const nodeKey = (await aKey({ organizations: [], products: ["node"] })).key;
    const settings = testSettings();
    cosmosProxy = await startFaultProxy(settings.COSMOS_ENDPOINT ?? "");
    const blobEndpoint = /BlobEndpoint=(http:\/\/[^/;]+)/.exec(settings.STORAGE_CONNECTION_STRING ?? "")?.[1] ?? "";
    blobProxy = await startFaultProxy(blobEndpoint);
    host = await startExtraHost({
      COSMOS_ENDPOINT: cosmosProxy.url,
      STORAGE_CONNECTION_STRING: (settings.STORAGE_CONNECTION_STRING ?? "").replace(blobEndpoint, blobProxy.url),
    });
    node = await aNodeClient(nodeKey, host.url);
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    await cosmosProxy.close();
    await blobProxy.close();
  });

  afterEach(() => {
    cosmosProxy.heal();
    blobProxy.heal();
  });

  async function aPosition(): Promise<{ iupd: string; nav: string; iuv: string }> {
    const iuv = aFreshIuv();
    const iupd = `NODE-FAIL-${iuv}`;
    const created = await callApi("POST", `/organizations/${org}/debtpositions?toPublish=true`, {
      key: ecKey,
      body: {
        iupd,
        type: "F",
        fiscalCode: "RSSMRA80A01H501U",
        fullName: "Mario Rossi",
        switchToExpired: false,
        companyName: "Comune di Prova",
        paymentOption: [
          {
            iuv,
            amount: 10_000,
            isPartialPayment: false,
            dueDate: inDays(30),
            transfer: [
              {
                idTransfer: "1",
                amount: 10_000,
                remittanceInformation: "TARI",
                category: "9/0101108TS/",
                iban: registeredIban,
              },
            ],
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    return { iupd, iuv, nav: `3${iuv}` };
  }

  const statusOf = async (iupd: string) =>
    ((await callApi("GET", `/organizations/${org}/debtpositions/${iupd}`, { key: ecKey })).body as { status: string })
      .status;
  const listed = async () =>
    (
      (await callApi("GET", `/payments/${org}/receipts?limit=999`, { key: ecKey })).body as {
        receipts_list: { iuv: string }[];
      }
    ).receipts_list.map((r) => r.iuv);
  const parked = (iuv: string) =>
    blobService().getContainerClient(blobContainers["receipts-inbox"]).getBlobClient(`node/${org}/R-${iuv}.xml`);

  it("answers PAA_SYSTEM_ERROR and changes nothing when the receipt cannot be stored", async () => {
    const { iupd, iuv, nav } = await aPosition();
    blobProxy.fail({ method: "PUT", path: /\/receipts-inbox\//, status: 403 });
    const answer = await node.call(
      "paSendRTV2",
      sendRtArgs(station, { receiptId: `R-${iuv}`, noticeNumber: nav, iuv, transfers: [{ amountCents: 10_000 }] }),
    );
    expect(answer.result).toMatchObject({ outcome: "KO", fault: { faultCode: "PAA_SYSTEM_ERROR", id: org } });
    expect(blobProxy.failed.length).toBeGreaterThan(0);
    expect(await statusOf(iupd)).toBe("VALID");
    expect(await parked(iuv).exists()).toBe(false);
  });

  it("answers OK once the receipt is parked, and the inbox job finishes what the store failure interrupted", async () => {
    const { iupd, iuv, nav } = await aPosition();
    // The index entry is the last write: the position is paid and the XML filed, then the store fails.
    cosmosProxy.fail({ method: "POST", path: /\/colls\/receipts\/docs$/, status: 500 });
    const args = sendRtArgs(station, {
      receiptId: `R-${iuv}`,
      noticeNumber: nav,
      iuv,
      transfers: [{ amountCents: 10_000 }],
    });
    const answer = await node.call("paSendRTV2", args);
    expect(answer.result).toMatchObject({ outcome: "OK" });
    expect(cosmosProxy.failed.length).toBeGreaterThan(0);
    expect(await statusOf(iupd)).toBe("PAID");
    expect(await listed()).not.toContain(iuv);
    expect(await parked(iuv).exists()).toBe(true);

    cosmosProxy.heal();
    expect(await runJobNow("ingestReceipts")).toMatchObject({ status: "succeeded" });
    expect(await listed()).toContain(iuv);
    expect(await parked(iuv).exists()).toBe(false);
    expect(await statusOf(iupd)).toBe("PAID");
    // The node sending it again changes nothing.
    expect((await node.call("paSendRTV2", args)).result).toMatchObject({ outcome: "OK" });
    expect((await listed()).filter((x) => x === iuv)).toHaveLength(1);
  });

  it("answers PAA_SYSTEM_ERROR, not a 500, when the positions cannot be read", async () => {
    const { nav } = await aPosition();
    cosmosProxy.fail({ method: "GET", path: /\/colls\/debtpositions\/docs\//, status: 500 });
    const answer = await node.call("paVerifyPaymentNotice", verifyArgs(station, nav));
    expect(answer.result).toMatchObject({ outcome: "KO", fault: { faultCode: "PAA_SYSTEM_ERROR", id: org } });
    cosmosProxy.heal();
    expect((await node.call("paVerifyPaymentNotice", verifyArgs(station, nav))).result).toMatchObject({
      outcome: "OK",
    });
  });
});
