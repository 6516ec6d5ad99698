// What an operator is told about without looking: every alert notifies actionGroupId when one is given.
// Log alerts query the workspace that the diagnostic settings of the other modules fill (gateway, storage, Cosmos
// logs) and the app's own telemetry (AppRequests of the workspace-based Application Insights).
// What each alert means and what to do: docs/deploy.md, "Alerts".
param location string
param tags object
param environmentName string
param actionGroupId string
param workspaceName string
param apimServiceName string
param cosmosAccountName string
param dataStorageAccountName string
param runtimeStorageAccountName string

@description('How long without a run before a timer counts as silent: a window of the log alert.')
@allowed([
  'PT30M'
  'PT45M'
  'PT1H'
  'PT2H'
  'PT6H'
])
param timerSilenceWindow string

@description('The timer functions that must run within timerSilenceWindow (names as in functions/index.ts).')
param scheduledFunctionNames array
param gateway5xxPercentThreshold int
param gateway429Threshold int
param webhookDeadLetterQueueName string

var storageDefinition = loadJsonContent('../../shared/storage/storage-definition.json')
var rejectedContainerPaths = map(filter(storageDefinition.blobContainers, c => c.?rejected ?? false), c => '/${c.name}/')
var logActions = {
  actionGroups: empty(actionGroupId) ? [] : [
    actionGroupId
  ]
}
var metricActions = empty(actionGroupId) ? [] : [
  {
    actionGroupId: actionGroupId
  }
]
var prefix = 'GPD ${environmentName}'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource cosmosAccount 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: cosmosAccountName
}

// Each log alert: a query that returns rows only when something is wrong; one row or more fires the alert.
var logAlerts = concat(
  [
    {
      name: 'gateway-5xx-rate'
      displayName: '${prefix}: more than ${gateway5xxPercentThreshold}% of gateway answers are 5xx'
      severity: 1
      frequency: 'PT5M'
      window: 'PT15M'
      query: 'ApiManagementGatewayLogs | where _ResourceId endswith "/${toLower(apimServiceName)}" | summarize total = count(), failed = countif(ResponseCode >= 500) | where total >= 20 and failed * 100.0 / total > ${gateway5xxPercentThreshold}'
    }
    {
      name: 'gateway-429'
      displayName: '${prefix}: callers hit the rate limit (429) more than ${gateway429Threshold} times in 15 minutes'
      severity: 3
      frequency: 'PT5M'
      window: 'PT15M'
      query: 'ApiManagementGatewayLogs | where _ResourceId endswith "/${toLower(apimServiceName)}" | where ResponseCode == 429 | summarize answers = count() by ApimSubscriptionId | where answers > ${gateway429Threshold}'
    }
    {
      name: 'function-failures'
      displayName: '${prefix}: function invocations failed'
      severity: 2
      frequency: 'PT5M'
      window: 'PT15M'
      query: 'AppRequests | where Success == false | summarize failures = count() by OperationName'
    }
    {
      name: 'timer-silent'
      displayName: '${prefix}: a timer function did not run on schedule'
      severity: 2
      frequency: 'PT15M'
      window: timerSilenceWindow
      query: 'let expected = dynamic(${string(scheduledFunctionNames)}); let ran = AppRequests | where OperationName in (expected) | distinct OperationName; print name = expected | mv-expand name to typeof(string) | join kind = leftanti ran on $left.name == $right.OperationName'
    }
    {
      name: 'files-rejected'
      displayName: '${prefix}: receipts or reporting flows were rejected'
      severity: 2
      frequency: 'PT15M'
      window: 'PT15M'
      query: 'StorageBlobLogs | where AccountName == "${dataStorageAccountName}" and StatusCode between (200 .. 299) | where OperationName in ("PutBlob", "PutBlockList", "CopyBlob", "CopyBlobFromURL", "PutBlobFromURL") | where Uri has_any (dynamic(${string(rejectedContainerPaths)})) | summarize files = count()'
    }
  ],
  empty(webhookDeadLetterQueueName)
    ? []
    : [
        {
          name: 'webhook-dead-letters'
          displayName: '${prefix}: webhook deliveries were dead-lettered'
          severity: 2
          frequency: 'PT15M'
          window: 'PT15M'
          query: 'StorageQueueLogs | where AccountName == "${runtimeStorageAccountName}" and OperationName == "PutMessage" and StatusCode between (200 .. 299) | where Uri has "/${webhookDeadLetterQueueName}/" | summarize messages = count()'
        }
      ]
)

resource logAlertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for alert in logAlerts: {
    name: 'gpd-${toLower(environmentName)}-${alert.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: alert.displayName
      severity: alert.severity
      enabled: true
      evaluationFrequency: alert.frequency
      windowSize: alert.window
      scopes: [
        workspace.id
      ]
      // The tables fill only once the resources log something: on a first deployment they may still be empty.
      skipQueryValidation: true
      autoMitigate: true
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: logActions
    }
  }
]

// Cosmos throttling: any 429 from the account (requests over the provisioned or serverless throughput).
resource cosmosThrottling 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'gpd-${toLower(environmentName)}-cosmos-throttling'
  location: 'global'
  tags: tags
  properties: {
    description: '${prefix}: Cosmos DB throttled requests (429)'
    severity: 2
    enabled: true
    scopes: [
      cosmosAccount.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'throttled'
          metricName: 'TotalRequests'
          metricNamespace: 'Microsoft.DocumentDB/databaseAccounts'
          dimensions: [
            {
              name: 'StatusCode'
              operator: 'Include'
              values: [
                '429'
              ]
            }
          ]
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
        }
      ]
    }
    actions: metricActions
  }
}
