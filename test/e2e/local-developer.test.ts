// What a developer meets on the local host running the compiled app: GET /health without a key (and DOWN with a 503
// when a store does not answer), and, with the sample settings' PUBLIC_API_DOCS, the API documents and Swagger UI on
// GET /docs without a key. The test host itself runs as in Azure (PUBLIC_API_DOCS=false).
import { freePort } from "../../local/processes";
import { startExtraHost, testBaseUrl } from "../support/stack";

const baseUrl = (): string => {
  const url = testBaseUrl();
  if (url === undefined) throw new Error("no test host: run `npm run build` first");
  return url;
};

describe("GET /health", () => {
  it("answers without a key: the app is up and both stores answer, no data", async () => {
    const response = await fetch(`${baseUrl()}/health`, { headers: { "X-Request-Id": "health-1" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("health-1");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "UP", checks: { cosmos: "UP", blob: "UP" } });
  });

  describe("with Cosmos unreachable", () => {
    let host: { url: string; close(): Promise<void> } | undefined;

    beforeAll(async () => {
      // Nothing listens on a port just found free.
      host = await startExtraHost({ COSMOS_ENDPOINT: `http://127.0.0.1:${await freePort()}` });
    }, 60_000);

    afterAll(async () => {
      await host?.close();
    });

    it("answers 503 DOWN naming the store, with Retry-After, and leaks no reason", async () => {
      const response = await fetch(`${host?.url ?? ""}/health`);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await response.json()).toEqual({ status: "DOWN", checks: { cosmos: "DOWN", blob: "UP" } });
    });
  });
});

describe("API documents on the local host", () => {
  it("GET /openapi.json needs a key as in Azure when PUBLIC_API_DOCS is not set", async () => {
    expect((await fetch(`${baseUrl()}/openapi.json`)).status).toBe(401);
  });

  describe("with the sample settings (PUBLIC_API_DOCS=true)", () => {
    let host: { url: string; close(): Promise<void> } | undefined;

    beforeAll(async () => {
      host = await startExtraHost({ PUBLIC_API_DOCS: "true" });
    }, 60_000);

    afterAll(async () => {
      await host?.close();
    });

    it("serves /openapi.json without a key", async () => {
      const response = await fetch(`${host?.url ?? ""}/openapi.json`);
      expect(response.status).toBe(200);
      const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
      expect(document.openapi).toMatch(/^3\.0\./);
      expect(Object.keys(document.paths)).toContain("/organizations/{organizationfiscalcode}/debtpositions");
    });

    it("serves Swagger UI on /docs, reading /openapi.json", async () => {
      const page = await fetch(`${host?.url ?? ""}/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('<div id="swagger-ui"></div>');
      for (const asset of ["/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/start.js"]) {
        expect(html).toContain(asset);
        const response = await fetch(`${host?.url ?? ""}${asset}`);
        expect([asset, response.status]).toEqual([asset, 200]);
      }
      expect(await (await fetch(`${host?.url ?? ""}/docs/start.js`)).text()).toContain('url: "/openapi.json"');
      expect((await fetch(`${host?.url ?? ""}/docs/package.json`)).status).toBe(404);
    });
  });
});
