// GPD on Azure: one resource group per environment (UAT, PROD), deployed with
//   az deployment group create -g <rg> -f infra/main.bicep -p infra/params/<env>.bicepparam
// Keys and data never cross environments: every resource below is created per deployment, names carry the
// environment, and the app's GPD_ENVIRONMENT makes a UAT key useless in PROD even if one leaked.
targetScope = 'resourceGroup'

@description('Which GPD environment this resource group holds. Becomes GPD_ENVIRONMENT of the app.')
@allowed([
  'UAT'
  'PROD'
])
param environmentName string

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Prefix of resource names (lowercase letters and digits).')
@minLength(2)
@maxLength(6)
param namePrefix string = 'gpd'

// --- Cosmos DB ---
@description('serverless: pay per request (bursty, low volume). autoscale: shared database throughput scaling between 10% and 100% of cosmosAutoscaleMaxThroughput.')
@allowed([
  'serverless'
  'autoscale'
])
param cosmosThroughputMode string

@description('Autoscale ceiling of the database (RU/s, multiple of 1000); ignored when serverless.')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Point-in-time restore window of the continuous backup.')
@allowed([
  'Continuous7Days'
  'Continuous30Days'
])
param cosmosBackupTier string

@description('Zone redundancy of the Cosmos DB region (not available on serverless accounts).')
param cosmosZoneRedundant bool = false

@description('Entra object ids (users or groups) of the operators who run the operator CLI against this Cosmos account; they get the Cosmos DB Built-in Data Contributor role, since the account accepts no keys.')
param operatorPrincipalIds array = []

// --- Storage ---
@description('Days after which a file moved to a *-rejected blob container is deleted.')
@minValue(1)
param rejectedBlobRetentionDays int

@description('Replication of the storage accounts.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

// --- Function App (Flex Consumption, see docs/adr/0004-hosting-plan.md) ---
@description('Upper bound of instances the plan may scale out to.')
@minValue(1)
@maxValue(1000)
param functionMaximumInstanceCount int

@description('Memory of each instance (MB).')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Instances of the HTTP functions kept warm (0 = scale to zero, cold starts possible).')
@minValue(0)
param functionAlwaysReadyHttpInstances int

@description('Only API Management may call the HTTP functions (access restriction on the app).')
param restrictFunctionToApim bool = true

// --- App settings the config schema reads (shared/config/config.ts) ---
@description('Seconds a subscription key lookup is cached; a revoked key stops working within this time.')
@minValue(0)
@maxValue(60)
param subscriptionCacheTtlSeconds int = 30

@description('Path of a taxonomy catalogue file inside the deployed package; empty = format check only.')
param taxonomyCataloguePath string = ''

@description('Largest accepted request body, in bytes.')
param maxBodyBytes int = 1048576

@description('NCRONTAB (six fields, seconds first) of validateDebtPositions.')
param validateDebtPositionsSchedule string = '0 */15 * * * *'

@description('NCRONTAB of expireDebtPositions.')
param expireDebtPositionsSchedule string = '0 */15 * * * *'

@description('NCRONTAB of ingestReceipts.')
param ingestReceiptsSchedule string = '0 * * * * *'

@description('NCRONTAB of ingestReportingFlows.')
param ingestReportingFlowsSchedule string = '0 */5 * * * *'

@description('Documents a job handles per batch.')
@minValue(1)
@maxValue(1000)
param jobBatchSize int = 100

@allowed([
  'debug'
  'info'
  'warn'
  'error'
])
param logLevel string = 'info'

// --- Monitoring ---
@description('Retention of Log Analytics data (days).')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

// --- API Management ---
@description('API Management tier. rate-limit-by-key is not offered by the Consumption tier, so it is not allowed here.')
@allowed([
  'Developer'
  'Basic'
  'Standard'
  'Premium'
])
param apimSku string

@minValue(1)
param apimCapacity int = 1

@description('Contact e-mail shown as the API publisher.')
param apimPublisherEmail string

param apimPublisherName string = 'PagoPA S.p.A.'

var env = toLower(environmentName)
var suffix = take(uniqueString(resourceGroup().id), 6)
var tags = {
  application: 'gpd'
  environment: environmentName
}
var functionAppName = '${namePrefix}-${env}-func-${suffix}'

module monitoring 'modules/monitoring.bicep' = {
  name: 'gpd-monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: '${namePrefix}-${env}-log-${suffix}'
    appInsightsName: '${namePrefix}-${env}-appi-${suffix}'
    retentionInDays: logRetentionDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'gpd-storage'
  params: {
    location: location
    tags: tags
    dataAccountName: take('${namePrefix}${env}data${uniqueString(resourceGroup().id)}', 24)
    runtimeAccountName: take('${namePrefix}${env}func${uniqueString(resourceGroup().id)}', 24)
    sku: storageSku
    rejectedBlobRetentionDays: rejectedBlobRetentionDays
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'gpd-cosmos'
  params: {
    location: location
    tags: tags
    accountName: '${namePrefix}-${env}-cosmos-${suffix}'
    throughputMode: cosmosThroughputMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    backupTier: cosmosBackupTier
    zoneRedundant: cosmosZoneRedundant
  }
}

// API Management comes before the Function App: the app's access restriction needs the gateway's addresses, and
// the gateway only needs the app's host name, which follows from its name.
module apim 'modules/apim.bicep' = {
  name: 'gpd-apim'
  params: {
    location: location
    tags: tags
    serviceName: '${namePrefix}-${env}-apim-${suffix}'
    sku: apimSku
    capacity: apimCapacity
    publisherEmail: apimPublisherEmail
    publisherName: apimPublisherName
    functionAppHostName: '${functionAppName}.azurewebsites.net'
    appInsightsId: monitoring.outputs.appInsightsId
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'gpd-functionapp'
  params: {
    location: location
    tags: tags
    planName: '${namePrefix}-${env}-plan-${suffix}'
    functionAppName: functionAppName
    environmentName: environmentName
    runtimeStorageAccountName: storage.outputs.runtimeAccountName
    runtimeStorageBlobEndpoint: storage.outputs.runtimeBlobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    dataBlobEndpoint: storage.outputs.dataBlobEndpoint
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmos.outputs.databaseName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    alwaysReadyHttpInstances: functionAlwaysReadyHttpInstances
    allowedIpAddresses: restrictFunctionToApim ? apim.outputs.publicIpAddresses : []
    subscriptionCacheTtlSeconds: subscriptionCacheTtlSeconds
    taxonomyCataloguePath: taxonomyCataloguePath
    maxBodyBytes: maxBodyBytes
    validateDebtPositionsSchedule: validateDebtPositionsSchedule
    expireDebtPositionsSchedule: expireDebtPositionsSchedule
    ingestReceiptsSchedule: ingestReceiptsSchedule
    ingestReportingFlowsSchedule: ingestReportingFlowsSchedule
    jobBatchSize: jobBatchSize
    logLevel: logLevel
  }
}

module roles 'modules/roles.bicep' = {
  name: 'gpd-roles'
  params: {
    appPrincipalId: functionApp.outputs.principalId
    apimPrincipalId: apim.outputs.principalId
    operatorPrincipalIds: operatorPrincipalIds
    dataStorageAccountName: storage.outputs.dataAccountName
    runtimeStorageAccountName: storage.outputs.runtimeAccountName
    cosmosAccountName: cosmos.outputs.accountName
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output cosmosEndpoint string = cosmos.outputs.endpoint
output cosmosAccountName string = cosmos.outputs.accountName
output storageBlobUrl string = storage.outputs.dataBlobEndpoint
output apimName string = apim.outputs.name
output apimGatewayUrl string = apim.outputs.gatewayUrl
