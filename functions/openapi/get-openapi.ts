// GET /openapi.json[?api=debt-positions|receipts|reporting|notices] — this service's own OpenAPI documents (openapi/*.json).
// Without `api`: the three merged into one document served by the Function App itself (routes at its root); with
// `api`: that document alone, unchanged (the one API Management imports, with its APIM server). Any valid key, or
// none where PUBLIC_API_DOCS is set (local development: Swagger UI on the local host's GET /docs reads it).
import type { HttpHandler } from "@azure/functions";
import { DomainError } from "../../shared/domain/errors";
import { endpoint, type HttpDeps } from "../../shared/http/endpoint";
import debtPositionsDocument from "../../openapi/debt-positions.json";
import receiptsDocument from "../../openapi/receipts.json";
import reportingDocument from "../../openapi/reporting.json";
import reconciliationDocument from "../../openapi/reconciliation.json";
import uploadsDocument from "../../openapi/uploads.json";
import eventsDocument from "../../openapi/events.json";
import noticesDocument from "../../openapi/notices.json";

export const openApiDocumentNames = ["debt-positions", "receipts", "reporting", "uploads", "reconciliation", "notices", "events"] as const;
export type OpenApiDocumentName = (typeof openApiDocumentNames)[number];

/** The parts of an OpenAPI 3.0 document the merge touches; everything else is carried as is. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [key: string]: unknown };
  servers?: { url: string; description?: string; [key: string]: unknown }[];
  tags?: { name: string; [key: string]: unknown }[];
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export const openApiDocuments: Readonly<Record<OpenApiDocumentName, OpenApiDocument>> = {
  "debt-positions": debtPositionsDocument as unknown as OpenApiDocument,
  receipts: receiptsDocument as unknown as OpenApiDocument,
  reporting: reportingDocument as unknown as OpenApiDocument,
  uploads: uploadsDocument as unknown as OpenApiDocument,
  reconciliation: reconciliationDocument as unknown as OpenApiDocument,
  notices: noticesDocument as unknown as OpenApiDocument,
  events: eventsDocument as unknown as OpenApiDocument,
};

const isOpenApiDocumentName = (value: string): value is OpenApiDocumentName =>
  (openApiDocumentNames as readonly string[]).includes(value);

/**
 * The union of the documents: paths (a path+method documented twice is an error), components (a name defined twice
 * must be defined identically — the shared ProblemJson, responses and parameters are), tags; the only server is the
 * Function App, because API Management publishes each document under its own base path.
 */
export function mergeOpenApiDocuments(documents: readonly OpenApiDocument[], version: string): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Record<string, Record<string, unknown>> = {};
  const tags = new Map<string, { name: string; [key: string]: unknown }>();
  for (const document of documents) {
    for (const [path, item] of Object.entries(document.paths)) {
      const merged = (paths[path] ??= {});
      for (const [key, value] of Object.entries(item)) {
        if (key in merged && JSON.stringify(merged[key]) !== JSON.stringify(value)) {
          throw new Error(`OpenAPI merge: ${key} of ${path} is documented differently in "${document.info.title}"`);
        }
        merged[key] = value;
      }
    }
    for (const [section, entries] of Object.entries(document.components ?? {})) {
      const target = (components[section] ??= {});
      for (const [name, value] of Object.entries(entries)) {
        if (name in target && JSON.stringify(target[name]) !== JSON.stringify(value)) {
          throw new Error(`OpenAPI merge: components.${section}.${name} differs in "${document.info.title}"`);
        }
        target[name] = value;
      }
    }
    for (const tag of document.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
  }
  return {
    openapi: "3.0.3",
    info: {
      title: "GPD - debt positions, receipts and reporting flows",
      description:
        "The merged documents of GPD on Azure Functions (openapi/debt-positions.json, receipts.json, reporting.json, " +
        "notices.json), " +
        "as the Function App serves them at its root. Behind API Management each API has its own base path: " +
        "ask GET /openapi.json?api=debt-positions|receipts|reporting|notices for one document with its gateway server. " +
        "Operations carry `x-gpd-product`: the product a subscription key must be granted to call them.",
      termsOfService: "https://www.pagopa.gov.it/",
      version,
    },
    servers: [{ url: "http://localhost:7071", description: "Local host (`npm start`) or `func start`: the Function App itself." }],
    tags: [...tags.values()],
    security: documents[0]?.security ?? [],
    paths,
    components,
  };
}

let merged: OpenApiDocument | undefined;

/** Merged once per instance: the documents are part of the deployed code. */
export const mergedOpenApiDocument = (): OpenApiDocument =>
  (merged ??= mergeOpenApiDocuments(
    openApiDocumentNames.map((name) => openApiDocuments[name]),
    openApiDocuments["debt-positions"].info.version,
  ));

export interface GetOpenApiDeps {
  http: HttpDeps;
  /** PUBLIC_API_DOCS: answer without a key. */
  withoutKey?: boolean;
}

export const makeGetOpenApi = (deps: GetOpenApiDeps): HttpHandler =>
  endpoint(deps.http, { product: deps.withoutKey === true ? "none" : "any", query: ["api"] }, (scope) => {
    const api = scope.request.query.get("api");
    if (api === null || api === "") return Promise.resolve({ status: 200, jsonBody: mergedOpenApiDocument() });
    if (!isOpenApiDocumentName(api)) {
      throw new DomainError("BAD_REQUEST", `Invalid value ${api.slice(0, 40)} for property api; expected one of [${openApiDocumentNames.join(", ")}]`);
    }
    return Promise.resolve({ status: 200, jsonBody: openApiDocuments[api] });
  });
