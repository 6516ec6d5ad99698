// The composition root (package.json "main"): reads config once — refusing to start, with every problem listed,
// when a setting is wrong — builds the dependencies, and registers every function in one list. The Azure
// Functions worker and our local host (local/host) both load this file and receive the same registrations.
import { app } from "@azure/functions";
import { loadConfig } from "../shared/config/config";
import { configureLogging } from "../shared/logging/logger";
import { buildDependencies, type Dependencies } from "./dependencies";
import { makeCreateDebtPosition } from "./debt-positions/create-debt-position";
import { makeCreateDebtPositionsBulk } from "./debt-positions/create-debt-positions-bulk";
import { makeDeleteDebtPosition } from "./debt-positions/delete-debt-position";
import { route } from "./debt-positions/deps";
import { makeGetDebtPosition } from "./debt-positions/get-debt-position";
import { makeInvalidateDebtPosition } from "./debt-positions/invalidate-debt-position";
import { makeListDebtPositions } from "./debt-positions/list-debt-positions";
import { makePublishDebtPosition } from "./debt-positions/publish-debt-position";
import { makeUpdateDebtPosition } from "./debt-positions/update-debt-position";
import { makeGetUploadReport } from "./debt-positions/get-upload-report";
import { makeGetUploadStatus } from "./debt-positions/get-upload-status";
import { makeListUploads } from "./debt-positions/list-uploads";
import { makeProcessUploadChunk } from "./debt-positions/process-upload-chunk";
import { uploadRoute } from "./debt-positions/upload-deps";
import { makeUploadDebtPositionsFile } from "./debt-positions/upload-debt-positions-file";
import { makeCreateWebhook } from "./events/create-webhook";
import { makeDeleteWebhook } from "./events/delete-webhook";
import { makeDeliverWebhookEvents } from "./events/deliver-webhook-events";
import { route as eventsRoute } from "./events/deps";
import { makeDispatchEvents } from "./events/dispatch-events";
import { makeGetWebhook } from "./events/get-webhook";
import { makeListDeliveries } from "./events/list-deliveries";
import { makeListEvents } from "./events/list-events";
import { makeListWebhooks } from "./events/list-webhooks";
import { makePingWebhook } from "./events/ping-webhook";
import { makeReplayWebhook } from "./events/replay-webhook";
import { makeGetInfo } from "./info/get-info";
import { makeIngestReceipts } from "./jobs/ingest-receipts";
import { makeIngestReportingFlows } from "./jobs/ingest-reporting-flows";
import { makeExpireDebtPositions, makeValidateDebtPositions } from "./jobs/status-jobs";
import { makeGetOpenApi } from "./openapi/get-openapi";
import { makeUpdateNotificationFee, notificationFeeRoute } from "./payment-options/update-notification-fee";
import { route as receiptRoute } from "./receipts/deps";
import { makeGetReceipt } from "./receipts/get-receipt";
import { makeListReceipts } from "./receipts/list-receipts";
import { route as reportingRoute } from "./reporting/deps";
import { makeGetFlow } from "./reporting/get-flow";
import { makeListFlows } from "./reporting/list-flows";
import { queues } from "../shared/storage/definition";

export function registerFunctions(deps: Dependencies): void {
  const { http } = deps;
  const info = { name: deps.config.app.name, version: deps.config.app.version };

  const positions = { http, service: deps.debtPositionService };

  app.http("getInfo", {
    route: "info",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetInfo({ http, app: info }),
  });
  app.http("getOpenApi", {
    route: "openapi.json",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetOpenApi({ http }),
  });

  // Debt positions (openapi/debt-positions.json)
  app.http("createDebtPosition", {
    route: route.collection,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makeCreateDebtPosition(positions),
  });
  app.http("createDebtPositionsBulk", {
    route: route.bulk,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makeCreateDebtPositionsBulk(positions),
  });
  app.http("listDebtPositions", {
    route: route.collection,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeListDebtPositions(positions),
  });
  app.http("getDebtPosition", {
    route: route.item,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetDebtPosition(positions),
  });
  app.http("updateDebtPosition", {
    route: route.item,
    methods: ["PUT"],
    authLevel: "anonymous",
    handler: makeUpdateDebtPosition(positions),
  });
  app.http("deleteDebtPosition", {
    route: route.item,
    methods: ["DELETE"],
    authLevel: "anonymous",
    handler: makeDeleteDebtPosition(positions),
  });
  app.http("publishDebtPosition", {
    route: route.publish,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makePublishDebtPosition(positions),
  });
  app.http("invalidateDebtPosition", {
    route: route.invalidate,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makeInvalidateDebtPosition(positions),
  });

  // Massive upload (openapi/debt-positions.json): the file, its status and report, and the chunk worker.
  const uploads = { http, uploads: deps.uploadService, maxZipBytes: deps.config.upload.maxZipBytes };
  app.http("createDebtPositionsByFileUpload", {
    route: uploadRoute.file,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makeUploadDebtPositionsFile(uploads, "CREATE"),
  });
  app.http("updateDebtPositionsByFileUpload", {
    route: uploadRoute.file,
    methods: ["PUT"],
    authLevel: "anonymous",
    handler: makeUploadDebtPositionsFile(uploads, "UPDATE"),
  });
  app.http("deleteDebtPositionsByFileUpload", {
    route: uploadRoute.file,
    methods: ["DELETE"],
    authLevel: "anonymous",
    handler: makeUploadDebtPositionsFile(uploads, "DELETE"),
  });
  app.http("getDebtPositionsUploadStatus", {
    route: uploadRoute.status,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetUploadStatus(uploads),
  });
  app.http("getDebtPositionsUploadReport", {
    route: uploadRoute.report,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetUploadReport(uploads),
  });
  app.http("getDebtPositionsUploads", {
    route: uploadRoute.files,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeListUploads(uploads),
  });
  app.storageQueue("processUploadChunk", {
    queueName: "upload-chunks",
    connection: "STORAGE_CONNECTION_STRING",
    handler: makeProcessUploadChunk(deps.uploadService),
  });

  // Jobs: schedules are app settings (%NAME% is resolved by the host), runnable now via POST /admin/functions/{name}.
  const statusJobs = { repository: deps.debtPositions, clock: deps.clock, batchSize: deps.config.jobs.batchSize };
  app.timer("validateDebtPositions", {
    schedule: "%VALIDATE_DEBT_POSITIONS_SCHEDULE%",
    handler: makeValidateDebtPositions(statusJobs),
  });
  app.timer("expireDebtPositions", {
    schedule: "%EXPIRE_DEBT_POSITIONS_SCHEDULE%",
    handler: makeExpireDebtPositions(statusJobs),
  });

  // Receipts and the notification fee (openapi/receipts.json), and the receipts' ingestion job
  const receipts = { http, service: deps.receiptService };
  app.http("getOrganizationReceipts", {
    route: receiptRoute.collection,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeListReceipts(receipts),
  });
  app.http("getReceiptByIUV", {
    route: receiptRoute.item,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetReceipt(receipts),
  });
  app.http("updateNotificationFee", {
    route: notificationFeeRoute,
    methods: ["PUT"],
    authLevel: "anonymous",
    handler: makeUpdateNotificationFee({ http, service: deps.notificationFeeService }),
  });
  const ingestion = {
    inbox: deps.receiptInbox,
    positions: deps.debtPositions,
    receipts: deps.receipts,
    store: deps.receiptStore,
    clock: deps.clock,
  };
  app.timer("ingestReceipts", { schedule: "%INGEST_RECEIPTS_SCHEDULE%", handler: makeIngestReceipts(ingestion) });

  // Reporting flows (openapi/reporting.json) and their ingestion job
  const reporting = { http, flows: deps.flowService };
  app.http("getFlowList", {
    route: reportingRoute.list,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeListFlows(reporting),
  });
  app.http("getFlow", {
    route: reportingRoute.item,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetFlow(reporting),
  });
  const flowIngestion = {
    inbox: deps.flowInbox,
    positions: deps.debtPositions,
    flows: deps.flowStore,
    clock: deps.clock,
  };
  app.timer("ingestReportingFlows", {
    schedule: "%INGEST_REPORTING_FLOWS_SCHEDULE%",
    handler: makeIngestReportingFlows(flowIngestion),
  });

  // Events and webhooks (openapi/events.json): the API, the dispatcher (outbox → feed → queue) and the delivery
  // function the queue feeds (docs/adr/0040, 0042).
  const events = { http, service: deps.webhookService };
  app.http("createWebhook", {
    route: eventsRoute.webhooks,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makeCreateWebhook(events),
  });
  app.http("listWebhooks", {
    route: eventsRoute.webhooks,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeListWebhooks(events),
  });
  app.http("getWebhook", {
    route: eventsRoute.webhook,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetWebhook(events),
  });
  app.http("deleteWebhook", {
    route: eventsRoute.webhook,
    methods: ["DELETE"],
    authLevel: "anonymous",
    handler: makeDeleteWebhook(events),
  });
  app.http("pingWebhook", {
    route: eventsRoute.ping,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makePingWebhook(events),
  });
  app.http("listWebhookDeliveries", {
    route: eventsRoute.deliveries,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeListDeliveries(events),
  });
  app.http("replayWebhook", {
    route: eventsRoute.replay,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makeReplayWebhook(events),
  });
  app.http("listEvents", {
    route: eventsRoute.events,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeListEvents(events),
  });
  app.timer("dispatchEvents", {
    schedule: "%EVENTS_DISPATCH_SCHEDULE%",
    handler: makeDispatchEvents({
      events: deps.events,
      webhooks: deps.webhooks,
      queue: deps.deliveryQueue,
      clock: deps.clock,
    }),
  });
  app.storageQueue("deliverWebhookEvents", {
    queueName: queues["webhook-deliveries"],
    // The data storage account: a connection string locally, STORAGE_CONNECTION_STRING__queueServiceUri (managed
    // identity) in Azure (infra/modules/functionapp.bicep).
    connection: "STORAGE_CONNECTION_STRING",
    handler: makeDeliverWebhookEvents({
      events: deps.events,
      webhooks: deps.webhooks,
      queue: deps.deliveryQueue,
      sender: deps.webhookSender,
      clock: deps.clock,
      random: Math.random,
      retrySchedule: deps.config.events.retrySchedule,
    }),
  });
}

const config = loadConfig(process.env);
configureLogging(config.logLevel);
registerFunctions(buildDependencies(config));
