// PROD: real payments. Own resource group, own keys, own data; nothing here is shared with UAT.
using '../main.bicep'

param environmentName = 'PROD'
param cosmosThroughputMode = 'autoscale'
param cosmosAutoscaleMaxThroughput = 4000
param cosmosBackupTier = 'Continuous30Days'
param cosmosZoneRedundant = true
param storageSku = 'Standard_ZRS'
param rejectedBlobRetentionDays = 90
param functionMaximumInstanceCount = 100
param functionInstanceMemoryMB = 2048
param functionAlwaysReadyHttpInstances = 1
param apimSku = 'Standard'
param apimCapacity = 1
param apimPublisherEmail = 'gpd-operators@example.org'
param logRetentionDays = 90
param logLevel = 'info'
param operatorPrincipalIds = []
