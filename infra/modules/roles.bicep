// What the Function App's identity (and the operators) may do. Built-in role ids are fixed across tenants.
// Assignment names come from the scope, the app's resource id and the role: all known before deploying, so what-if
// shows each assignment (a principal id is known only once the identity exists). API Management's own role is in
// apim.bicep, next to the logger that needs it.
param functionAppName string

@description('Entra object ids (users or groups) of the operators.')
param operatorPrincipalIds array
param dataStorageAccountName string
param runtimeStorageAccountName string
param cosmosAccountName string
param appInsightsName string

// Storage Blob Data Owner: read/write/delete blobs, metadata and blob index tags (tags need Owner, not Contributor).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Blob Data Reader: operators read rejected files and the reasons in their metadata.
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
// Storage Queue Data Contributor: the Functions host's own queues (retries, internal coordination).
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// Monitoring Metrics Publisher: telemetry ingestion with Entra auth (the component has local auth disabled).
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
// Cosmos DB Built-in Data Contributor (data plane, not an Azure RBAC role).
var cosmosDataContributor = '00000000-0000-0000-0000-000000000002'

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource dataAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: dataStorageAccountName
}

resource runtimeAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: runtimeStorageAccountName
}

resource cosmosAccount 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: cosmosAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource appDataBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: dataAccount
  name: guid(dataAccount.id, site.id, storageBlobDataOwner)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appRuntimeBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: runtimeAccount
  name: guid(runtimeAccount.id, site.id, storageBlobDataOwner)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appRuntimeQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: runtimeAccount
  name: guid(runtimeAccount.id, site.id, storageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// The app's own queues on the data account: upload chunks, notice jobs, webhook deliveries (docs/adr/0042).
resource appDataQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: dataAccount
  name: guid(dataAccount.id, site.id, storageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, site.id, monitoringMetricsPublisher)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// Operators (users or groups: no principalType) read the data account's blobs, rejected files included.
resource operatorDataBlobRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in operatorPrincipalIds: {
    scope: dataAccount
    name: guid(dataAccount.id, principalId, storageBlobDataReader)
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
      principalId: principalId
    }
  }
]

// Cosmos applies data-plane role assignments one at a time per account and refuses a second one while the first is
// in progress (PreconditionFailed, "another operation in progress"): the operators' assignments run one after the
// other, after the app's (docs/deploy.md, "Sources").
resource appCosmosData 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmosAccount
  name: guid(cosmosAccount.id, site.id, cosmosDataContributor)
  properties: {
    roleDefinitionId: '${cosmosAccount.id}/sqlRoleDefinitions/${cosmosDataContributor}'
    principalId: site.identity.principalId
    scope: cosmosAccount.id
  }
}

// The operator CLI (`npm run gpd -- …`) runs with the operator's own Entra identity (DefaultAzureCredential).
@batchSize(1)
resource operatorCosmosData 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = [
  for principalId in operatorPrincipalIds: {
    parent: cosmosAccount
    name: guid(cosmosAccount.id, principalId, cosmosDataContributor)
    properties: {
      roleDefinitionId: '${cosmosAccount.id}/sqlRoleDefinitions/${cosmosDataContributor}'
      principalId: principalId
      scope: cosmosAccount.id
    }
    dependsOn: [
      appCosmosData
    ]
  }
]
