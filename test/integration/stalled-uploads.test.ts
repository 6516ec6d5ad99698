// Uploads whose chunk messages were never queued (the accepting instance died between recording the upload and
// queueing its messages), against the emulator and Azurite with the app's own adapters: the sweep claims the parts no
// worker took, records them as not applied, writes the report and marks the upload finished, so it is not swept
// again; an upload a worker had started keeps that part for the worker. The queue here loses every message: that is
// the crash being reproduced, not a claim about queues. The last test runs the sweep as Azure would, through the
// timer function on the suite's host, and reads the outcome over HTTP.
import { BlobUploadStore } from "../../shared/adapters/blob/blob-upload-store";
import { CosmosDebtPositionRepository } from "../../shared/adapters/cosmos/cosmos-debt-position-repository";
import { CosmosUploadRepository } from "../../shared/adapters/cosmos/cosmos-upload-repository";
import type { CallContext } from "../../shared/application/call-context";
import { DebtPositionService } from "../../shared/application/debt-position-service";
import { UploadService } from "../../shared/application/upload-service";
import type { UploadQueue } from "../../shared/domain/uploads/ports";
import { uploadLimits } from "../../shared/domain/uploads/upload";
import { blobContainers, containers } from "../../shared/storage/definition";
import { aFreshIuv, aPositionBody, callApi, registeredIban } from "../support/gpd-client";
import { runJobNow } from "../support/jobs";
import { uploadPath } from "../support/uploads";
import { aFreshFiscalCode, aKey, anOrganization, organizationRepository } from "../support/keys";
import { blobService, cosmosClient, testConfig } from "../support/stack";

const container = () => cosmosClient().database(testConfig().cosmos.database).container(containers.debtpositions);
const lostMessages: UploadQueue = { send: () => Promise.resolve() };
const day = uploadLimits.staleAfterMs;

function setup(startedAt: Date) {
  const uploads = new CosmosUploadRepository(container());
  let serial = 0;
  const service = new UploadService({
    uploads,
    store: new BlobUploadStore(blobService().getContainerClient(blobContainers.uploads)),
    queue: lostMessages,
    organizations: organizationRepository(),
    positions: new DebtPositionService({
      repository: new CosmosDebtPositionRepository(container()),
      organizations: organizationRepository(),
    }),
    clock: () => startedAt,
    newId: () => `stalled${Date.now()}${(serial += 1)}`,
  });
  return { uploads, service };
}

async function anUploadThatWasNeverQueued(count: number) {
  const org = aFreshFiscalCode();
  const broker = aFreshFiscalCode();
  await anOrganization(org, [registeredIban], [], { brokerCode: broker });
  // Started long ago: the sweep only takes uploads older than its threshold.
  const startedAt = new Date(Date.now() - day - 60_000);
  const { uploads, service } = setup(startedAt);
  const ctx: CallContext = {
    organizationFiscalCode: org,
    caller: { subscriptionName: "test", organizations: [org], products: ["debt-positions"] },
    now: startedAt,
  };
  const bodies = Array.from({ length: count }, () => aPositionBody({ iuvs: [aFreshIuv()] }));
  const file = await service.submit(ctx, broker, "CREATE", { paymentPositions: bodies }, false);
  return { org, broker, ctx, file, uploads, service };
}

test("the sweep claims the parts nobody took and leaves a part a worker started to it", async () => {
  const { broker, ctx, file, uploads, service, org } = await anUploadThatWasNeverQueued(60);
  expect(file.chunkCount).toBe(2);
  // A worker had started part 0 (its start is recorded) when the sweep comes.
  expect((await uploads.startChunk(org, file.fileId, 0, [])).swept).toBe(false);

  // Other suites' old uploads may be swept by the same run: only this one's numbers are checked.
  await service.finishStalled(new Date(), day, 1000);
  expect(await service.status(ctx, broker, file.fileId)).toMatchObject({
    processedItem: 10,
    operationStatus: "IN_PROGRESS",
  });
  expect((await uploads.startChunk(org, file.fileId, 1, [])).swept).toBe(true);
  expect((await uploads.unfinishedFiles(new Date().toISOString(), 1000)).map((f) => f.fileId)).toContain(file.fileId);
});

test("an upload all of whose parts are swept is reported as not applied and not swept again", async () => {
  const { broker, ctx, file, uploads, service } = await anUploadThatWasNeverQueued(3);
  await service.finishStalled(new Date(), day, 1000);
  expect(await service.status(ctx, broker, file.fileId)).toMatchObject({
    processedItem: 3,
    operationStatus: "COMPLETED_UNSUCCESSFULLY",
  });
  const report = await service.report(ctx, broker, file.fileId);
  expect(report.responses.map((r) => [r.statusCode, r.requestIDs.length])).toEqual([[503, 3]]);
  expect((await uploads.unfinishedFiles(new Date().toISOString(), 1000)).map((f) => f.fileId)).not.toContain(
    file.fileId,
  );
});

test("through the host: the finishStalledUploads timer, run by the admin API, and the status and report over HTTP", async () => {
  const { org, broker, file } = await anUploadThatWasNeverQueued(3);
  const { key } = await aKey({ organizations: [org], products: ["debt-positions"] });
  const files = `${uploadPath(broker, org)}/file/${file.fileId}`;
  expect((await callApi("GET", `${files}/status`, { key })).body).toMatchObject({ operationStatus: "IN_PROGRESS" });

  expect(await runJobNow("finishStalledUploads")).toMatchObject({ status: "succeeded" });
  expect((await callApi("GET", `${files}/status`, { key })).body).toMatchObject({
    processedItem: 3,
    operationStatus: "COMPLETED_UNSUCCESSFULLY",
  });
  const report = await callApi("GET", `${files}/report`, { key });
  expect(report.status).toBe(200);
  expect(
    (report.body as { responses: { statusCode: number; requestIDs: string[] }[] }).responses.map((r) => [
      r.statusCode,
      r.requestIDs.length,
    ]),
  ).toEqual([[503, 3]]);
});
