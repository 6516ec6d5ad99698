// The GPD Function App on a Flex Consumption plan (Linux, Node 20; why: docs/adr/0004-hosting-plan.md).
// App settings: every name the config schema reads (shared/config/config.ts `settingNames`), except the two that
// exist only for key-based local emulators (COSMOS_KEY, STORAGE_CONNECTION_STRING): here the app uses its
// system-assigned identity for Cosmos, Blob and its own runtime storage. `npm run check:infra` enforces this.
// Flex Consumption takes the runtime from functionAppConfig and refuses FUNCTIONS_WORKER_RUNTIME and
// FUNCTIONS_EXTENSION_VERSION as app settings (the host is always v4).
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
param runtimeStorageBlobEndpoint string
param deploymentContainerName string
param dataBlobEndpoint string
// The data account's queue endpoint, sibling of its blob endpoint.
var dataQueueEndpoint = replace(dataBlobEndpoint, '.blob.', '.queue.')
param cosmosEndpoint string
param cosmosDatabaseName string
param appInsightsConnectionString string
param maximumInstanceCount int
param instanceMemoryMB int
param alwaysReadyHttpInstances int

@description('Source addresses allowed to call the app (API Management); empty = no restriction.')
param allowedIpAddresses array
param subscriptionCacheTtlSeconds int
param taxonomyCataloguePath string
param maxBodyBytes int
param validateDebtPositionsSchedule string
param expireDebtPositionsSchedule string
param ingestReceiptsSchedule string
param ingestReportingFlowsSchedule string
param jobBatchSize int
param logLevel string
@description('NCRONTAB of dispatchEvents (outbox → feed → webhook deliveries).')
param eventsDispatchSchedule string = '*/5 * * * * *'
@description('Pauses between webhook delivery attempts before a dead letter.')
param webhookRetrySchedule string = '5s,30s,2m,10m,1h,3h,6h,12h,24h'

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

var accessRestrictions = [
  for (ip, i) in allowedIpAddresses: {
    name: 'apim-${i}'
    action: 'Allow'
    priority: 100 + i
    ipAddress: '${ip}/32'
  }
]

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
          value: '${runtimeStorageBlobEndpoint}${deploymentContainerName}'
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
        version: '20'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      ipSecurityRestrictions: accessRestrictions
      ipSecurityRestrictionsDefaultAction: empty(allowedIpAddresses) ? 'Allow' : 'Deny'
      // Deployments go to the scm site from the operator's machine or CI, not through API Management.
      scmIpSecurityRestrictionsUseMain: false
      appSettings: [
        // Functions runtime storage through the identity (no connection string).
        {
          name: 'AzureWebJobsStorage__accountName'
          value: runtimeStorageAccountName
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsightsConnectionString
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
          value: cosmosEndpoint
        }
        {
          name: 'COSMOS_DATABASE'
          value: cosmosDatabaseName
        }
        {
          name: 'STORAGE_BLOB_URL'
          value: dataBlobEndpoint
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
          value: 'https://${storageAccountName}.queue.${environment().suffixes.storage}'
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
        {
          name: 'LOG_LEVEL'
          value: logLevel
        }
        // Events and webhooks (docs/adr/0042-0044): the app's queue client and the queue trigger's connection
        // (`STORAGE_CONNECTION_STRING` + `__queueServiceUri`: identity-based) both name the data account's queues.
        {
          name: 'STORAGE_QUEUE_URL'
          value: dataQueueEndpoint
        }
        {
          name: 'STORAGE_CONNECTION_STRING__queueServiceUri'
          value: dataQueueEndpoint
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

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
