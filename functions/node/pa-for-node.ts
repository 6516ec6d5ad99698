// POST /paForNode — the payment node's SOAP 1.1 service (openapi/soap/paForNode.wsdl): paVerifyPaymentNotice,
// paGetPayment, paGetPaymentV2, paSendRT, paSendRTV2, chosen by the SOAPAction header or else by the Body's element.
// Only keys with the `node` product; faults are 200 with outcome KO, what is not a SOAP request is 400 + SOAP Fault.
import type { HttpHandler, HttpResponseInit } from "@azure/functions";
import type { PaForNodeService } from "../../shared/application/pa-for-node";
import { endpoint, type HttpDeps } from "../../shared/http/endpoint";
import { readNodeRequest, writeNodeResponse, writeSoapFault } from "../../shared/soap/pa-for-node-xml";
import { readSoapBody, soapResponse } from "./soap-http";

export interface PaForNodeHandlerDeps {
  http: HttpDeps;
  service: PaForNodeService;
}

export const makePaForNode = (deps: PaForNodeHandlerDeps): HttpHandler =>
  endpoint(deps.http, { product: "node", query: "any" }, async (scope): Promise<HttpResponseInit> => {
    const body = await readSoapBody(scope.request, deps.http.maxBodyBytes);
    if (body === undefined) {
      return soapResponse(400, writeSoapFault("Client", `too-large: the limit is ${deps.http.maxBodyBytes} bytes`));
    }
    const read = readNodeRequest(body, scope.request.headers.get("SOAPAction"), deps.http.maxBodyBytes);
    switch (read.kind) {
      case "not-soap":
        return soapResponse(400, writeSoapFault("Client", read.detail));
      case "refused":
        return soapResponse(200, writeNodeResponse(read.operation, { kind: "fault", fault: read.fault }));
      case "request": {
        const result = await deps.service.answer(read.request, body, scope.log);
        return soapResponse(200, writeNodeResponse(read.request.operation, result));
      }
    }
  });
