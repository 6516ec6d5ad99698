// Bench case of receipt ingestion: receipts ingested per second by ingestReceipts (in-process, the app's own adapters on the
// bench's emulators) against the raw writes each receipt needs done directly with the SDK, one receipt after the
// other like the job: the conditional replace of the position, the XML upload, the index document, the inbox delete.
// The job also reads (inbox listing and download, IUV claim + position point reads): the ratio is their cost plus
// the parsing and validation. Both sides use their own inbox containers, so the host's ingestReceipts timer cannot
// take the files.
import type { ContainerClient } from "@azure/storage-blob";
import { BlobInbox } from "../../shared/adapters/blob/blob-inbox";
import { ingestReceipts } from "../../shared/application/receipt-ingestion";
import { silentLogger as silent } from "../../shared/logging/logger";
import { blobContainers, containers } from "../../shared/storage/definition";
import { centsToEuros } from "../../shared/domain/money";
import { uniqueSuffix, type BenchCase, type BenchContext, type BenchRow } from "../harness";
import { aBenchPosition, benchAmountCents } from "../positions";

/** 17 digits: segregation code 01, 8 digits of this run, 1 digit for the side (subject/baseline), 6 of index. */
const iuvAt = (run: string, i: number) => `01${run}${String(i).padStart(6, "0")}`;

function aReceipt(org: string, iuv: string): string {
  const euros = centsToEuros(benchAmountCents);
  return `<?xml version="1.0" encoding="UTF-8"?>
<pafn:paSendRTV2Request xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd">
  <idPA>${org}</idPA><idBrokerPA>${org}</idBrokerPA><idStation>${org}_01</idStation>
  <receipt>
    <receiptId>R-${iuv}</receiptId><noticeNumber>3${iuv}</noticeNumber><fiscalCode>${org}</fiscalCode><outcome>OK</outcome>
    <creditorReferenceId>${iuv}</creditorReferenceId><paymentAmount>${euros}</paymentAmount>
    <description>Bench payment</description><companyName>Comune di Bench</companyName>
    <debtor><uniqueIdentifier><entityUniqueIdentifierType>F</entityUniqueIdentifierType><entityUniqueIdentifierValue>RSSMRA80A01H501U</entityUniqueIdentifierValue></uniqueIdentifier><fullName>Mario Rossi</fullName></debtor>
    <transferList><transfer><idTransfer>1</idTransfer><transferAmount>${euros}</transferAmount><fiscalCodePA>${org}</fiscalCodePA><IBAN>IT60X0542811101000000123456</IBAN><remittanceInformation>Bench</remittanceInformation><transferCategory>9/0101108TS/</transferCategory></transfer></transferList>
    <idPSP>PSPBENCH</idPSP><PSPCompanyName>Banca Bench</PSPCompanyName><idChannel>PSPBENCH_01</idChannel><channelDescription>app</channelDescription>
    <paymentMethod>creditCard</paymentMethod><paymentDateTime>2026-03-10T09:15:30Z</paymentDateTime>
  </receipt>
</pafn:paSendRTV2Request>
`;
}

async function inParallel<T>(
  items: readonly T[],
  width: number,
  work: (item: T, i: number) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += width) {
    await Promise.all(items.slice(i, i + width).map((item, k) => work(item, i + k)));
  }
}

async function scratchContainers(ctx: BenchContext, run: string): Promise<[ContainerClient, ContainerClient]> {
  const inbox = ctx.blobService.getContainerClient(`bench-rcpt-in-${run}`);
  const rejected = ctx.blobService.getContainerClient(`bench-rcpt-rej-${run}`);
  await Promise.all([inbox.create(), rejected.create()]);
  return [inbox, rejected];
}

export const receiptsBench: BenchCase = {
  name: "receipts",
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const count = Math.max(10, Math.round(100 * ctx.scale));
    const run = uniqueSuffix().replace(/[^0-9a-f]/g, "");
    const digits = String(parseInt(run.slice(0, 6), 16) % 100_000_000).padStart(8, "0");
    const { fiscalCode: org } = await ctx.freshOrganization();
    const at = new Date().toISOString();
    const xmlOf = (iuv: string) => Buffer.from(aReceipt(org, iuv), "utf8");

    // ---- subject: ingestReceipts over `count` files -----------------------------------------------------------
    const subjectIuvs = Array.from({ length: count }, (_, i) => iuvAt(`${digits}0`, i));
    await inParallel(subjectIuvs, 25, (iuv) =>
      ctx.deps.debtPositions.create(aBenchPosition(org, iuv, at, { iupdPrefix: "BENCH-" })),
    );
    const [inbox, rejected] = await scratchContainers(ctx, `${run}-s`);
    await inParallel(subjectIuvs, 25, (iuv) => inbox.getBlockBlobClient(`${iuv}.xml`).uploadData(xmlOf(iuv)));
    ctx.roundTrips.reset();
    const started = performance.now();
    const summary = await ingestReceipts({
      inbox: new BlobInbox(inbox, rejected),
      positions: ctx.deps.debtPositions,
      receipts: ctx.deps.receipts,
      store: ctx.deps.receiptStore,
      clock: () => new Date(),
      log: silent,
    });
    const subjectSeconds = (performance.now() - started) / 1000;
    const cosmosTrips = ctx.roundTrips.count;
    if (summary.accepted !== count) throw new Error(`receipts bench: ${summary.accepted}/${count} accepted`);

    // ---- baseline: the same writes, straight through the SDK ------------------------------------------------
    const database = ctx.cosmos.database(ctx.config.cosmos.database);
    const positionsContainer = database.container(containers.debtpositions);
    const indexContainer = database.container(containers.receipts);
    const receiptsBlobs = ctx.blobService.getContainerClient(blobContainers.receipts);
    const baselineIuvs = Array.from({ length: count }, (_, i) => iuvAt(`${digits}1`, i));
    const [baseInbox, baseRejected] = await scratchContainers(ctx, `${run}-b`);
    const etags = new Map<string, string>();
    await inParallel(baselineIuvs, 25, async (iuv) => {
      const { etag } = await positionsContainer.items.create({
        id: `baseline:${iuv}`,
        ...aBenchPosition(org, iuv, at, { iupdPrefix: "BENCH-" }),
      });
      etags.set(iuv, etag);
      await baseInbox.getBlockBlobClient(`${iuv}.xml`).uploadData(xmlOf(iuv));
    });
    const baseStarted = performance.now();
    // The same concurrency as the job (4 files at a time).
    await inParallel(baselineIuvs, 4, async (iuv) => {
      const xml = xmlOf(iuv);
      const paid = aBenchPosition(org, iuv, at, { iupdPrefix: "BENCH-" });
      paid.status = "PAID";
      await positionsContainer
        .item(`baseline:${iuv}`, org)
        .replace(
          { id: `baseline:${iuv}`, ...paid },
          { accessCondition: { type: "IfMatch", condition: etags.get(iuv) ?? "" } },
        );
      await receiptsBlobs
        .getBlockBlobClient(`${org}/baseline-${iuv}.xml`)
        .uploadData(xml, { conditions: { ifNoneMatch: "*" } });
      await indexContainer.items.create({
        id: `baseline-${iuv}`,
        organizationFiscalCode: org,
        iuv,
        debtorFiscalCode: "RSSMRA80A01H501U",
      });
      await baseInbox.getBlobClient(`${iuv}.xml`).delete();
    });
    const baselineSeconds = (performance.now() - baseStarted) / 1000;

    await Promise.all([inbox, rejected, baseInbox, baseRejected].map((c) => c.deleteIfExists()));
    return [
      {
        case: "receipts",
        metric: "ingestReceipts throughput",
        subject: count / subjectSeconds,
        baseline: count / baselineSeconds,
        unit: "receipts/s",
        note: `${count} receipts, 4 at a time on both sides; baseline = position replace (If-Match) + blob put + index create + inbox delete via the SDK`,
      },
      {
        case: "receipts",
        metric: "Cosmos round trips per receipt",
        subject: cosmosTrips / count,
        baseline: 2,
        unit: "round trips",
        note: "claim read + position read + replace batch + index create; baseline: replace + create",
      },
    ];
  },
};
