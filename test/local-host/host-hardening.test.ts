// The local host as a developer runs it: only this machine can reach it by default, browsers cannot run its admin
// endpoints, a body is refused at the app's own limit while it streams in, and the host's own answers follow the
// app's X-Request-Id rule.
import http from "node:http";
import os from "node:os";
import { startFixtureHost, type FixtureHost } from "./fixture-host";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const bodyLimit = 2048;
/** The app's ZIP limit: multipart bodies (its uploads) may be that large plus 64 KiB of framing, nothing else. */
const formZipLimit = 4096;

let fixture: FixtureHost;
let url: string;

beforeAll(async () => {
  // No `host` option: the default address is under test. MAX_BODY_BYTES is the app's setting the host follows.
  fixture = await startFixtureHost({
    host: undefined,
    env: { MAX_BODY_BYTES: String(bodyLimit), UPLOAD_MAX_ZIP_BYTES: String(formZipLimit) },
  });
  url = fixture.host.url;
});

afterAll(async () => {
  await fixture.host.close();
});

describe("binding", () => {
  test("the host listens on 127.0.0.1 unless told otherwise", async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = new URL(url).port;
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i !== undefined && i.family === "IPv4" && !i.internal)?.address;
    // Where the machine has another interface, the host must not answer on it.
    const target = external ?? "127.0.0.2";
    await expect(fetch(`http://${target}:${port}/echo/1`)).rejects.toThrow();
  });
});

describe("admin endpoints and browsers", () => {
  test("a request with an Origin header is refused with 403 and runs nothing", async () => {
    const before = (await fixture.state()).queueMessages.length;
    const response = await fetch(`${url}/admin/functions/queueLike`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "text/plain" },
      body: JSON.stringify({ input: "from a web page" }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fixture.state()).queueMessages).toHaveLength(before);

    const withoutOrigin = await fetch(`${url}/admin/functions/queueLike`, { method: "POST" });
    expect(withoutOrigin.status).toBe(202);
  });
});

/** Sends `first` bytes of a chunked body (no Content-Length) and waits for the answer without ending the request. */
function answerWhileStillSending(path: string, first: number): Promise<{ status: number; connection?: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" } });
    request.on("response", (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, connection: response.headers.connection });
      request.destroy();
    });
    request.on("error", reject);
    request.write(Buffer.alloc(first, 0x20));
  });
}

describe("request bodies", () => {
  test("a declared body over the app's MAX_BODY_BYTES is refused at once with 413", async () => {
    const response = await fetch(`${url}/shapes/binary`, { method: "POST", body: Buffer.alloc(bodyLimit + 1) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: 413, title: "Payload Too Large" });
    const fits = await fetch(`${url}/shapes/binary`, { method: "POST", body: Buffer.alloc(bodyLimit) });
    expect(fits.status).toBe(200);
  });

  test("only a multipart/form-data body may go beyond MAX_BODY_BYTES, up to the app's ZIP limit", async () => {
    const form = { "content-type": "multipart/form-data; boundary=x" };
    const big = Buffer.alloc(bodyLimit * 2);
    expect((await fetch(`${url}/shapes/binary`, { method: "POST", headers: form, body: big })).status).toBe(200);
    const json = { "content-type": "application/json" };
    expect((await fetch(`${url}/shapes/binary`, { method: "POST", headers: json, body: big })).status).toBe(413);
    const beyond = Buffer.alloc(formZipLimit + 64 * 1024 + 1);
    expect((await fetch(`${url}/shapes/binary`, { method: "POST", headers: form, body: beyond })).status).toBe(413);
  });

  test("a streamed body is refused as soon as it passes the limit, before the client has finished sending", async () => {
    const answer = await answerWhileStillSending("/shapes/binary", bodyLimit + 100);
    expect(answer).toEqual({ status: 413, connection: "close" });
  });

  test("an unknown path is 404 without reading the body", async () => {
    const answer = await answerWhileStillSending("/no/such/function", 10);
    expect(answer).toEqual({ status: 404, connection: "close" });
  });
});

describe("X-Request-Id on the host's own answers", () => {
  test.each([
    ["a safe id is echoed", "req-42.abc:x@y", true],
    ["markup is replaced", "<script>alert(1)</script>", false],
    ["a 15,000-character id is replaced", "a".repeat(15_000), false],
    ["an id with spaces is replaced", "two words", false],
  ])("%s", async (_, id, echoed) => {
    for (const response of [
      await fetch(`${url}/nothing/here`, { headers: { "x-request-id": id } }),
      await fetch(`${url}/defaultRoute`, { method: "DELETE", headers: { "x-request-id": id } }),
      await fetch(`${url}/shapes/binary`, {
        method: "POST",
        headers: { "x-request-id": id },
        body: Buffer.alloc(bodyLimit + 1),
      }),
    ]) {
      expect([404, 405, 413]).toContain(response.status);
      const answered = response.headers.get("x-request-id");
      if (echoed) expect(answered).toBe(id);
      else expect(answered).toMatch(uuidPattern);
    }
  });
});

describe("CORS from local.settings.json Host.CORS", () => {
  let withCors: FixtureHost;

  beforeAll(async () => {
    withCors = await startFixtureHost({ cors: { origins: ["http://localhost:3000"], credentials: true } });
  });

  afterAll(async () => {
    await withCors.host.close();
  });

  test("a preflight from an allowed origin is answered with the requested method and headers", async () => {
    const response = await fetch(`${withCors.host.url}/echo/1`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:3000",
        "access-control-request-method": "PUT",
        "access-control-request-headers": "content-type,ocp-apim-subscription-key",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(response.headers.get("access-control-allow-methods")).toBe("PUT");
    expect(response.headers.get("access-control-allow-headers")).toBe("content-type,ocp-apim-subscription-key");
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
  });

  test("the real request carries the CORS headers; another origin gets none", async () => {
    const allowed = await fetch(`${withCors.host.url}/echo/1`, { headers: { origin: "http://localhost:3000" } });
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(allowed.headers.get("vary")).toBe("Origin");

    const other = await fetch(`${withCors.host.url}/echo/1`, { headers: { origin: "https://elsewhere.example" } });
    expect(other.status).toBe(201);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(`${withCors.host.url}/echo/1`, {
      method: "OPTIONS",
      headers: { origin: "https://elsewhere.example", "access-control-request-method": "GET" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("the admin endpoints get no CORS answer, even from an allowed origin", async () => {
    const preflight = await fetch(`${withCors.host.url}/admin/functions/queueLike`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:3000", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    expect(preflight.status).toBe(403);
  });

  test("without Host.CORS a preflight is not answered as CORS", async () => {
    const response = await fetch(`${url}/echo/1`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:3000", "access-control-request-method": "GET" },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("one log line per request", () => {
  test("method, path without the query string, status, duration and request id; no 'Succeeded'", async () => {
    const before = fixture.logs.length;
    await fetch(`${url}/nothing/here?subscription-key=secret`, { headers: { "x-request-id": "line-1" } });
    await fetch(`${url}/shapes/text`);
    const lines = fixture.logs.slice(before).filter((e) => e.category === "host");
    expect(lines.map((e) => e.fields)).toEqual([
      { method: "GET", path: "/nothing/here", status: 404, durationMs: expect.any(Number), requestId: "line-1" },
      { method: "GET", path: "/shapes/text", status: 418, durationMs: expect.any(Number), requestId: "-" },
    ]);
    expect(lines[0]?.message).toMatch(/^GET \/nothing\/here 404 \d+ms requestId=line-1$/);
    expect(lines[1]).toMatchObject({ functionName: "textBody", level: "information" });
    expect(JSON.stringify(fixture.logs)).not.toContain("secret");
  });
});
