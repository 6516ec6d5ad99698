// Pages only the local host serves, never deployed: GET /docs is Swagger UI (from the swagger-ui-dist package) over
// the app's own GET /openapi.json, so a developer can read and try the API in a browser. "Try it out" calls the local
// host itself (the document's server is http://localhost:7071); operations that need a key take it in "Authorize".
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { HttpResult, LocalPages } from "./http-server";

const assets: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>GPD API (local)</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/swagger-ui-standalone-preset.js"></script>
    <script src="/docs/start.js"></script>
  </body>
</html>
`;

const start = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout",
});
`;

function ok(contentType: string, body: Buffer | string): HttpResult {
  return {
    status: 200,
    headers: { "Content-Type": contentType, "Cache-Control": "no-cache" },
    body: typeof body === "string" ? Buffer.from(body) : body,
  };
}

/** GET /docs and its assets; undefined for any other request, which then goes to the app. */
export function localPages(): LocalPages {
  const distDirectory = path.dirname(createRequire(__filename).resolve("swagger-ui-dist/package.json"));
  const cache = new Map<string, Buffer>();
  const asset = (name: string) => {
    let content = cache.get(name);
    if (content === undefined) {
      content = readFileSync(path.join(distDirectory, name));
      cache.set(name, content);
    }
    return content;
  };
  return (method, segments) => {
    if (method !== "GET" && method !== "HEAD") return undefined;
    if (segments[0]?.toLowerCase() !== "docs") return undefined;
    if (segments.length === 1) return ok("text/html; charset=utf-8", page);
    const [, name, ...rest] = segments;
    if (rest.length > 0 || name === undefined) return undefined;
    if (name === "start.js") return ok("text/javascript; charset=utf-8", start);
    const contentType = assets[name];
    return contentType === undefined ? undefined : ok(contentType, asset(name));
  };
}
