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
import { makeGetHealth, storeChecks } from "./health/get-health";
import { makeCreateMultiplePositionsV2 } from "./debt-positions/create-debt-positions-v2";
import { makeDeleteMultipleDebtPositionsV2 } from "./debt-positions/delete-debt-positions-v2";
import { makeUpdateMultiplePositionsV2 } from "./debt-positions/update-debt-positions-v2";
import { paymentOptionRoute } from "./payment-options/deps";
import { makeGetDebtPositionByIuv } from "./payment-options/get-debt-position-by-iuv";
import { makeGetPaymentOptionByNav } from "./payment-options/get-payment-option-by-nav";
import { makePayPaymentOption } from "./payment-options/pay-payment-option";
import { makeReportTransfer } from "./payment-options/report-transfer";
import { makeSetPaymentOptionAsAlreadyPaid } from "./payment-options/set-payment-option-as-already-paid";
import { makeUpdateTransferIbanMassive } from "./payment-options/update-transfer-iban-massive";
import { makeVerifyPaymentOptions } from "./payment-options/verify-payment-options";
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
import { makeRecoverBulkCreates } from "./jobs/recover-bulk-creates";
import { makeGetPaForNodeContract } from "./node/get-pa-for-node-contract";
import { makePaForNode } from "./node/pa-for-node";
import { makeCreateNoticeJob } from "./notices/create-notice-job";
import { route as noticeRoute } from "./notices/deps";
import { makeGetNotice } from "./notices/get-notice";
import { makeGetNoticeJob } from "./notices/get-notice-job";
import { makeRenderNoticeJob } from "./notices/render-notice-job";
import { makeGetOpenApi } from "./openapi/get-openapi";
import { makeUpdateNotificationFee, notificationFeeRoute } from "./payment-options/update-notification-fee";
import { route as receiptRoute } from "./receipts/deps";
import { makeGetReceipt } from "./receipts/get-receipt";
import { makeListReceipts } from "./receipts/list-receipts";
import { route as reportingRoute } from "./reporting/deps";
import { makeGetFlow } from "./reporting/get-flow";
import { makeListFlows } from "./reporting/list-flows";
import { makeIngestFdr3Flows } from "./jobs/ingest-fdr3-flows";
import { makeIngestStatements } from "./jobs/ingest-statements";
import { makeFinishStalledUploads } from "./jobs/finish-stalled-uploads";
import { route as reconciliationRoute } from "./reconciliation/deps";
import { makeGetFlowResult } from "./reconciliation/get-flow-result";
import { makeListReconciliations } from "./reconciliation/list-reconciliations";
import { makePostStatement } from "./reconciliation/post-statement";
import { noticeJobQueue } from "../shared/adapters/queue/storage-queue-notice-jobs";
import { queueMaxDequeueCount, queues } from "../shared/storage/definition";

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
    handler: makeGetOpenApi({ http, withoutKey: deps.config.http.publicApiDocs }),
  });
  // Liveness for probes and people: no key, no data (functions/health/get-health.ts); not part of the OpenAPI API.
  app.http("getHealth", {
    route: "health",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetHealth({ checks: storeChecks(deps) }),
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
    handler: makeProcessUploadChunk(deps.uploadService, queueMaxDequeueCount),
  });

  // v2 bulk operations (openapi/debt-positions.json, paths under /v2)
  app.http("createMultiplePositionsV2", {
    route: route.v2Collection,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makeCreateMultiplePositionsV2(positions),
  });
  app.http("updateMultiplePositionsV2", {
    route: route.v2Collection,
    methods: ["PUT"],
    authLevel: "anonymous",
    handler: makeUpdateMultiplePositionsV2(positions),
  });
  app.http("deleteMultipleDebtPositionsV2", {
    route: route.v2Collection,
    methods: ["DELETE"],
    authLevel: "anonymous",
    handler: makeDeleteMultipleDebtPositionsV2(positions),
  });

  // Payment options: lookups, verify, paid outside pagoPA, the IBAN change; pay and report under product internal
  const paymentOptions = { http, service: deps.paymentOptionService };
  app.http("updateTransferIbanMassive", {
    route: paymentOptionRoute.ibans,
    methods: ["PATCH"],
    authLevel: "anonymous",
    handler: makeUpdateTransferIbanMassive(paymentOptions),
  });
  app.http("setPaymentOptionAsAlreadyPaid", {
    route: paymentOptionRoute.paid,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makeSetPaymentOptionAsAlreadyPaid(paymentOptions),
  });
  app.http("getOrganizationPaymentOptionByNAV", {
    route: paymentOptionRoute.byNav,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetPaymentOptionByNav(paymentOptions),
  });
  app.http("getDebtPositionByIUV", {
    route: paymentOptionRoute.positionByIuv,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetDebtPositionByIuv(paymentOptions),
  });
  app.http("verifyPaymentOptions", {
    route: paymentOptionRoute.verify,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makeVerifyPaymentOptions(paymentOptions),
  });
  app.http("payPaymentOption", {
    route: paymentOptionRoute.pay,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makePayPaymentOption(paymentOptions),
  });
  app.http("reportTransfer", {
    route: paymentOptionRoute.report,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makeReportTransfer(paymentOptions),
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
  app.timer("recoverBulkCreates", {
    schedule: "%RECOVER_BULK_CREATES_SCHEDULE%",
    handler: makeRecoverBulkCreates({
      service: deps.debtPositionService,
      clock: deps.clock,
      staleAfterSeconds: deps.config.jobs.bulkStaleAfterSeconds,
    }),
  });

  app.timer("finishStalledUploads", {
    schedule: "%FINISH_STALLED_UPLOADS_SCHEDULE%",
    handler: makeFinishStalledUploads({ uploads: deps.uploadService, clock: deps.clock }),
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

  // The payment node's SOAP service (openapi/soap/paForNode.wsdl) and its contract documents
  app.http("paForNode", {
    route: "paForNode",
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makePaForNode({ http, service: deps.paForNodeService }),
  });
  app.http("getPaForNodeContract", {
    route: "paForNode",
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetPaForNodeContract({ contract: deps.paForNodeContract }),
  });

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
    lookup: deps.positionLookup,
    index: deps.reportingIndex,
    flows: deps.flowStore,
    clock: deps.clock,
  };
  app.timer("ingestReportingFlows", {
    schedule: "%INGEST_REPORTING_FLOWS_SCHEDULE%",
    handler: makeIngestReportingFlows(flowIngestion),
  });

  // FdR-3 flows, bank statements and treasury reconciliation (openapi/reconciliation.json)
  app.timer("ingestFdr3Flows", {
    schedule: "%INGEST_FDR3_SCHEDULE%",
    handler: makeIngestFdr3Flows({ ...flowIngestion, api: deps.fdr3 }),
  });
  app.timer("ingestStatements", {
    schedule: "%INGEST_STATEMENTS_SCHEDULE%",
    handler: makeIngestStatements({ ...flowIngestion, inbox: deps.statementInbox }),
  });
  const reconciliation = {
    http,
    service: deps.reconciliationService,
    statements: flowIngestion,
  };
  app.http("getFlowResult", {
    route: reconciliationRoute.result,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetFlowResult(reconciliation),
  });
  app.http("postStatement", {
    route: reconciliationRoute.statements,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makePostStatement(reconciliation),
  });
  app.http("listReconciliations", {
    route: reconciliationRoute.reconciliations,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeListReconciliations(reconciliation),
  });

  // Payment notices (openapi/notices.json) and the worker that renders batches
  const notices = { http, notices: deps.noticeService };
  app.http("getPaymentNotice", {
    route: noticeRoute.notice,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetNotice(notices),
  });
  app.http("createNoticeJob", {
    route: noticeRoute.jobs,
    methods: ["POST"],
    authLevel: "anonymous",
    handler: makeCreateNoticeJob(notices),
  });
  app.http("getNoticeJob", {
    route: noticeRoute.job,
    methods: ["GET"],
    authLevel: "anonymous",
    handler: makeGetNoticeJob(notices),
  });
  app.storageQueue("renderNoticeJob", {
    queueName: noticeJobQueue.name,
    connection: noticeJobQueue.connection,
    handler: makeRenderNoticeJob({ notices: deps.noticeService, maxDequeueCount: queueMaxDequeueCount }),
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
configureLogging(config.logLevel, config.logFormat);
registerFunctions(buildDependencies(config));
