// Two accounts: the data account (receipts and flows, inboxes and rejected files) and the Functions runtime
// account (host locks, timer status, the deployment package). Neither accepts shared keys: the app reaches both
// with its managed identity. Blob containers come from the one storage definition the local bootstrap reads.
param location string
param tags object
param dataAccountName string
param runtimeAccountName string
param sku string
param rejectedBlobRetentionDays int

var storageDefinition = loadJsonContent('../../shared/storage/storage-definition.json')
var rejectedContainers = filter(storageDefinition.blobContainers, c => c.?rejected ?? false)
var deploymentContainerName = 'app-package'

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

// Storage queues of the definition (webhook deliveries: docs/adr/0042), in the data account.
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

output dataAccountName string = dataAccount.name
output dataBlobEndpoint string = dataAccount.properties.primaryEndpoints.blob
output dataQueueEndpoint string = dataAccount.properties.primaryEndpoints.queue
output queueNames array = [for (queue, i) in storageDefinition.queues: dataQueues[i].name]
output runtimeAccountName string = runtimeAccount.name
output runtimeBlobEndpoint string = runtimeAccount.properties.primaryEndpoints.blob
output deploymentContainerName string = deploymentContainer.name
output blobContainerNames array = [for (container, i) in storageDefinition.blobContainers: dataContainers[i].name]
