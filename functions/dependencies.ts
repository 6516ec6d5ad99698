// Builds every adapter once per instance from config: one CosmosClient, one Blob service client, the repositories
// and services the handlers receive. Handlers never construct SDK clients.
import { readFileSync } from "node:fs";
import type { CosmosClient } from "@azure/cosmos";
import type { BlobServiceClient } from "@azure/storage-blob";
import { createBlobServiceClient, createCosmosClient, type RoundTripCounter } from "../shared/adapters/azure-clients";
import { BlobFlowStore } from "../shared/adapters/blob/blob-flow-store";
import { BlobInbox } from "../shared/adapters/blob/blob-inbox";
import { BlobReceiptStore } from "../shared/adapters/blob/blob-receipt-store";
import { CosmosPositionLookup } from "../shared/adapters/cosmos/cosmos-position-lookup";
import { CosmosReportingIndex } from "../shared/adapters/cosmos/cosmos-reporting-index";
import { Fdr3HttpClient } from "../shared/adapters/http/fdr3-client";
import { ReconciliationService } from "../shared/application/reconciliation";
import type { Fdr3Api, FiledFlows, PositionLookup, ReportingIndex } from "../shared/domain/reporting/ports";
import { CosmosDebtPositionRepository } from "../shared/adapters/cosmos/cosmos-debt-position-repository";
import { CosmosOrganizationRepository } from "../shared/adapters/cosmos/cosmos-organization-repository";
import { CosmosReceiptRepository } from "../shared/adapters/cosmos/cosmos-receipt-repository";
import { CosmosSubscriptionRepository } from "../shared/adapters/cosmos/cosmos-subscription-repository";
import { Authenticator } from "../shared/application/authenticator";
import { CachedOrganizationRepository } from "../shared/application/cached-organizations";
import { DebtPositionService } from "../shared/application/debt-position-service";
import { FlowService } from "../shared/application/flow-service";
import type { Inbox } from "../shared/application/inbox";
import { NotificationFeeService } from "../shared/application/notification-fee";
import { ReceiptService } from "../shared/application/receipt-service";
import type { Config } from "../shared/config/config";
import type { DebtPositionRepository } from "../shared/domain/debt-positions/ports";
import { parseTaxonomyCatalogue } from "../shared/domain/debt-positions/taxonomy";
import type { OrganizationRepository } from "../shared/domain/organizations/organization";
import type { ReceiptRepository, ReceiptStore } from "../shared/domain/receipts/ports";
import type { SubscriptionRepository } from "../shared/domain/subscriptions/ports";
import type { HttpDeps } from "../shared/http/endpoint";
import { blobContainers, containers } from "../shared/storage/definition";

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
  // Reporting flows: the filed flows and their results (Blob), the inbox, and the API use cases.
  flowStore: FiledFlows;
  flowInbox: Inbox;
  flowService: FlowService;
  // Release 2 reporting: batched IUV lookups, the reporting index (flows of both sources, credits, FdR-3 cursor),
  // the FdR-3 client (undefined without FDR3_BASE_URL), the statements inbox and the reconciliation use cases.
  positionLookup: PositionLookup;
  reportingIndex: ReportingIndex;
  fdr3: Fdr3Api | undefined;
  statementInbox: Inbox;
  reconciliationService: ReconciliationService;
}

export interface DependencyOptions {
  clock?: () => Date;
  roundTrips?: RoundTripCounter;
}

export function buildDependencies(config: Config, options: DependencyOptions = {}): Dependencies {
  const clock = options.clock ?? (() => new Date());
  const cosmos = createCosmosClient(config, { roundTrips: options.roundTrips });
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
  return {
    config,
    clock,
    cosmos,
    blobService,
    subscriptions,
    organizations,
    debtPositions,
    debtPositionService,
    http: { authenticator, environment: config.environment, clock, maxBodyBytes: config.http.maxBodyBytes },
    receipts,
    receiptStore,
    receiptInbox,
    receiptService: new ReceiptService({ receipts, store: receiptStore }),
    notificationFeeService: new NotificationFeeService({ positions: debtPositions }),
    flowStore,
    flowInbox,
    flowService: new FlowService(flowStore),
    positionLookup,
    reportingIndex,
    fdr3,
    statementInbox,
    reconciliationService,
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
