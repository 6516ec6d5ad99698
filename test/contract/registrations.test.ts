// Every HTTP function the composition root registers is documented in openapi/*.json, and every documented
// operation is registered — same route template and method. functions/index.ts is loaded under jest, where
// `@azure/functions-core` is the recording stand-in of local/host (jest.config.js moduleNameMapper).
import { readFileSync } from "node:fs";
import path from "node:path";
import { registeredFunctions } from "../../local/host/functions-core";
import { apiDocumentNames, httpMethods, loadApiDocument, type ApiDocumentName } from "../support/openapi";
import { repositoryRoot, testSettings } from "../support/stack";

interface Operation {
  method: string;
  path: string;
}

const key = (o: Operation) => `${o.method} ${o.path}`;

/**
 * Documented, implemented by another area and not registered yet. An operation listed here is only excused while
 * it is unregistered: once registered it is checked like any other (remove it from here then).
 */
const notYetRegistered: readonly string[] = [];

/**
 * Operational endpoints outside the business API: not in openapi/*.json (no key, not published by API Management).
 * GET /health is the app's liveness for probes and people (functions/health/get-health.ts). The payment node's SOAP
 * service and its contract documents are described by openapi/soap/paForNode.wsdl, not OpenAPI.
 */
const operationalEndpoints: readonly string[] = ["GET /health", "POST /paForNode", "GET /paForNode"];

/** host.json `extensions.http.routePrefix` ("api" when absent, as in Azure); ours is empty (docs/domain/api-surface.md). */
function routePrefix(): string {
  const host = JSON.parse(readFileSync(path.join(repositoryRoot, "host.json"), "utf8")) as {
    extensions?: { http?: { routePrefix?: unknown } };
  };
  const prefix = host.extensions?.http?.routePrefix;
  return typeof prefix === "string" ? prefix.replace(/^\/+|\/+$/g, "") : "api";
}

/** ASP.NET route template → OpenAPI path: leading slash, `{p:int}`/`{p?}`/`{*p}` → `{p}`. */
function toOpenApiPath(route: string, prefix: string): string {
  const full = [prefix, route.replace(/^\/+/, "")].filter((s) => s !== "").join("/");
  return `/${full.replace(/\{\*?([A-Za-z_]\w*)(?::[^}]*)?\??\}/g, "{$1}")}`;
}

function registeredHttpOperations(): Operation[] {
  const prefix = routePrefix();
  return registeredFunctions().flatMap(({ metadata }) =>
    Object.values(metadata.bindings)
      .filter((b) => b.type === "httpTrigger")
      .flatMap((b) => {
        const route = typeof b.route === "string" ? b.route : metadata.name;
        const methods = Array.isArray(b.methods) ? (b.methods as string[]) : ["GET", "POST"];
        return methods.map((m) => ({ method: m.toUpperCase(), path: toOpenApiPath(route, prefix) }));
      }),
  );
}

function documentedOperations(): (Operation & { doc: ApiDocumentName })[] {
  return apiDocumentNames.flatMap((doc) =>
    Object.entries(loadApiDocument(doc).paths).flatMap(([p, item]) =>
      Object.keys(item)
        .filter((m) => (httpMethods as readonly string[]).includes(m))
        .map((m) => ({ doc, method: m.toUpperCase(), path: p })),
    ),
  );
}

describe("registered HTTP functions ⇄ openapi/*.json", () => {
  let registered: Operation[];

  beforeAll(async () => {
    // loadConfig reads process.env: give this worker the settings the test host runs with.
    Object.assign(process.env, testSettings());
    await import("../../functions/index");
    registered = registeredHttpOperations();
  });

  it("registers HTTP functions at all (the recording functions-core is in use)", () => {
    expect(registered.length).toBeGreaterThan(0);
  });

  it("converts route templates the way the host reads them", () => {
    expect(toOpenApiPath("organizations/{organizationfiscalcode}/debtpositions/{iupd}", "")).toBe(
      "/organizations/{organizationfiscalcode}/debtpositions/{iupd}",
    );
    expect(toOpenApiPath("/a/{id:int:min(1)}/{rest?}/{*tail}", "api")).toBe("/api/a/{id}/{rest}/{tail}");
  });

  it("documents every registered route and method", () => {
    const documented = new Set(documentedOperations().map(key));
    const undocumented = registered.map(key).filter((k) => !documented.has(k) && !operationalEndpoints.includes(k));
    expect(undocumented).toEqual([]);
  });

  it("registers every documented route and method (except the ones listed as not yet registered)", () => {
    const live = new Set(registered.map(key));
    const missing = documentedOperations()
      .filter((o) => !live.has(key(o)) && !notYetRegistered.includes(key(o)))
      .map((o) => `${key(o)} (openapi/${o.doc}.json)`);
    expect(missing).toEqual([]);
  });

  it("lists as not yet registered only operations that the documents do have", () => {
    const documented = new Set(documentedOperations().map(key));
    expect(notYetRegistered.filter((k) => !documented.has(k))).toEqual([]);
  });

  it("registers the SOAP routes that the WSDL describes, and the WSDL is there", () => {
    const live = new Set(registered.map(key));
    expect(["POST /paForNode", "GET /paForNode"].filter((k) => !live.has(k))).toEqual([]);
    const wsdl = readFileSync(path.join(repositoryRoot, "openapi", "soap", "paForNode.wsdl"), "utf8");
    expect(wsdl).toContain('<wsdl:service name="paForNodeService">');
  });

  it("registers each route and method once", () => {
    const keys = registered.map(key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});
