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

output accountName string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
output containerNames array = [for (container, i) in storageDefinition.containers: containers[i].name]
