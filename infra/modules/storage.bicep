// Two accounts: the data account (receipts and flows, inboxes and rejected files) and the Functions runtime
// account (host locks, timer status, the deployment package). Neither accepts shared keys: the app reaches both
// with its managed identity. Blob containers come from the one storage definition the local bootstrap reads.
param location string
param tags object
param dataAccountName string
param runtimeAccountName string
param sku string
param deploymentContainerName string
param rejectedBlobRetentionDays int
param workspaceName string

@description('CanNotDelete lock on the data account (PROD): the account cannot be deleted by mistake; blobs stay deletable by the app.')
param lockData bool

@description('Queue of the runtime account holding dead-lettered webhook deliveries; empty = none, its writes are not logged.')
param webhookDeadLetterQueueName string

var storageDefinition = loadJsonContent('../../shared/storage/storage-definition.json')
var rejectedContainers = filter(storageDefinition.blobContainers, c => c.?rejected ?? false)

var secureAccountProperties = {
  minimumTlsVersion: 'TLS1_2'
  supportsHttpsTrafficOnly: true
  allowBlobPublicAccess: false
  allowSharedKeyAccess: false
  defaultToOAuthAuthentication: true
}

resource dataAccount 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: dataAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: sku
  }
  properties: secureAccountProperties
}

resource dataBlobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: dataAccount
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource dataContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for container in storageDefinition.blobContainers: {
    parent: dataBlobService
    name: container.name
    properties: {
      publicAccess: 'None'
    }
  }
]

// The app's Storage queues (shared/storage/storage-definition.json `queues`), read by its queue-triggered functions.
resource dataQueueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: dataAccount
  name: 'default'
}

resource dataQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queue in storageDefinition.queues: {
    parent: dataQueueService
    name: queue.name
  }
]

// Rejected files are kept long enough for an operator to look at the reason in their metadata, then deleted.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: dataAccount
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-rejected-files'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: map(rejectedContainers, c => '${c.name}/')
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: rejectedBlobRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [
    dataContainers
  ]
}

resource runtimeAccount 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: runtimeAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: secureAccountProperties
}

resource runtimeBlobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: runtimeAccount
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: runtimeBlobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

// Writes and deletes of the data account's blobs (StorageBlobLogs): who moved which file to a *-rejected container
// (the rejected-files alert counts them) and who deleted what. Reads are left out: the ingestion jobs list the
// inboxes every minute, and those lines would be most of the bill.
resource dataBlobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: dataBlobService
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'StorageWrite'
        enabled: true
      }
      {
        category: 'StorageDelete'
        enabled: true
      }
    ]
  }
}

resource runtimeQueueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' existing = {
  parent: runtimeAccount
  name: 'default'
}

// Only when webhook deliveries have a dead-letter queue: its writes feed the dead-letter alert. The Functions host's
// own queue traffic on this account is otherwise not worth logging.
resource runtimeQueueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (!empty(webhookDeadLetterQueueName)) {
  scope: runtimeQueueService
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'StorageWrite'
        enabled: true
      }
    ]
  }
}

resource dataLock 'Microsoft.Authorization/locks@2020-05-01' = if (lockData) {
  scope: dataAccount
  name: 'gpd-data-cannot-delete'
  properties: {
    level: 'CanNotDelete'
    notes: 'GPD receipts and reporting flows (docs/deploy.md, "Locks"). Remove deliberately before deleting the account.'
  }
}

output dataBlobEndpoint string = dataAccount.properties.primaryEndpoints.blob
output dataQueueEndpoint string = dataAccount.properties.primaryEndpoints.queue
output queueNames array = [for (queue, i) in storageDefinition.queues: dataQueues[i].name]
output runtimeAccountName string = runtimeAccount.name
output runtimeBlobEndpoint string = runtimeAccount.properties.primaryEndpoints.blob
output deploymentContainerName string = deploymentContainer.name
