// API Management in front of the Function App: the APIs are imported from the project's own OpenAPI documents,
// one product per subscription product of the app, the Ocp-Apim-Subscription-Key header (or subscription-key
// query), 100 calls / 10 s per key, one backend. How keys are shared with the app: docs/adr/0005.
// Release-2 surfaces: docs/adr/0031-apim-surfaces-of-release-2.md.
param location string
param tags object
param serviceName string
param sku string
param capacity int
param publisherEmail string
param publisherName string

@description('Host name of the Function App (HTTP functions at the root: host.json routePrefix is empty).')
param functionAppHostName string
param appInsightsName string
param workspaceName string

// The products of shared/domain/subscriptions/subscription.ts `products`, each with the APIs it opens.
// notification-fee is the notification platform's update of a payment option's fee, an operation documented in
// openapi/receipts.json (the receipts API): the app itself restricts a notification-fee key to that operation.
var productDefinitions = [
  {
    id: 'debt-positions'
    displayName: 'GPD - debt positions'
    apis: [
      'debt-positions'
      'notices'
    ]
  }
  {
    id: 'receipts'
    displayName: 'GPD - receipts'
    apis: [
      'receipts'
    ]
  }
  {
    id: 'reporting'
    displayName: 'GPD - reporting flows'
    apis: [
      'reporting'
    ]
  }
  {
    id: 'notification-fee'
    displayName: 'GPD - notification fee'
    apis: [
      'receipts'
    ]
  }
  {
    id: 'node'
    displayName: 'GPD - payment node (paForNode)'
    apis: [
      'node'
    ]
  }
  {
    id: 'internal'
    displayName: 'GPD - internal operations'
    apis: [
      'internal'
      // pay and report are documented in openapi/debt-positions.json: the app restricts an internal key to them.
      'debt-positions'
    ]
  }
  {
    id: 'events'
    displayName: 'GPD - events and webhooks'
    apis: [
      'events'
    ]
  }
  {
    id: 'reconciliation'
    displayName: 'GPD - treasury reconciliation'
    apis: [
      'reconciliation'
    ]
  }
]

// The release-2 operations of an existing API are merged into its document (paths of both): API Management routes
// only the operations an API declares, and the document in openapi/ may not list them yet. The infra/apim/ files
// carry routing facts only (method and path); once openapi/ lists an operation, its own definition wins the merge.
var debtPositions = loadJsonContent('../../openapi/debt-positions.json')
var debtPositionsRelease2 = loadJsonContent('../apim/debt-positions.release-2.json')
var reporting = loadJsonContent('../../openapi/reporting.json')
var reportingRelease2 = loadJsonContent('../apim/reporting.release-2.json')

var apiDefinitions = [
  {
    id: 'debt-positions'
    displayName: 'GPD debt positions'
    path: 'gpd/debt-positions/v1'
    openapi: string(union(debtPositions, {
      paths: union(debtPositionsRelease2.paths, debtPositions.paths)
    }))
  }
  {
    id: 'receipts'
    displayName: 'GPD receipts'
    path: 'gpd/receipts/v1'
    openapi: loadTextContent('../../openapi/receipts.json')
  }
  {
    id: 'reporting'
    displayName: 'GPD reporting flows'
    path: 'gpd/reporting/v1'
    openapi: string(union(reporting, {
      paths: union(reportingRelease2.paths, reporting.paths)
    }))
  }
  {
    // SOAP passed through as plain HTTP: the app answers SOAP faults itself and serves its WSDL at ?wsdl.
    id: 'node'
    displayName: 'GPD for the payment node (paForNode)'
    path: 'gpd/node/v1'
    openapi: loadTextContent('../apim/node.json')
  }
  {
    id: 'internal'
    displayName: 'GPD internal operations'
    path: 'gpd/internal/v1'
    openapi: loadTextContent('../apim/internal.json')
  }
  {
    id: 'events'
    displayName: 'GPD events and webhooks'
    path: 'gpd/events/v1'
    openapi: loadTextContent('../apim/events.json')
  }
  {
    id: 'reconciliation'
    displayName: 'GPD treasury reconciliation'
    path: 'gpd/reconciliation/v1'
    openapi: loadTextContent('../apim/reconciliation.json')
  }
  {
    id: 'reconciliation'
    displayName: 'GPD treasury reconciliation'
    path: 'gpd/reconciliation/v1'
    openapi: loadTextContent('../../openapi/reconciliation.json')
  }
  {
    id: 'notices'
    displayName: 'GPD payment notices'
    path: 'gpd/notices/v1'
    openapi: loadTextContent('../../openapi/notices.json')
  }
  {
    id: 'events'
    displayName: 'GPD events and webhooks'
    path: 'gpd/events/v1'
    openapi: loadTextContent('../../openapi/events.json')
  }
]

var productApiLinks = flatten(map(productDefinitions, p => map(p.apis, a => {
  product: p.id
  api: a
})))

// Monitoring Metrics Publisher: the gateway sends telemetry with its identity (Application Insights takes no keys).
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource service 'Microsoft.ApiManagement/service@2024-05-01' = {
  name: serviceName
  location: location
  tags: tags
  sku: {
    name: sku
    capacity: capacity
  }
  // Its identity sends gateway telemetry to Application Insights, which accepts no instrumentation-key-only data.
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    publisherEmail: publisherEmail
    publisherName: publisherName
  }
}

resource backend 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  parent: service
  name: 'gpd-function-app'
  properties: {
    description: 'GPD Function App'
    url: 'https://${functionAppHostName}'
    protocol: 'http'
    tls: {
      validateCertificateChain: true
      validateCertificateName: true
    }
  }
}

resource globalPolicy 'Microsoft.ApiManagement/service/policies@2024-05-01' = {
  parent: service
  name: 'policy'
  properties: {
    format: 'rawxml'
    value: loadTextContent('../policies/global.xml')
  }
  dependsOn: [
    backend
  ]
}

resource apis 'Microsoft.ApiManagement/service/apis@2024-05-01' = [
  for api in apiDefinitions: {
    parent: service
    name: api.id
    properties: {
      displayName: api.displayName
      path: api.path
      protocols: [
        'https'
      ]
      format: 'openapi+json'
      value: api.openapi
      serviceUrl: 'https://${functionAppHostName}'
      subscriptionRequired: true
      subscriptionKeyParameterNames: {
        header: 'Ocp-Apim-Subscription-Key'
        query: 'subscription-key'
      }
    }
  }
]

resource products 'Microsoft.ApiManagement/service/products@2024-05-01' = [
  for product in productDefinitions: {
    parent: service
    name: product.id
    properties: {
      displayName: product.displayName
      description: 'Keys are issued by the GPD operators (docs/deploy.md), never self-service.'
      subscriptionRequired: true
      approvalRequired: true
      state: 'published'
    }
  }
]

// One link at a time: API Management refuses concurrent changes to one product's API list (docs/deploy.md, "Sources").
@batchSize(1)
resource productApis 'Microsoft.ApiManagement/service/products/apis@2024-05-01' = [
  for link in productApiLinks: {
    name: '${service.name}/${link.product}/${link.api}'
    dependsOn: [
      apis
      products
    ]
  }
]

// The logger authenticates with the gateway's identity, which must hold the role before the logger is created
// (docs/deploy.md, "Sources").
resource telemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, service.id, monitoringMetricsPublisher)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: service.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource logger 'Microsoft.ApiManagement/service/loggers@2024-05-01' = {
  parent: service
  name: 'app-insights'
  properties: {
    loggerType: 'applicationInsights'
    resourceId: appInsights.id
    credentials: {
      connectionString: appInsights.properties.ConnectionString
      identityClientId: 'SystemAssigned'
    }
  }
  dependsOn: [
    telemetryRole
  ]
}

resource diagnostics 'Microsoft.ApiManagement/service/diagnostics@2024-05-01' = {
  parent: service
  name: 'applicationinsights'
  properties: {
    loggerId: logger.id
    alwaysLog: 'allErrors'
    sampling: {
      samplingType: 'fixed'
      percentage: 100
    }
  }
}

// Every gateway request with its status, subscription, API and timings (ApiManagementGatewayLogs): the 5xx and 429
// alerts query this table.
resource gatewayDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: service
  name: 'to-log-analytics'
  properties: {
    workspaceId: workspace.id
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      {
        category: 'GatewayLogs'
        enabled: true
      }
    ]
  }
}

output gatewayUrl string = service.properties.gatewayUrl
