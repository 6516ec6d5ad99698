// GPD on Azure: one resource group per environment (UAT, PROD), deployed with `npm run deploy -- --env uat|prod`
// (docs/deploy.md), which runs what-if and `az deployment group create -f infra/main.bicep -p infra/params/<env>.bicepparam`.
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

@description('Prefix of resource names: 2 to 6 lowercase letters and digits, starting with a letter (it goes into storage account names, which allow nothing else).')
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

@description('Resource id of an existing action group that every alert notifies; empty = alerts fire in the portal only (set it for PROD).')
param alertActionGroupId string = ''

@description('How long without a run before a timer function counts as not running on schedule (largest schedule interval + margin).')
@allowed([
  'PT30M'
  'PT45M'
  'PT1H'
  'PT2H'
  'PT6H'
])
param timerSilenceWindow string = 'PT1H'

@description('The timer functions the timer alert watches (names as registered in functions/index.ts).')
param scheduledFunctionNames array = [
  'validateDebtPositions'
  'expireDebtPositions'
  'ingestReceipts'
  'ingestReportingFlows'
]

@description('Percentage of gateway answers that are 5xx, over 15 minutes, above which the 5xx alert fires.')
@minValue(1)
@maxValue(100)
param gateway5xxPercentThreshold int = 5

@description('Gateway 429 answers in 15 minutes above which the 429 alert fires (callers hitting 100 calls / 10 s).')
@minValue(1)
param gateway429Threshold int = 50

@description('Storage queue where webhook deliveries that exhausted their retries land; empty = no such queue yet, no alert.')
param webhookDeadLetterQueueName string = ''

@description('CanNotDelete locks on the data (Cosmos account, data storage account). On for PROD.')
param lockData bool = environmentName == 'PROD'

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

// Every name is computed here, from parameters only, and handed to the modules as a string: a module never takes
// another module's output to name or address a resource, so what-if can resolve every resource id before deploying
// and show real changes instead of "could not be evaluated" (docs/deploy.md, "What what-if shows").
var prefixLetters = 'abcdefghijklmnopqrstuvwxyz'
var namePrefixIsValid = contains(prefixLetters, substring(namePrefix, 0, 1)) && empty(filter(
  map(range(0, length(namePrefix)), i => substring(namePrefix, i, 1)),
  c => !contains('${prefixLetters}0123456789', c)
))
// `if` evaluates only the branch it takes, so a valid prefix never reaches fail().
var prefix = namePrefixIsValid
  ? namePrefix
  : fail('namePrefix \'${namePrefix}\' must be lowercase letters and digits and start with a letter')
var env = toLower(environmentName)
var suffix = take(uniqueString(resourceGroup().id), 6)
var tags = {
  application: 'gpd'
  environment: environmentName
}
var storageDefinition = loadJsonContent('../shared/storage/storage-definition.json')
var deploymentContainerName = 'app-package'
var names = {
  workspace: '${prefix}-${env}-log-${suffix}'
  appInsights: '${prefix}-${env}-appi-${suffix}'
  dataStorage: take('${prefix}${env}data${uniqueString(resourceGroup().id)}', 24)
  runtimeStorage: take('${prefix}${env}func${uniqueString(resourceGroup().id)}', 24)
  cosmos: '${prefix}-${env}-cosmos-${suffix}'
  apim: '${prefix}-${env}-apim-${suffix}'
  plan: '${prefix}-${env}-plan-${suffix}'
  functionApp: '${prefix}-${env}-func-${suffix}'
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'gpd-monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    retentionInDays: logRetentionDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'gpd-storage'
  params: {
    location: location
    tags: tags
    dataAccountName: names.dataStorage
    runtimeAccountName: names.runtimeStorage
    sku: storageSku
    deploymentContainerName: deploymentContainerName
    rejectedBlobRetentionDays: rejectedBlobRetentionDays
    workspaceName: names.workspace
    lockData: lockData
    webhookDeadLetterQueueName: webhookDeadLetterQueueName
  }
  dependsOn: [
    monitoring
  ]
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'gpd-cosmos'
  params: {
    location: location
    tags: tags
    accountName: names.cosmos
    throughputMode: cosmosThroughputMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    backupTier: cosmosBackupTier
    zoneRedundant: cosmosZoneRedundant
    workspaceName: names.workspace
    lockData: lockData
  }
  dependsOn: [
    monitoring
  ]
}

// API Management comes before the Function App: the app's access restriction needs the gateway's addresses, and
// the gateway only needs the app's host name, which follows from its name.
module apim 'modules/apim.bicep' = {
  name: 'gpd-apim'
  params: {
    location: location
    tags: tags
    serviceName: names.apim
    sku: apimSku
    capacity: apimCapacity
    publisherEmail: apimPublisherEmail
    publisherName: apimPublisherName
    functionAppHostName: '${names.functionApp}.azurewebsites.net'
    appInsightsName: names.appInsights
    workspaceName: names.workspace
  }
  dependsOn: [
    monitoring
  ]
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'gpd-functionapp'
  params: {
    location: location
    tags: tags
    planName: names.plan
    functionAppName: names.functionApp
    environmentName: environmentName
    runtimeStorageAccountName: names.runtimeStorage
    deploymentContainerName: deploymentContainerName
    dataStorageAccountName: names.dataStorage
    cosmosAccountName: names.cosmos
    cosmosDatabaseName: storageDefinition.database
    appInsightsName: names.appInsights
    workspaceName: names.workspace
    apimServiceName: names.apim
    restrictToApim: restrictFunctionToApim
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    alwaysReadyHttpInstances: functionAlwaysReadyHttpInstances
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
  dependsOn: [
    apim
    storage
    cosmos
  ]
}

module roles 'modules/roles.bicep' = {
  name: 'gpd-roles'
  params: {
    functionAppName: names.functionApp
    operatorPrincipalIds: operatorPrincipalIds
    dataStorageAccountName: names.dataStorage
    runtimeStorageAccountName: names.runtimeStorage
    cosmosAccountName: names.cosmos
    appInsightsName: names.appInsights
  }
  dependsOn: [
    functionApp
    storage
    cosmos
  ]
}

module alerts 'modules/alerts.bicep' = {
  name: 'gpd-alerts'
  params: {
    location: location
    tags: tags
    environmentName: environmentName
    actionGroupId: alertActionGroupId
    workspaceName: names.workspace
    apimServiceName: names.apim
    cosmosAccountName: names.cosmos
    dataStorageAccountName: names.dataStorage
    runtimeStorageAccountName: names.runtimeStorage
    timerSilenceWindow: timerSilenceWindow
    scheduledFunctionNames: scheduledFunctionNames
    gateway5xxPercentThreshold: gateway5xxPercentThreshold
    gateway429Threshold: gateway429Threshold
    webhookDeadLetterQueueName: webhookDeadLetterQueueName
  }
  dependsOn: [
    functionApp
    storage
    cosmos
    apim
  ]
}

output functionAppName string = names.functionApp
output functionAppHostName string = functionApp.outputs.defaultHostName
output cosmosEndpoint string = cosmos.outputs.endpoint
output cosmosAccountName string = names.cosmos
output storageBlobUrl string = storage.outputs.dataBlobEndpoint
output dataStorageAccountName string = names.dataStorage
output apimName string = names.apim
output apimGatewayUrl string = apim.outputs.gatewayUrl
