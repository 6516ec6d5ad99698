// Builds every adapter once per instance from config: one CosmosClient, one Blob service client, the repositories
// and services the handlers receive. Handlers never construct SDK clients.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { CosmosClient } from "@azure/cosmos";
import type { BlobServiceClient } from "@azure/storage-blob";
import type { PluginConfig } from "@azure/cosmos";
import { randomUUID } from "node:crypto";
import {
  createBlobServiceClient,
  createCosmosClient,
  createQueueServiceClient,
} from "../shared/adapters/azure-clients";
import { BlobNoticeJobStore } from "../shared/adapters/blob/blob-notice-job-store";
import { BlobUploadStore } from "../shared/adapters/blob/blob-upload-store";
import { CosmosUploadRepository } from "../shared/adapters/cosmos/cosmos-upload-repository";
import { StorageQueue } from "../shared/adapters/queue/storage-queue";
import { UploadService } from "../shared/application/upload-service";
import type { UploadChunkMessage } from "../shared/domain/uploads/ports";
import { BlobFlowStore } from "../shared/adapters/blob/blob-flow-store";
import { BlobInbox } from "../shared/adapters/blob/blob-inbox";
import { BlobReceiptStore } from "../shared/adapters/blob/blob-receipt-store";
import { CosmosPositionLookup } from "../shared/adapters/cosmos/cosmos-position-lookup";
import { CosmosReportingIndex } from "../shared/adapters/cosmos/cosmos-reporting-index";
import { Fdr3HttpClient } from "../shared/adapters/http/fdr3-client";
import { ReconciliationService } from "../shared/application/reconciliation";
import type { Fdr3Api, FiledFlows, PositionLookup, ReportingIndex } from "../shared/domain/reporting/ports";
import { CosmosDebtPositionRepository } from "../shared/adapters/cosmos/cosmos-debt-position-repository";
import { CosmosEventLog } from "../shared/adapters/cosmos/cosmos-event-log";
import { CosmosWebhookRepository } from "../shared/adapters/cosmos/cosmos-webhook-repository";
import { HttpWebhookSender } from "../shared/adapters/http/webhook-sender";
import { CosmosOrganizationRepository } from "../shared/adapters/cosmos/cosmos-organization-repository";
import { CosmosReceiptRepository } from "../shared/adapters/cosmos/cosmos-receipt-repository";
import { CosmosSubscriptionRepository } from "../shared/adapters/cosmos/cosmos-subscription-repository";
import { openNoticeArchive } from "../shared/adapters/pdf/notice-archive";
import { renderNoticePdf } from "../shared/adapters/pdf/notice-pdf";
import { noticeJobQueue } from "../shared/adapters/queue/storage-queue-notice-jobs";
import { Authenticator } from "../shared/application/authenticator";
import { CachedOrganizationRepository } from "../shared/application/cached-organizations";
import { DebtPositionService } from "../shared/application/debt-position-service";
import { FlowService } from "../shared/application/flow-service";
import type { Inbox } from "../shared/application/inbox";
import { NoticeService } from "../shared/application/notice-service";
import { NotificationFeeService } from "../shared/application/notification-fee";
import { PaForNodeService } from "../shared/application/pa-for-node";
import { PaymentOptionService } from "../shared/application/payment-option-service";
import { ReceiptService } from "../shared/application/receipt-service";
import { WebhookService } from "../shared/application/webhook-service";
import type { Config } from "../shared/config/config";
import type { DebtPositionRepository } from "../shared/domain/debt-positions/ports";
import type {
  DeliveryQueue,
  DeliveryWork,
  EventLog,
  WebhookRepository,
  WebhookSender,
} from "../shared/domain/events/ports";
import type { NoticeJobMessage } from "../shared/domain/notices/notice-job";
import { parseTaxonomyCatalogue } from "../shared/domain/debt-positions/taxonomy";
import type { OrganizationRepository } from "../shared/domain/organizations/organization";
import type { ReceiptRepository, ReceiptStore } from "../shared/domain/receipts/ports";
import type { SubscriptionRepository } from "../shared/domain/subscriptions/ports";
import type { HttpDeps } from "../shared/http/endpoint";
import { loadPaForNodeContract, type PaForNodeContract } from "../shared/soap/pa-for-node-contract";
import { blobContainers, containers, queues } from "../shared/storage/definition";

export interface Dependencies {
  config: Config;
  clock: () => Date;
  cosmos: CosmosClient;
  blobService: BlobServiceClient;
  subscriptions: SubscriptionRepository;
  organizations: OrganizationRepository;
  debtPositions: DebtPositionRepository;
  debtPositionService: DebtPositionService;
  http: HttpDeps;
  // Receipts: the index (Cosmos), the XML (Blob), the inbox, and the API use cases.
  receipts: ReceiptRepository;
  receiptStore: ReceiptStore;
  receiptInbox: Inbox;
  receiptService: ReceiptService;
  notificationFeeService: NotificationFeeService;
  // Lookups by NAV/IUV, verify, pay, report and the IBAN change (shared/application/payment-option-service.ts).
  paymentOptionService: PaymentOptionService;
  // Reporting flows: the filed flows and their results (Blob), the inbox, and the API use cases.
  flowStore: FiledFlows;
  flowInbox: Inbox;
  flowService: FlowService;
  // Events: the outbox feed (Cosmos), webhooks and deliveries (Cosmos), the delivery queue, the HTTP sender.
  events: EventLog;
  webhooks: WebhookRepository;
  deliveryQueue: DeliveryQueue;
  webhookSender: WebhookSender;
  webhookService: WebhookService;
  // Massive upload: records (Cosmos), chunks and reports (Blob), the chunk queue, and the use case.
  uploadService: UploadService;
  // The payment node's SOAP service (paForNode) and its published contract.
  paForNodeService: PaForNodeService;
  paForNodeContract: PaForNodeContract;
  // Release 2 reporting: batched IUV lookups, the reporting index (flows of both sources, credits, FdR-3 cursor),
  // the FdR-3 client (undefined without FDR3_BASE_URL), the statements inbox and the reconciliation use cases.
  positionLookup: PositionLookup;
  reportingIndex: ReportingIndex;
  fdr3: Fdr3Api | undefined;
  statementInbox: Inbox;
  reconciliationService: ReconciliationService;
  // Payment notices: single PDFs and background batches (job documents and archives in Blob, a queue to wake the worker).
  noticeService: NoticeService;
}

export interface DependencyOptions {
  /** Per-request hooks on the Cosmos client (the bench counts round trips with one). */
  cosmosPlugins?: readonly PluginConfig[];
}

export function buildDependencies(config: Config, options: DependencyOptions = {}): Dependencies {
  const clock = () => new Date();
  const cosmos = createCosmosClient(config, { plugins: options.cosmosPlugins });
  const database = cosmos.database(config.cosmos.database);
  const subscriptions = new CosmosSubscriptionRepository(database.container(containers.subscriptions));
  const organizations = new CachedOrganizationRepository(
    new CosmosOrganizationRepository(database.container(containers.organizations)),
    { ttlSeconds: config.auth.cacheTtlSeconds },
  );
  const debtPositions = new CosmosDebtPositionRepository(database.container(containers.debtpositions));
  const debtPositionService = new DebtPositionService({
    repository: debtPositions,
    organizations,
    taxonomy: loadTaxonomy(config.taxonomy.cataloguePath, clock()),
  });
  const authenticator = new Authenticator(subscriptions, { ttlSeconds: config.auth.cacheTtlSeconds });
  const blobService = createBlobServiceClient(config);
  // One container client per Blob container, from the one storage definition.
  const receipts = new CosmosReceiptRepository(database.container(containers.receipts));
  const receiptStore = new BlobReceiptStore(blobService.getContainerClient(blobContainers.receipts));
  const receiptInbox = new BlobInbox(
    blobService.getContainerClient(blobContainers["receipts-inbox"]),
    blobService.getContainerClient(blobContainers["receipts-rejected"]),
    clock,
  );
  const flowStore = new BlobFlowStore(blobService.getContainerClient(blobContainers.flows));
  const flowInbox = new BlobInbox(
    blobService.getContainerClient(blobContainers["flows-inbox"]),
    blobService.getContainerClient(blobContainers["flows-rejected"]),
    clock,
  );
  const paForNodeService = new PaForNodeService({
    organizations,
    positions: debtPositions,
    receipts: { positions: debtPositions, receipts, store: receiptStore, clock },
    parking: receiptInbox,
    clock,
  });
  const positionLookup = new CosmosPositionLookup(database.container(containers.debtpositions));
  const reportingIndex = new CosmosReportingIndex(
    database.container(containers.reporting),
    database.container(containers.organizations),
  );
  const statementInbox = new BlobInbox(
    blobService.getContainerClient(blobContainers["statements-inbox"]),
    blobService.getContainerClient(blobContainers["statements-rejected"]),
    clock,
  );
  const fdr3 =
    config.fdr3.baseUrl === undefined
      ? undefined
      : new Fdr3HttpClient({ baseUrl: config.fdr3.baseUrl, subscriptionKey: config.fdr3.subscriptionKey });
  const reconciliationService = new ReconciliationService({
    index: reportingIndex,
    flows: flowStore,
    positions: debtPositions,
    lookup: positionLookup,
    graceBusinessDays: config.reconciliation.graceBusinessDays,
  });
  const noticeService = new NoticeService({
    positions: debtPositionService,
    repository: debtPositions,
    organizations,
    renderPdf: renderNoticePdf,
    openArchive: openNoticeArchive,
    jobs: new BlobNoticeJobStore(blobService, blobService.getContainerClient(blobContainers.notices)),
    queue: new StorageQueue<NoticeJobMessage>(createQueueServiceClient(config).getQueueClient(noticeJobQueue.name)),
    newJobId: randomUUID,
    clock,
    maxPositions: config.notices.maxPositions,
    linkMinutes: config.notices.linkMinutes,
  });
  const events = new CosmosEventLog(database.container(containers.debtpositions));
  const webhooks = new CosmosWebhookRepository(database.container(containers.webhooks));
  const deliveryQueue = new StorageQueue<DeliveryWork>(
    createQueueServiceClient(config).getQueueClient(queues["webhook-deliveries"]),
  );
  const webhookSender = new HttpWebhookSender({
    allowLocalhost: config.events.allowLocalhost,
    // A 2xx within 10 s counts as delivered (docs/adr/0042).
    timeoutMs: 10_000,
    userAgent: `${config.app.name}/${config.app.version} (webhooks)`,
  });
  return {
    config,
    clock,
    cosmos,
    blobService,
    subscriptions,
    organizations,
    debtPositions,
    debtPositionService,
    http: {
      authenticator,
      environment: config.environment,
      clock,
      maxBodyBytes: config.http.maxBodyBytes,
      deadlineMs: config.http.deadlineMs,
    },
    receipts,
    receiptStore,
    receiptInbox,
    receiptService: new ReceiptService({ receipts, store: receiptStore }),
    notificationFeeService: new NotificationFeeService({ positions: debtPositions }),
    paymentOptionService: new PaymentOptionService({ positions: debtPositions, organizations }),
    flowStore,
    flowInbox,
    flowService: new FlowService(flowStore),
    uploadService: new UploadService({
      uploads: new CosmosUploadRepository(database.container(containers.debtpositions)),
      store: new BlobUploadStore(blobService.getContainerClient(blobContainers.uploads)),
      queue: new StorageQueue<UploadChunkMessage>(
        createQueueServiceClient(config).getQueueClient(queues["upload-chunks"]),
      ),
      organizations,
      positions: debtPositionService,
      clock,
      newId: () => randomUUID().replaceAll("-", ""),
    }),
    paForNodeService,
    // The build copies openapi/soap next to the compiled code (dist/openapi/soap); under jest this is the source tree.
    paForNodeContract: loadPaForNodeContract(path.join(__dirname, "..", "openapi", "soap")),
    positionLookup,
    reportingIndex,
    fdr3,
    statementInbox,
    reconciliationService,
    noticeService,
    events,
    webhooks,
    deliveryQueue,
    webhookSender,
    webhookService: new WebhookService({
      events,
      webhooks,
      queue: deliveryQueue,
      sender: webhookSender,
      urlPolicy: { allowLocalhost: config.events.allowLocalhost },
    }),
  };
}

/** A configured catalogue that cannot be read or parsed stops the app at start-up rather than rejecting payments. */
function loadTaxonomy(path: string | undefined, now: Date): ReadonlySet<string> | undefined {
  if (path === undefined) return undefined;
  try {
    return parseTaxonomyCatalogue(JSON.parse(readFileSync(path, "utf8")) as unknown, now);
  } catch (e) {
    throw new Error(`TAXONOMY_CATALOGUE_PATH: cannot load ${path}: ${(e as Error).message}`, { cause: e });
  }
}
