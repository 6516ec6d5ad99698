// What the Function App's identity (and the operators) may do. Built-in role ids are fixed across tenants.
param appPrincipalId string

@description('API Management identity: sends gateway telemetry to Application Insights.')
param apimPrincipalId string
param operatorPrincipalIds array
param dataStorageAccountName string
param runtimeStorageAccountName string
param cosmosAccountName string
param appInsightsName string

// Storage Blob Data Owner: read/write/delete blobs, metadata and blob index tags (tags need Owner, not Contributor).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Queue Data Contributor: the Functions host's own queues (retries, internal coordination).
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// Monitoring Metrics Publisher: telemetry ingestion with Entra auth (the component has local auth disabled).
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
// Cosmos DB Built-in Data Contributor (data plane, not an Azure RBAC role).
var cosmosDataContributor = '00000000-0000-0000-0000-000000000002'

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
  name: guid(dataAccount.id, appPrincipalId, storageBlobDataOwner)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appRuntimeBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: runtimeAccount
  name: guid(runtimeAccount.id, appPrincipalId, storageBlobDataOwner)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The app sends and the queue trigger receives webhook delivery messages on the data account (docs/adr/0042).
resource appDataQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: dataAccount
  name: guid(dataAccount.id, appPrincipalId, storageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appRuntimeQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: runtimeAccount
  name: guid(runtimeAccount.id, appPrincipalId, storageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, appPrincipalId, monitoringMetricsPublisher)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource apimTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, apimPrincipalId, monitoringMetricsPublisher)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: apimPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appCosmosData 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmosAccount
  name: guid(cosmosAccount.id, appPrincipalId, cosmosDataContributor)
  properties: {
    roleDefinitionId: '${cosmosAccount.id}/sqlRoleDefinitions/${cosmosDataContributor}'
    principalId: appPrincipalId
    scope: cosmosAccount.id
  }
}

// The operator CLI (`npm run gpd -- …`) runs with the operator's own Entra identity (DefaultAzureCredential).
resource operatorCosmosData 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = [
  for principalId in operatorPrincipalIds: {
    parent: cosmosAccount
    name: guid(cosmosAccount.id, principalId, cosmosDataContributor)
    properties: {
      roleDefinitionId: '${cosmosAccount.id}/sqlRoleDefinitions/${cosmosDataContributor}'
      principalId: principalId
      scope: cosmosAccount.id
    }
  }
]
