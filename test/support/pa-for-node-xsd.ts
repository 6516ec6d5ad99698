// An independent check of our SOAP answers: libxml2 (xmllint-wasm) validates the Body's element against the official
// paForNode.xsd + sac-common-types-1.0.xsd kept in openapi/soap/, so "follows the XSD" is not our own parser's opinion.
import { readFileSync } from "node:fs";
import path from "node:path";
import { validateXML } from "xmllint-wasm";
import { repositoryRoot } from "./stack";

const soapDirectory = path.join(repositoryRoot, "openapi", "soap");
const common = readFileSync(path.join(soapDirectory, "sac-common-types-1.0.xsd"), "utf8");
// The import's relative path points into pagoPA's repository layout; here both files sit side by side.
const paForNode = readFileSync(path.join(soapDirectory, "paForNode.xsd"), "utf8").replace(
  /schemaLocation="[^"]*sac-common-types-1\.0\.xsd"/,
  'schemaLocation="sac-common-types-1.0.xsd"',
);

/** The single element inside soapenv:Body, as a standalone document (namespace declarations copied down). */
export function bodyElementOf(envelope: string): string {
  const m = /<([\w-]+:)?Body[^>]*>([\s\S]*)<\/([\w-]+:)?Body>/.exec(envelope);
  if (m?.[2] === undefined) throw new Error(`no SOAP Body in ${envelope.slice(0, 200)}`);
  return m[2].trim();
}

/** The validation errors of the response's Body element; empty when it follows the XSD. */
export async function xsdErrorsOf(envelope: string): Promise<string[]> {
  const result = await validateXML({
    xml: { fileName: "response.xml", contents: bodyElementOf(envelope) },
    schema: { fileName: "paForNode.xsd", contents: paForNode },
    preload: [{ fileName: "sac-common-types-1.0.xsd", contents: common }],
  });
  return result.errors.map((e) => e.rawMessage);
}
