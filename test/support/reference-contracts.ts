// Checks an answer against the reference's own documents (test/contract/official/, copied unchanged from pagoPA's
// current debt-position service): the external v1 and v2 APIs, the internal API and the payment-options service.
// As with openapi-gpd.json in openapi.ts, the reference's objects stay open (our documented extensions are allowed)
// and only statuses the reference documents are checked; our own document (expectResponseMatches) is the strict one.
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { resolveRef, type OpenApiDoc, type OperationObject, type ResponseObject } from "./openapi";

export const referenceDocuments = [
  "debt-position-openapi_external_v1.json",
  "debt-position-openapi_external_v2.json",
  "debt-position-openapi_internal_v1.json",
  "orgs_payment_options.json",
] as const;
export type ReferenceDocument = (typeof referenceDocuments)[number];

interface Loaded {
  ajv: Ajv;
  doc: OpenApiDoc;
  validators: Map<string, ValidateFunction>;
}
const loaded = new Map<ReferenceDocument, Loaded>();

function load(file: ReferenceDocument): Loaded {
  let entry = loaded.get(file);
  if (entry === undefined) {
    const id = `https://gpd.local/reference/${file}`;
    const raw = readFileSync(path.resolve(__dirname, "../contract/official", file), "utf8");
    const doc = JSON.parse(raw.replace(/"#\/components/g, `"${id}#/components`)) as OpenApiDoc;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, id);
    entry = { ajv, doc, validators: new Map() };
    loaded.set(file, entry);
  }
  return entry;
}

/**
 * Fails when the reference documents `method template` with `status` and a body schema, and `body` does not
 * validate; throws when the reference does not document the operation at all (a wrong pairing in a test).
 */
export function expectReferenceMatches(
  file: ReferenceDocument,
  method: string,
  template: string,
  status: number,
  body: unknown,
): void {
  const { ajv, doc, validators } = load(file);
  const operation = doc.paths[template]?.[method.toLowerCase()] as OperationObject | undefined;
  if (operation === undefined) throw new Error(`${method} ${template} is not an operation of ${file}`);
  const documented = operation.responses[String(status)];
  if (documented === undefined || body === undefined || body === "") return;
  const response = resolveRef<ResponseObject>(doc, documented);
  const schema = Object.values(response.content ?? {})[0]?.schema;
  if (schema === undefined) return;
  const key = `${method} ${template} ${String(status)}`;
  let validate = validators.get(key);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  if (!validate(body)) {
    const errors = (validate.errors ?? []).map((e) => `  ${e.instancePath || "(body)"}: ${e.message ?? e.keyword}`);
    throw new Error(
      `${method.toUpperCase()} ${template} ${status}: the body does not match ${file}:\n${errors.join("\n")}\n` +
        `Body: ${JSON.stringify(body).slice(0, 1500)}`,
    );
  }
}
