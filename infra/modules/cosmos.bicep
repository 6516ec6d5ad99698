// Cosmos DB for GPD: the database and its containers come from shared/storage/storage-definition.json, the file
// the local bootstrap reads, so partition keys and indexes cannot drift between the emulator and Azure.
// Only the resource fields of each entry reach ARM: entries may carry other fields for the code.
param location string
param tags object
param accountName string

@allowed([
  'serverless'
  'autoscale'
])
param throughputMode string
param autoscaleMaxThroughput int
param backupTier string
param zoneRedundant bool
param workspaceName string

@description('CanNotDelete lock on the account (PROD): neither the account nor its database and containers can be deleted by mistake.')
param lockData bool

var storageDefinition = loadJsonContent('../../shared/storage/storage-definition.json')
var serverless = throughputMode == 'serverless'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: serverless ? false : zoneRedundant
      }
    ]
    capabilities: serverless
      ? [
          {
            name: 'EnableServerless'
          }
        ]
      : []
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: backupTier
      }
    }
    // Entra ID only: the app and the operators use data-plane RBAC; containers are managed by ARM (this file).
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: storageDefinition.database
  properties: {
    resource: {
      id: storageDefinition.database
    }
    options: serverless
      ? {}
      : {
          autoscaleSettings: {
            maxThroughput: autoscaleMaxThroughput
          }
        }
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [
  for container in storageDefinition.containers: {
    parent: database
    name: container.id
    properties: {
      resource: {
        id: container.id
        partitionKey: container.partitionKey
        indexingPolicy: container.indexingPolicy
        uniqueKeyPolicy: container.?uniqueKeyPolicy ?? {
          uniqueKeys: []
        }
      }
    }
  }
]

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

// Requests with their status and RU charge, per-partition RU use and control-plane changes, in resource-specific
// tables (CDBDataPlaneRequests, …): what an operator reads when the throttling alert fires.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: account
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspace.id
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'DataPlaneRequests'
        enabled: true
      }
      {
        category: 'PartitionKeyRUConsumption'
        enabled: true
      }
      {
        category: 'ControlPlaneRequests'
        enabled: true
      }
    ]
  }
}

resource lock 'Microsoft.Authorization/locks@2020-05-01' = if (lockData) {
  scope: account
  name: 'gpd-data-cannot-delete'
  properties: {
    level: 'CanNotDelete'
    notes: 'GPD debt positions, receipts, keys (docs/deploy.md, "Locks"). Remove deliberately before deleting data.'
  }
  dependsOn: [
    containers
  ]
}

output endpoint string = account.properties.documentEndpoint
