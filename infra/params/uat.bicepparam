// UAT: test environment for creditor organizations and intermediaries. Own resource group, own keys, own data.
using '../main.bicep'

param environmentName = 'UAT'
param cosmosThroughputMode = 'serverless'
param cosmosBackupTier = 'Continuous7Days'
param rejectedBlobRetentionDays = 30
param functionMaximumInstanceCount = 40
param functionInstanceMemoryMB = 2048
param functionAlwaysReadyHttpInstances = 0
param apimSku = 'Developer'
param apimCapacity = 1
param apimPublisherEmail = 'gpd-operators@example.org'
param logRetentionDays = 30
param logLevel = 'debug'
param operatorPrincipalIds = []
