// HTTP details shared by the paForNode functions: SOAP 1.1 is text/xml, and the body is read under the app's limit
// before any parsing (the safe XML parser checks the size again).
import type { HttpRequest, HttpResponseInit } from "@azure/functions";

export const soapContentType = "text/xml; charset=utf-8";

export const soapResponse = (status: number, xml: string): HttpResponseInit => ({
  status,
  body: xml,
  headers: { "Content-Type": soapContentType },
});

/** The body's bytes, or undefined when it is over `maxBytes`. */
export async function readSoapBody(request: HttpRequest, maxBytes: number): Promise<Buffer | undefined> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return undefined;
  const bytes = Buffer.from(await request.arrayBuffer());
  return bytes.length > maxBytes ? undefined : bytes;
}
