// The paForNode SOAP service: paVerifyPaymentNotice, paGetPaymentV2 and paSendRTV2 through the local host, side by
// side with the Cosmos/Blob calls each one needs made directly with the SDK, and the store calls per operation
// (goals: verify and getPayment ≤ 2 point reads; sendRT ≤ 3 Cosmos round trips + 1 blob write).
import { randomUUID } from "node:crypto";
import { navClaimId, positionId, toDocument } from "../../shared/adapters/cosmos/debt-position-document";
import type { Inbox } from "../../shared/application/inbox";
import { PaForNodeService, type ReceiptParking } from "../../shared/application/pa-for-node";
import { centsToEuros } from "../../shared/domain/money";
import { newOrganization } from "../../shared/domain/organizations/organization";
import type { ReceiptStore } from "../../shared/domain/receipts/ports";
import { generateKey, newSubscription } from "../../shared/domain/subscriptions/subscription";
import { silentLogger as silent } from "../../shared/logging/logger";
import { readNodeRequest, type PaForNodeOperation } from "../../shared/soap/pa-for-node-xml";
import { blobContainers, containers } from "../../shared/storage/definition";
import { countRoundTrips, httpLoad, inProcessPair, uniqueSuffix, type BenchCase, type BenchRow } from "../harness";
import { aBenchPosition, benchAmountCents } from "../positions";

const seconds = () => Number(process.env.BENCH_SECONDS ?? "4");
const IBAN = "IT60X0542811101000000123456";
const NS = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd";

interface Station {
  org: string;
  broker: string;
  station: string;
}

const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="${NS}"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

const ids = (s: Station) =>
  `<idPA>${s.org}</idPA><idBrokerPA>${s.broker}</idBrokerPA><idStation>${s.station}</idStation>`;

const verifyXml = (s: Station, nav: string) =>
  envelope(
    `<pafn:paVerifyPaymentNoticeReq>${ids(s)}<qrCode><fiscalCode>${s.org}</fiscalCode><noticeNumber>${nav}</noticeNumber></qrCode></pafn:paVerifyPaymentNoticeReq>`,
  );

const getPaymentXml = (s: Station, nav: string) =>
  envelope(
    `<pafn:paGetPaymentV2Request>${ids(s)}<qrCode><fiscalCode>${s.org}</fiscalCode><noticeNumber>${nav}</noticeNumber></qrCode></pafn:paGetPaymentV2Request>`,
  );

function sendRtXml(s: Station, iuv: string, receiptId: string): string {
  const euros = centsToEuros(benchAmountCents);
  return envelope(
    `<pafn:paSendRTV2Request>${ids(s)}<receipt><receiptId>${receiptId}</receiptId><noticeNumber>3${iuv}</noticeNumber><fiscalCode>${s.org}</fiscalCode><outcome>OK</outcome><creditorReferenceId>${iuv}</creditorReferenceId><paymentAmount>${euros}</paymentAmount><description>Bench</description><companyName>Comune di Bench</companyName><debtor><uniqueIdentifier><entityUniqueIdentifierType>F</entityUniqueIdentifierType><entityUniqueIdentifierValue>RSSMRA80A01H501U</entityUniqueIdentifierValue></uniqueIdentifier><fullName>Mario Rossi</fullName></debtor><transferList><transfer><idTransfer>1</idTransfer><transferAmount>${euros}</transferAmount><fiscalCodePA>${s.org}</fiscalCodePA><IBAN>${IBAN}</IBAN><remittanceInformation>Bench</remittanceInformation><transferCategory>9/0101108TS/</transferCategory></transfer></transferList><idPSP>PSPBENCH</idPSP><PSPCompanyName>Banca Bench</PSPCompanyName><idChannel>PSPBENCH_01</idChannel><channelDescription>app</channelDescription><paymentMethod>creditCard</paymentMethod><paymentDateTime>2026-03-10T09:15:30Z</paymentDateTime></receipt></pafn:paSendRTV2Request>`,
  );
}

/** `width` at a time, like a node with that many connections open. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}

export const paForNodeBench: BenchCase = {
  name: "pa-for-node",
  async run(ctx): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const run = uniqueSuffix();
    const digits = String(parseInt(run.slice(0, 6), 16) % 100_000_000).padStart(8, "0");
    const iuvAt = (side: number, i: number) => `01${digits}${side}${String(i).padStart(6, "0")}`;
    const org = `7${digits}${String(Date.now()).slice(-2)}`;
    const broker = `6${digits}${String(Date.now()).slice(-2)}`;
    const s: Station = { org, broker, station: `${broker}_01` };
    const now = new Date();
    await ctx.deps.organizations.upsert(
      newOrganization({
        fiscalCode: org,
        companyName: "Comune di Bench",
        ibans: [IBAN],
        brokerCode: broker,
        stationCodes: [s.station],
        now,
      }),
    );
    const key = generateKey();
    await ctx.deps.subscriptions.create(
      newSubscription({
        key,
        name: `bench-node-${run}`,
        organizations: [],
        products: ["node"],
        environment: ctx.config.environment,
        now,
      }),
    );
    const at = now.toISOString();
    const count = Math.max(20, Math.round(100 * ctx.scale));
    // side 0: read by verify/getPayment; 1: paid through the host; 2: paid by the SDK baseline; 3: round-trip counts.
    const readIuvs = Array.from({ length: count }, (_, i) => iuvAt(0, i));
    const hostIuvs = Array.from({ length: count }, (_, i) => iuvAt(1, i));
    const sdkIuvs = Array.from({ length: count }, (_, i) => iuvAt(2, i));
    const countIuvs = Array.from({ length: 3 }, (_, i) => iuvAt(3, i));
    await inParallel([...readIuvs, ...hostIuvs, ...sdkIuvs, ...countIuvs], 20, (iuv) =>
      ctx.deps.debtPositions.create(
        aBenchPosition(org, iuv, at, { iupdPrefix: "BENCH-", description: "Bench", iban: IBAN }),
      ),
    );

    // ---- store calls per operation, in process: Cosmos round trips counted by the client, blob calls at the ports ----
    let blobCalls = 0;
    const realStore = ctx.deps.receiptStore;
    const store: ReceiptStore = {
      nameOf: (o, iuv) => realStore.nameOf(o, iuv),
      put: (o, iuv, id, xml) => ((blobCalls += 1), realStore.put(o, iuv, id, xml)),
      get: (o, iuv) => ((blobCalls += 1), realStore.get(o, iuv)),
    };
    const inboxPort = ctx.deps.receiptInbox as Inbox & ReceiptParking;
    // reject = a copy to receipts-rejected + a delete: two calls.
    const parking: ReceiptParking = {
      put: (name, bytes) => ((blobCalls += 1), inboxPort.put(name, bytes)),
      remove: (name) => ((blobCalls += 1), inboxPort.remove(name)),
      reject: (name, reason, bytes) => ((blobCalls += 2), inboxPort.reject(name, reason, bytes)),
    };
    const service = new PaForNodeService({
      organizations: ctx.deps.organizations,
      positions: ctx.deps.debtPositions,
      receipts: { positions: ctx.deps.debtPositions, receipts: ctx.deps.receipts, store, clock: () => new Date() },
      parking,
      clock: () => new Date(),
    });
    const answer = async (operation: PaForNodeOperation, xml: string) => {
      const bytes = Buffer.from(xml);
      const read = readNodeRequest(bytes, operation, 1024 * 1024);
      if (read.kind !== "request") throw new Error(`bench request refused: ${JSON.stringify(read)}`);
      const result = await service.answer(read.request, bytes, silent);
      if (result.kind === "fault")
        throw new Error(`${operation}: ${result.fault.faultCode} ${result.fault.description}`);
    };
    // Warm: the organization in its cache, the partition key ranges known.
    await answer("paVerifyPaymentNotice", verifyXml(s, `3${countIuvs[0] ?? ""}`));
    const trips = async (metric: string, operation: PaForNodeOperation, xml: string, goal: string) => {
      blobCalls = 0;
      const cosmos = await countRoundTrips(ctx.roundTrips, () => answer(operation, xml));
      rows.push({
        case: "pa-for-node",
        metric: `store calls: ${metric}`,
        subject: cosmos,
        unit: "Cosmos calls",
        note: `${goal}; blob calls ${blobCalls}`,
      });
    };
    await trips("paVerifyPaymentNotice", "paVerifyPaymentNotice", verifyXml(s, `3${countIuvs[0] ?? ""}`), "goal ≤ 2");
    await trips("paGetPaymentV2", "paGetPaymentV2", getPaymentXml(s, `3${countIuvs[0] ?? ""}`), "goal ≤ 2");
    await trips(
      "paSendRTV2",
      "paSendRTV2",
      sendRtXml(s, countIuvs[1] ?? "", `R-${countIuvs[1] ?? ""}`),
      "goal ≤ 3 Cosmos + 1 blob write (blob: park, file, unpark)",
    );

    // ---- verify and getPaymentV2 through the host vs the two point reads made directly ----
    const headers = (action: string) => ({
      "Content-Type": "text/xml; charset=utf-8",
      SOAPAction: action,
      "Ocp-Apim-Subscription-Key": key,
    });
    const database = ctx.cosmos.database(ctx.config.cosmos.database);
    const positions = database.container(containers.debtpositions);
    const twoPointReads = async (i: number) => {
      const iuv = readIuvs[i % readIuvs.length] ?? "";
      const { resource } = await positions.item(navClaimId(`3${iuv}`), org).read<{ iupd: string }>();
      await positions.item(positionId(resource?.iupd ?? ""), org).read();
    };
    for (const [operation, xml] of [
      ["paVerifyPaymentNotice", verifyXml],
      ["paGetPaymentV2", getPaymentXml],
    ] as const) {
      const host = await httpLoad({
        url: `${ctx.baseUrl}/paForNode`,
        method: "POST",
        headers: headers(operation),
        vary: (i) => ({ body: xml(s, `3${readIuvs[i % readIuvs.length] ?? ""}`) }),
        durationSeconds: seconds(),
      });
      const [useCase, sdk] = await inProcessPair(
        (i) => answer(operation, xml(s, `3${readIuvs[i % readIuvs.length] ?? ""}`)),
        twoPointReads,
        { durationSeconds: seconds() },
      );
      rows.push(
        {
          case: "pa-for-node",
          metric: `${operation} req/s`,
          subject: host.requestsPerSecond,
          inProcess: useCase.requestsPerSecond,
          baseline: sdk.requestsPerSecond,
          unit: "req/s",
          note: `host / parse + use case in-process / claim + position point reads via the SDK; non-2xx ${host.non2xx}`,
        },
        {
          case: "pa-for-node",
          metric: `${operation} p99`,
          subject: host.p99Ms,
          inProcess: useCase.p99Ms,
          baseline: sdk.p99Ms,
          unit: "ms",
        },
      );
    }

    // ---- paSendRTV2 through the host vs the same store calls made directly, 10 at a time on both sides ----
    let faults = 0;
    const hostStarted = performance.now();
    await inParallel(hostIuvs, 10, async (iuv) => {
      const response = await fetch(`${ctx.baseUrl}/paForNode`, {
        method: "POST",
        headers: headers("paSendRTV2"),
        body: sendRtXml(s, iuv, `R-${iuv}`),
      });
      if (!(await response.text()).includes("<outcome>OK</outcome>")) faults += 1;
    });
    const hostSeconds = (performance.now() - hostStarted) / 1000;
    const inbox = ctx.blobService.getContainerClient(blobContainers["receipts-inbox"]);
    const receiptsBlobs = ctx.blobService.getContainerClient(blobContainers.receipts);
    const index = database.container(containers.receipts);
    const sdkStarted = performance.now();
    await inParallel(sdkIuvs, 10, async (iuv) => {
      const xml = Buffer.from(sendRtXml(s, iuv, `R-${iuv}`));
      const parked = inbox.getBlockBlobClient(`bench/${org}/R-${iuv}.xml`);
      await parked.uploadData(xml);
      const { resource } = await positions.item(navClaimId(`3${iuv}`), org).read<{ iupd: string }>();
      const read = await positions.item(positionId(resource?.iupd ?? ""), org).read();
      const paid = aBenchPosition(org, iuv, at, { iupdPrefix: "BENCH-", description: "Bench", iban: IBAN });
      paid.status = "PAID";
      await positions.items.batch(
        [
          {
            operationType: "Replace",
            id: positionId(paid.iupd),
            resourceBody: toDocument(paid) as { id: string },
            ifMatch: read.etag,
          },
        ],
        org,
      );
      await receiptsBlobs
        .getBlockBlobClient(`${org}/bench-${iuv}.xml`)
        .uploadData(xml, { conditions: { ifNoneMatch: "*" } });
      await index.items.create({ id: `bench-${iuv}-${randomUUID()}`, organizationFiscalCode: org, iuv });
      await parked.delete();
    });
    const sdkSeconds = (performance.now() - sdkStarted) / 1000;
    rows.push({
      case: "pa-for-node",
      metric: "paSendRTV2 throughput",
      subject: count / hostSeconds,
      baseline: count / sdkSeconds,
      unit: "receipts/s",
      note: `${count} receipts, 10 at a time; baseline = park + claim read + position read + replace batch + blob put + index create + unpark via the SDK; faults ${faults}`,
    });
    return rows;
  },
};
