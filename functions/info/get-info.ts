// GET /info — who is answering: {name, version, environment}. Any valid key of this environment may call it.
import type { HttpHandler } from "@azure/functions";
import { endpoint, type HttpDeps } from "../../shared/http/endpoint";

export interface InfoDeps {
  http: HttpDeps;
  app: { name: string; version: string };
}

export const makeGetInfo = (deps: InfoDeps): HttpHandler =>
  endpoint(deps.http, { product: "any" }, () =>
    Promise.resolve({
      status: 200,
      jsonBody: { name: deps.app.name, version: deps.app.version, environment: deps.http.environment },
    }),
  );
