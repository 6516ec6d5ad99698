// GET /paForNode?wsdl and GET /paForNode?xsd=<file> — the service's WSDL and the schemas it imports, for SOAP
// toolkits to build a client from. The contract is public (pagoPA publishes it), so no key is asked for; the
// operations themselves need a `node` key.
import type { HttpHandler, HttpRequest, HttpResponseInit } from "@azure/functions";
import type { PaForNodeContract } from "../../shared/soap/pa-for-node-contract";
import { problem } from "../../shared/http/problem";
import { soapContentType } from "./soap-http";

export const makeGetPaForNodeContract =
  (deps: { contract: PaForNodeContract }): HttpHandler =>
  (request: HttpRequest): Promise<HttpResponseInit> => {
    const xsd = request.query.get("xsd");
    if (xsd !== null) {
      const schema = deps.contract.schema(xsd);
      return Promise.resolve(
        schema === undefined
          ? problem(404, "Not Found", `No schema ${JSON.stringify(xsd.slice(0, 100))}: ?wsdl lists the ones served.`)
          : { status: 200, body: schema, headers: { "Content-Type": soapContentType } },
      );
    }
    // Toolkits ask for ?wsdl, ?WSDL or ?wsdl=…: any spelling of the key will do.
    if ([...request.query.keys()].some((k) => k.toLowerCase() === "wsdl")) {
      const url = new URL(request.url);
      const serviceUrl = `${url.origin}${url.pathname}`;
      return Promise.resolve({
        status: 200,
        body: deps.contract.wsdl(serviceUrl),
        headers: { "Content-Type": soapContentType },
      });
    }
    return Promise.resolve(problem(400, "BAD REQUEST", "Ask for ?wsdl, or ?xsd=<file> for a schema it imports."));
  };
