// Checks our HTTP answers against OUR OpenAPI documents (openapi/*.json) with ajv 8 + ajv-formats. Call it on every
// response an end-to-end test receives:
//
//   expectResponseMatches("debt-positions", "GET", "/organizations/{organizationfiscalcode}/debtpositions/{iupd}",
//     response.status, await response.json(), response.headers.get("content-type"));
//
// or let it read the fetch Response for you: `const r = await readCheckedResponse("debt-positions", "POST",
// "/organizations/{organizationfiscalcode}/debtpositions", await fetch(...))` → { status, body, text, ... }.
//
// It fails (throws, so jest reports it) when the operation is not documented, the status is not documented for it,
// the content type differs from the documented one, or the body does not validate. Responses are checked strictly:
// an object may carry only the properties its schema lists (a field the document does not name is a leak or a
// document to update), and writeOnly properties must be absent; readOnly properties are expected in responses.
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

export const apiDocumentNames = [
  "debt-positions",
  "receipts",
  "reporting",
  "uploads",
  "reconciliation",
  "notices",
  "events",
] as const;
export type ApiDocumentName = (typeof apiDocumentNames)[number];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = Record<string, Json>;

interface MediaType {
  schema?: JsonObject;
}
export interface ResponseObject {
  description?: string;
  headers?: Record<string, JsonObject>;
  content?: Record<string, MediaType>;
  $ref?: string;
}
export interface OperationObject {
  operationId?: string;
  responses: Record<string, ResponseObject>;
  parameters?: JsonObject[];
  requestBody?: JsonObject;
  [extension: string]: unknown;
}
export interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export const httpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export const openApiDirectory = path.resolve(__dirname, "../../openapi");

const documentCache = new Map<ApiDocumentName, OpenApiDoc>();

/** The document as written in openapi/<name>.json (read once per worker). */
export function loadApiDocument(name: ApiDocumentName): OpenApiDoc {
  let doc = documentCache.get(name);
  if (doc === undefined) {
    doc = JSON.parse(readFileSync(path.join(openApiDirectory, `${name}.json`), "utf8")) as OpenApiDoc;
    documentCache.set(name, doc);
  }
  return doc;
}

const schemaId = (name: ApiDocumentName) => `https://gpd.local/openapi/${name}.json`;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A copy of the document made for response validation: local `#/…` refs made absolute (so a schema compiled on its
 * own still resolves them against the document), objects with listed properties closed (additionalProperties:
 * false unless the document says otherwise), writeOnly properties removed from what a response may carry.
 */
function responseView(doc: OpenApiDoc, id: string): OpenApiDoc {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = key === "$ref" && typeof value === "string" && value.startsWith("#") ? `${id}${value}` : walk(value);
    }
    if (out.type === "object" && isObject(out.properties)) {
      const properties = out.properties;
      for (const [name, schema] of Object.entries(properties)) {
        if (isObject(schema) && schema.writeOnly === true) Reflect.deleteProperty(properties, name);
      }
      if (Array.isArray(out.required)) {
        out.required = out.required.filter((name) => typeof name === "string" && name in properties);
      }
      if (!("additionalProperties" in out)) out.additionalProperties = false;
    }
    return out;
  };
  return walk(doc) as OpenApiDoc;
}

interface Compiled {
  ajv: Ajv;
  view: OpenApiDoc;
  validators: Map<string, ValidateFunction>;
}
const compiledCache = new Map<ApiDocumentName, Compiled>();

function compiled(name: ApiDocumentName): Compiled {
  let entry = compiledCache.get(name);
  if (entry === undefined) {
    const id = schemaId(name);
    const view = responseView(loadApiDocument(name), id);
    // strict: false — OpenAPI keywords (example, x-…, discriminator-free) are not JSON Schema; nullable is ajv's own.
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(view, id);
    entry = { ajv, view, validators: new Map() };
    compiledCache.set(name, entry);
  }
  return entry;
}

/** Follows a `#/components/…` (or absolute `<id>#/components/…`) reference inside the document. */
export function resolveRef<T>(doc: OpenApiDoc, value: T | { $ref: string }): T {
  let current: unknown = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
    if (hops > 10) throw new Error(`reference loop at ${current.$ref}`);
    const pointer = current.$ref.slice(current.$ref.indexOf("#") + 1);
    let target: unknown = doc;
    for (const part of pointer.split("/").slice(1)) {
      const key = decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~");
      target = isObject(target) ? target[key] : undefined;
    }
    if (target === undefined) throw new Error(`unresolved reference ${current.$ref}`);
    current = target;
  }
  return current as T;
}

const segments = (p: string) => p.split("/").filter((s) => s.length > 0);

/**
 * The documented path template for `pathOrTemplate`: itself when documented, otherwise the template a concrete path
 * (query string ignored) matches, literals beating parameters (`…/debtpositions/bulk` is not `…/{iupd}`).
 */
export function findPathTemplate(doc: OpenApiDoc, pathOrTemplate: string): string | undefined {
  if (pathOrTemplate in doc.paths) return pathOrTemplate;
  const concrete = segments(decodeURI(pathOrTemplate.split("?")[0] ?? ""));
  let best: { template: string; literals: number } | undefined;
  for (const template of Object.keys(doc.paths)) {
    const parts = segments(template);
    if (parts.length !== concrete.length) continue;
    let literals = 0;
    const matches = parts.every((part, i) => {
      if (/^\{[^}]+\}$/.test(part)) return (concrete[i] ?? "").length > 0;
      literals++;
      return part === concrete[i];
    });
    if (matches && (best === undefined || literals > best.literals)) best = { template, literals };
  }
  return best?.template;
}

export interface DocumentedOperation {
  template: string;
  method: string;
  operation: OperationObject;
}

/** The operation for a method and a path (template or concrete), or a readable error. */
export function findOperation(name: ApiDocumentName, method: string, pathOrTemplate: string): DocumentedOperation {
  const doc = loadApiDocument(name);
  const lower = method.toLowerCase();
  const template = findPathTemplate(doc, pathOrTemplate);
  const item = template === undefined ? undefined : doc.paths[template];
  const operation = item?.[lower] as OperationObject | undefined;
  if (template === undefined || operation === undefined) {
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops)
        .filter((m) => (httpMethods as readonly string[]).includes(m))
        .map((m) => `${m.toUpperCase()} ${p}`),
    );
    throw new Error(
      `${method.toUpperCase()} ${pathOrTemplate} is not an operation of openapi/${name}.json.\n` +
        `Documented operations:\n  ${documented.join("\n  ")}`,
    );
  }
  return { template, method: lower, operation };
}

const baseMediaType = (contentType: string | null | undefined): string | undefined =>
  contentType?.split(";")[0]?.trim().toLowerCase() || undefined;

const MAX_BODY_SHOWN = 1500;
const showBody = (body: unknown): string => {
  const text =
    typeof body === "string" ? body : ((JSON.stringify(body, null, 2) as string | undefined) ?? String(body));
  return text.length > MAX_BODY_SHOWN ? `${text.slice(0, MAX_BODY_SHOWN)}… (${text.length} characters)` : text;
};

const describeErrors = (errors: readonly ErrorObject[] | null | undefined): string =>
  (errors ?? [])
    .slice(0, 20)
    .map((e) => {
      const where = e.instancePath === "" ? "(body)" : e.instancePath;
      const extra =
        e.keyword === "additionalProperties"
          ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
          : e.keyword === "enum"
            ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`
            : "";
      return `  ${where}: ${e.message ?? e.keyword}${extra}`;
    })
    .join("\n");

const isEmptyBody = (body: unknown) => body === undefined || body === null || body === "";

/**
 * Fails unless `status` is documented for the operation, `contentType` is its documented media type, and `body`
 * validates against the documented schema.
 * - `pathTemplate`: the documented template (`/organizations/{organizationfiscalcode}/debtpositions/{iupd}`) or the
 *   concrete path that was called (`/organizations/77777777777/debtpositions/A-1`).
 * - `body`: the parsed JSON for JSON media types (what `response.json()` gives), the text for others (XML), and
 *   `undefined` (or "") when the response has no body.
 * - `contentType`: the response's `Content-Type` header as received (parameters such as charset are ignored).
 */
// The official SANP 3.6.1 contract of the debt-position API (test/contract/official): every debt-position response
// is also checked against it, where it documents the operation and status. Its objects stay open (our documented
// extensions, such as payStandIn, are allowed) and its media type for errors is not enforced (we answer
// application/problem+json, as docs/domain/api-surface.md requires).
const officialId = "https://gpd.local/official/openapi-gpd.json";
let official: { ajv: Ajv; doc: OpenApiDoc; validators: Map<string, ValidateFunction> } | undefined;

export function expectOfficialContractMatches(method: string, template: string, status: number, body: unknown): void {
  if (official === undefined) {
    const raw = readFileSync(path.resolve(__dirname, "../contract/official/openapi-gpd.json"), "utf8");
    const doc = JSON.parse(raw.replace(/"#\/components/g, `"${officialId}#/components`)) as OpenApiDoc;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, officialId);
    official = { ajv, doc, validators: new Map() };
  }
  const operation = official.doc.paths[`/${template.replace(/^\//, "")}`]?.[method.toLowerCase()] as
    OperationObject | undefined;
  const response = operation?.responses[String(status)];
  if (operation === undefined || response === undefined) return;
  const resolved = resolveRef<ResponseObject>(official.doc, response);
  const schema = Object.values(resolved.content ?? {})[0]?.schema;
  if (schema === undefined || isEmptyBody(body)) return;
  const key = `${method} ${template} ${String(status)}`;
  let validate = official.validators.get(key);
  if (validate === undefined) {
    validate = official.ajv.compile(schema);
    official.validators.set(key, validate);
  }
  if (!validate(body)) {
    throw new Error(
      `${method.toUpperCase()} ${template} ${status}: the body does not match the official contract (openapi-gpd.json):\n` +
        `${describeErrors(validate.errors)}\nBody: ${showBody(body)}`,
    );
  }
}

export function expectResponseMatches(
  doc: ApiDocumentName,
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
  contentType: string | null | undefined,
): void {
  const { template, method: lower, operation } = findOperation(doc, method, pathTemplate);
  if (doc === "debt-positions") expectOfficialContractMatches(lower, template, status, body);
  const label = `${lower.toUpperCase()} ${template} (${operation.operationId ?? "no operationId"}, openapi/${doc}.json)`;
  const { view, ajv, validators } = compiled(doc);
  const documentedStatuses = Object.keys(operation.responses);
  const rawResponse = operation.responses[String(status)] ?? operation.responses.default;
  if (rawResponse === undefined) {
    throw new Error(
      `${label} answered ${status}, which is not documented (documented: ${documentedStatuses.join(", ")}).\n` +
        `Content-Type: ${contentType ?? "(none)"}\nBody: ${showBody(body)}`,
    );
  }
  // The same response in the validation view (absolute refs, closed objects).
  const viewOperation = view.paths[template]?.[lower] as OperationObject;
  const response = resolveRef<ResponseObject>(
    view,
    viewOperation.responses[String(status)] ?? viewOperation.responses.default ?? rawResponse,
  );
  const content = response.content ?? {};
  const mediaTypes = Object.keys(content);
  if (mediaTypes.length === 0) {
    if (!isEmptyBody(body)) {
      throw new Error(
        `${label} ${status} is documented without a body, but one came (${contentType ?? "no Content-Type"}):\n${showBody(body)}`,
      );
    }
    return;
  }
  const received = baseMediaType(contentType);
  const media = mediaTypes.find((m) => m.toLowerCase() === received);
  if (received === undefined || media === undefined) {
    throw new Error(
      `${label} ${status}: Content-Type ${contentType ?? "(none)"} is not the documented ${mediaTypes.join(" or ")}.\n` +
        `Body: ${showBody(body)}`,
    );
  }
  const schema = content[media]?.schema;
  if (schema === undefined) return;
  const key = `${lower} ${template} ${String(status)} ${media}`;
  let validate = validators.get(key);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  if (!validate(body)) {
    throw new Error(
      `${label} ${status} ${media}: the body does not match the documented schema:\n${describeErrors(validate.errors)}\n` +
        `Body: ${showBody(body)}`,
    );
  }
}

export interface CheckedResponse<T = unknown> {
  status: number;
  contentType: string | null;
  requestId: string | null;
  /** Parsed JSON for JSON media types, the text otherwise, undefined when empty. */
  body: T;
  text: string;
}

/**
 * Reads a fetch Response, checks it with expectResponseMatches and that it carries X-Request-Id (documented on every
 * response), and returns what was read — for tests that want both the check and the body.
 */
export async function readCheckedResponse<T = unknown>(
  doc: ApiDocumentName,
  method: string,
  pathTemplate: string,
  response: Response,
): Promise<CheckedResponse<T>> {
  const text = await response.text();
  const contentType = response.headers.get("content-type");
  const requestId = response.headers.get("x-request-id");
  const media = baseMediaType(contentType);
  let body: unknown = text.length === 0 ? undefined : text;
  if (text.length > 0 && media !== undefined && /^application\/([\w.+-]+\+)?json$/.test(media)) {
    try {
      body = JSON.parse(text) as unknown;
    } catch (error) {
      throw new Error(
        `${method} ${pathTemplate} ${response.status}: ${contentType ?? ""} body is not JSON (${(error as Error).message}):\n${showBody(text)}`,
      );
    }
  }
  expectResponseMatches(doc, method, pathTemplate, response.status, body, contentType);
  if (requestId === null || requestId.length === 0) {
    throw new Error(`${method} ${pathTemplate} ${response.status}: the X-Request-Id header is missing`);
  }
  return { status: response.status, contentType, requestId, body: body as T, text };
}
