// API Management in front of the Function App: the APIs are imported from the project's own OpenAPI documents,
// one product per subscription product of the app, the Ocp-Apim-Subscription-Key header (or subscription-key
// query), 100 calls / 10 s per key, one backend. How keys are shared with the app: docs/adr/0005.
param location string
param tags object
param serviceName string
param sku string
param capacity int
param publisherEmail string
param publisherName string

@description('Host name of the Function App (HTTP functions at the root: host.json routePrefix is empty).')
param functionAppHostName string
param appInsightsId string
param appInsightsConnectionString string

// The products of shared/domain/subscriptions/subscription.ts `products`, each with the APIs it opens.
// notification-fee is the notification platform's update of a payment option's fee, an operation documented in
// openapi/receipts.json (the receipts API): the app itself restricts a notification-fee key to that operation.
var productDefinitions = [
  {
    id: 'debt-positions'
    displayName: 'GPD - debt positions'
    apis: [
      'debt-positions'
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
    apis: []
  }
  {
    id: 'internal'
    displayName: 'GPD - internal operations'
    apis: []
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
    apis: []
  }
]

var apiDefinitions = [
  {
    id: 'debt-positions'
    displayName: 'GPD debt positions'
    path: 'gpd/debt-positions/v1'
    openapi: loadTextContent('../../openapi/debt-positions.json')
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
    openapi: loadTextContent('../../openapi/reporting.json')
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

resource productApis 'Microsoft.ApiManagement/service/products/apis@2024-05-01' = [
  for link in productApiLinks: {
    name: '${service.name}/${link.product}/${link.api}'
    dependsOn: [
      apis
      products
    ]
  }
]

resource logger 'Microsoft.ApiManagement/service/loggers@2024-05-01' = {
  parent: service
  name: 'app-insights'
  properties: {
    loggerType: 'applicationInsights'
    resourceId: appInsightsId
    credentials: {
      connectionString: appInsightsConnectionString
      identityClientId: 'SystemAssigned'
    }
  }
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

output name string = service.name
output gatewayUrl string = service.properties.gatewayUrl
output principalId string = service.identity.principalId
output publicIpAddresses array = service.properties.publicIPAddresses
