// The GPD Function App on a Flex Consumption plan (Linux, Node 22; why this plan: docs/adr/0004-hosting-plan.md,
// why Node 22: docs/adr/0030-deployment-checked-by-the-bicep-compiler.md).
// App settings: every name the config schema reads (shared/config/config.ts `settingNames`), except the two that
// exist only for key-based local emulators (COSMOS_KEY, STORAGE_CONNECTION_STRING): here the app uses its
// system-assigned identity for Cosmos, Blob and its own runtime storage. `npm run check:infra` enforces this.
// Flex Consumption takes the runtime from functionAppConfig and refuses FUNCTIONS_WORKER_RUNTIME and
// FUNCTIONS_EXTENSION_VERSION as app settings (the host is always v4), and refuses siteConfig properties of the
// other plans, ftpsState among them (list in docs/deploy.md, "Sources").
// Every other resource is named by main.bicep and looked up here with `existing`, so what-if can resolve them.
param location string
param tags object
param planName string
param functionAppName string

@allowed([
  'UAT'
  'PROD'
])
param environmentName string
param runtimeStorageAccountName string
param deploymentContainerName string
param dataStorageAccountName string
param cosmosAccountName string
param cosmosDatabaseName string
param appInsightsName string
param workspaceName string

@description('API Management in front of the app; its addresses are the only ones allowed when restrictToApim.')
param apimServiceName string
param restrictToApim bool
param maximumInstanceCount int
param instanceMemoryMB int
param alwaysReadyHttpInstances int
param subscriptionCacheTtlSeconds int
param taxonomyCataloguePath string
param maxBodyBytes int
param validateDebtPositionsSchedule string
param expireDebtPositionsSchedule string
param ingestReceiptsSchedule string
param ingestReportingFlowsSchedule string
param jobBatchSize int
@description('FdR-3 organizations API (pagoPA reporting); empty disables ingestFdr3Flows.')
param fdr3BaseUrl string = 'https://api.platform.pagopa.it/fdr-org/service/v1'
@description('Subscription key for FdR-3 (sent as Ocp-Apim-Subscription-Key); pass a Key Vault reference.')
@secure()
param fdr3SubscriptionKey string = ''
param ingestFdr3Schedule string = '0 */15 * * * *'
param ingestStatementsSchedule string = '0 */15 * * * *'
param reconciliationGraceBusinessDays int = 2
param logLevel string
@description('NCRONTAB of dispatchEvents (outbox → feed → webhook deliveries).')
param eventsDispatchSchedule string = '*/5 * * * * *'
@description('Pauses between webhook delivery attempts before a dead letter.')
param webhookRetrySchedule string = '5s,30s,2m,10m,1h,3h,6h,12h,24h'

resource runtimeAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: runtimeStorageAccountName
}

resource dataAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: dataStorageAccountName
}

resource cosmosAccount 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: cosmosAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource apimService 'Microsoft.ApiManagement/service@2024-05-01' existing = {
  name: apimServiceName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

var allowedIpAddresses = restrictToApim ? apimService.properties.publicIPAddresses : []

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${runtimeAccount.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        alwaysReady: alwaysReadyHttpInstances > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyHttpInstances
              }
            ]
          : []
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
      ipSecurityRestrictions: map(allowedIpAddresses, (ip, i) => {
        name: 'apim-${i}'
        action: 'Allow'
        priority: 100 + i
        ipAddress: '${ip}/32'
      })
      ipSecurityRestrictionsDefaultAction: restrictToApim ? 'Deny' : 'Allow'
      // Deployments go to the scm site from the operator's machine or CI, not through API Management.
      scmIpSecurityRestrictionsUseMain: false
      appSettings: [
        // Functions runtime storage through the identity (no connection string).
        {
          name: 'AzureWebJobsStorage__accountName'
          value: runtimeAccount.name
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'Authorization=AAD'
        }
        // The config schema (shared/config/config.ts).
        {
          name: 'GPD_ENVIRONMENT'
          value: environmentName
        }
        {
          name: 'COSMOS_ENDPOINT'
          value: cosmosAccount.properties.documentEndpoint
        }
        {
          name: 'COSMOS_DATABASE'
          value: cosmosDatabaseName
        }
        {
          name: 'STORAGE_BLOB_URL'
          value: dataAccount.properties.primaryEndpoints.blob
        }
        {
          name: 'SUBSCRIPTION_CACHE_TTL_SECONDS'
          value: string(subscriptionCacheTtlSeconds)
        }
        {
          name: 'TAXONOMY_CATALOGUE_PATH'
          value: taxonomyCataloguePath
        }
        {
          name: 'MAX_BODY_BYTES'
          value: string(maxBodyBytes)
        }
        {
          name: 'UPLOAD_MAX_ZIP_BYTES'
          value: '52428800'
        }
        {
          // The upload chunk queue's trigger (connection STORAGE_CONNECTION_STRING) with the app's identity.
          name: 'STORAGE_CONNECTION_STRING__queueServiceUri'
          value: dataAccount.properties.primaryEndpoints.queue
        }
        {
          name: 'VALIDATE_DEBT_POSITIONS_SCHEDULE'
          value: validateDebtPositionsSchedule
        }
        {
          name: 'EXPIRE_DEBT_POSITIONS_SCHEDULE'
          value: expireDebtPositionsSchedule
        }
        {
          name: 'INGEST_RECEIPTS_SCHEDULE'
          value: ingestReceiptsSchedule
        }
        {
          name: 'INGEST_REPORTING_FLOWS_SCHEDULE'
          value: ingestReportingFlowsSchedule
        }
        {
          name: 'JOB_BATCH_SIZE'
          value: string(jobBatchSize)
        }
        // Payment notices: batch size limit and download-link lifetime (queue notice-jobs: the connection above).
        {
          name: 'NOTICE_BATCH_MAX_POSITIONS'
          value: '10000'
        }
        {
          name: 'NOTICE_LINK_MINUTES'
          value: '60'
        }
        {
          name: 'RECOVER_BULK_CREATES_SCHEDULE'
          value: '0 */5 * * * *'
        }
        {
          name: 'BULK_STALE_AFTER_SECONDS'
          value: '300'
        }
        {
          name: 'FINISH_STALLED_UPLOADS_SCHEDULE'
          value: '0 7 * * * *'
        }
        {
          name: 'COSMOS_REQUEST_TIMEOUT_MS'
          value: '4000'
        }
        {
          name: 'HTTP_REQUEST_DEADLINE_MS'
          value: '10000'
        }
        {
          name: 'FDR3_BASE_URL'
          value: fdr3BaseUrl
        }
        {
          name: 'FDR3_SUBSCRIPTION_KEY'
          value: fdr3SubscriptionKey
        }
        {
          name: 'INGEST_FDR3_SCHEDULE'
          value: ingestFdr3Schedule
        }
        {
          name: 'INGEST_STATEMENTS_SCHEDULE'
          value: ingestStatementsSchedule
        }
        {
          name: 'RECONCILIATION_GRACE_BUSINESS_DAYS'
          value: string(reconciliationGraceBusinessDays)
        }
        {
          name: 'LOG_LEVEL'
          value: logLevel
        }
        {
          // One JSON object per log line: Application Insights gets the fields (requestId, ...) as parse_json(message).
          name: 'LOG_FORMAT'
          value: 'json'
        }
        // Events and webhooks (docs/adr/0042-0044): the app's queue client and the queue trigger's connection
        // (`STORAGE_CONNECTION_STRING` + `__queueServiceUri`: identity-based) both name the data account's queues.
        {
          name: 'STORAGE_QUEUE_URL'
          value: dataAccount.properties.primaryEndpoints.queue
        }
        {
          name: 'STORAGE_CONNECTION_STRING__credential'
          value: 'managedidentity'
        }
        {
          name: 'EVENTS_DISPATCH_SCHEDULE'
          value: eventsDispatchSchedule
        }
        {
          name: 'WEBHOOK_RETRY_SCHEDULE'
          value: webhookRetrySchedule
        }
        {
          // Receivers on localhost are for local runs only (SSRF: docs/adr/0043).
          name: 'WEBHOOK_ALLOW_LOCALHOST'
          value: 'false'
        }
      ]
    }
  }
}

// The functions' own log lines (FunctionAppLogs table) next to the other resources' logs.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: site
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
  }
}

output defaultHostName string = site.properties.defaultHostName
