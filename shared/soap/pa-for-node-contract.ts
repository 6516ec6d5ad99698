// The paForNode contract as this service publishes it: openapi/soap/ holds pagoPA's WSDL and XSDs unchanged; when
// served, their schemaLocation attributes point at this same endpoint (`paForNode?xsd=<file>`, relative, so the
// links work behind any host or gateway path) and the WSDL's soap:address at the URL it was fetched from. A SOAP
// toolkit given `…/paForNode?wsdl` can then resolve every import and post to the right place.
import { readFileSync } from "node:fs";
import path from "node:path";

export const paForNodeSchemaFiles = ["paForNode.xsd", "sac-common-types-1.0.xsd"] as const;
const wsdlFile = "paForNode.wsdl";

export interface PaForNodeContract {
  /** The WSDL whose service address is `serviceUrl`. */
  wsdl(serviceUrl: string): string;
  /** One of the imported schemas by file name; undefined for any other name. */
  schema(name: string): string | undefined;
}

/** `schemaLocation="any/relative/path/file.xsd"` → `schemaLocation="paForNode?xsd=file.xsd"`. */
export function relinkSchemas(document: string): string {
  return document.replace(/schemaLocation="(?:[^"]*\/)?([^"/]+\.xsd)"/g, (whole, file: string) =>
    (paForNodeSchemaFiles as readonly string[]).includes(file) ? `schemaLocation="paForNode?xsd=${file}"` : whole,
  );
}

const escapeAttribute = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Reads the three documents once, at start-up: a missing file stops the app rather than the first node call. */
export function loadPaForNodeContract(directory: string): PaForNodeContract {
  const read = (file: string) => readFileSync(path.join(directory, file), "utf8");
  const wsdl = relinkSchemas(read(wsdlFile));
  const schemas = new Map<string, string>(
    paForNodeSchemaFiles.map((file) => [file, relinkSchemas(read(file))] as const),
  );
  return {
    wsdl: (serviceUrl) =>
      wsdl.replace(/(<soap:address\s+location=")[^"]*(")/, (_m, open: string, close: string) => {
        return `${open}${escapeAttribute(serviceUrl)}${close}`;
      }),
    schema: (name) => schemas.get(name),
  };
}
