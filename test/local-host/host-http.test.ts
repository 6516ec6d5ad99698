// The local host over real HTTP: routing from the app's own registrations, request/response conversion through the
// library, ProblemJson for 404/405/413, the admin endpoints and invocation logging.
import { startFixtureHost, waitFor, type FixtureHost } from "./fixture-host";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let fixture: FixtureHost;
let url: string;

beforeAll(async () => {
  fixture = await startFixtureHost();
  url = fixture.host.url;
});

afterAll(async () => {
  await fixture.host.close();
});

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

async function expectProblem(response: Response, status: number): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = await json(response);
  expect(body).toEqual({ title: expect.any(String), status, detail: expect.any(String) });
  return body;
}

describe("request and response conversion", () => {
  test("route params, query, headers and raw body reach the handler; status, headers and cookies come back", async () => {
    const response = await fetch(`${url}/echo/42/alice?tag=a&tag=b&page=3`, {
      method: "POST",
      headers: { "x-custom": "custom-value", "content-type": "text/plain" },
      body: "hello body",
    });

    expect(response.status).toBe(201);
    expect(response.headers.get("x-echo")).toBe("yes");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.getSetCookie()).toEqual(["session=abc; Path=/; HttpOnly"]);
    const body = await json(response);
    expect(body).toMatchObject({
      method: "POST",
      url: `${url}/echo/42/alice?tag=a&tag=b&page=3`,
      params: { id: "42", name: "alice" },
      query: ["a", "b"],
      page: "3",
      header: "custom-value",
      body: "hello body",
      functionName: "echoNamed",
    });
    expect(body.invocationId).toMatch(uuidPattern);
  });

  test("literal segments match case-insensitively", async () => {
    const response = await fetch(`${url}/ECHO/7`);
    expect(response.status).toBe(201);
    expect((await json(response)).params).toEqual({ id: "7" });
  });

  test("percent-encoded segments are decoded before they reach the handler", async () => {
    const response = await fetch(`${url}/echo/1/a%20b%2Fc`);
    expect((await json(response)).params).toEqual({ id: "1", name: "a b/c" });
  });

  test("a string body keeps the handler's status and content type", async () => {
    const response = await fetch(`${url}/shapes/text`);
    expect(response.status).toBe(418);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe("short and stout");
  });

  test("binary bodies round-trip byte for byte", async () => {
    const sent = Buffer.from([0, 1, 2, 250, 255]);
    const response = await fetch(`${url}/shapes/binary`, { method: "POST", body: sent });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([255, 250, 2, 1, 0]));
  });

  test("a handler that returns nothing gives an empty 200", async () => {
    const response = await fetch(`${url}/shapes/nothing`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  test("a handler that throws gives a bare 500 and the error is logged", async () => {
    const response = await fetch(`${url}/shapes/throws`);
    expect(response.status).toBe(500);
    expect(await response.text()).toBe("");
    expect(
      fixture.logs.some(
        (e) => e.functionName === "throws" && e.level === "error" && e.message.includes("handler exploded"),
      ),
    ).toBe(true);
  });
});

describe("routing", () => {
  test.each([
    ["defaultroute", { which: "defaultRoute", method: "GET" }],
    ["organizations/1/debtpositions/A", { which: "iupd", fc: "1", iupd: "A" }],
  ])("GET /%s is served by the matching template", async (path, expected) => {
    const response = await fetch(`${url}/${path}`);
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual(expected);
  });

  test.each(["echo", "echo/1/2/3", "nope", "organizations//debtpositions/A"])(
    "GET /%s matches no template: 404",
    async (path) => {
      await expectProblem(await fetch(`${url}/${path}`), 404);
    },
  );

  test("a literal segment beats a parameter, whatever the registration order", async () => {
    const bulk = await fetch(`${url}/organizations/77777777777/debtpositions/bulk`, { method: "POST" });
    expect(await json(bulk)).toEqual({ which: "bulk", fc: "77777777777" });

    // The literal route does not accept GET, so the parameter route takes it, as ASP.NET routing does.
    const byIupd = await fetch(`${url}/organizations/77777777777/debtpositions/bulk`);
    expect(await json(byIupd)).toEqual({ which: "iupd", fc: "77777777777", iupd: "bulk" });
  });

  test("a path that matches with the wrong method is a 405 listing the allowed methods", async () => {
    const response = await fetch(`${url}/organizations/77777777777/debtpositions/IUPD-1`, { method: "POST" });
    await expectProblem(response, 405);
    expect(response.headers.get("allow")).toBe("DELETE, GET, PUT");
    expect(response.headers.get("x-request-id")).toMatch(uuidPattern);
  });

  test("the default methods are GET and POST", async () => {
    const response = await fetch(`${url}/defaultRoute`, { method: "DELETE" });
    await expectProblem(response, 405);
    expect(response.headers.get("allow")).toBe("GET, POST");
  });

  test("404 echoes the caller's X-Request-Id", async () => {
    const response = await fetch(`${url}/nothing/here`, { headers: { "x-request-id": "req-123" } });
    await expectProblem(response, 404);
    expect(response.headers.get("x-request-id")).toBe("req-123");
  });

  test("the function list says what each registration is", () => {
    const byName = new Map(fixture.host.functions.map((f) => [f.name, f]));
    expect(byName.get("echo")).toMatchObject({
      kind: "http",
      route: "echo/{id}",
      methods: ["GET", "POST", "PUT"],
    });
    expect(byName.get("defaultRoute")).toMatchObject({ kind: "http", route: "defaultRoute", methods: ["GET", "POST"] });
    expect(byName.get("everySecond")).toMatchObject({ kind: "timer", schedule: "* * * * * *" });
    expect(byName.get("queueLike")).toMatchObject({ kind: "queue", queueName: "samples" });
    expect(byName.get("queueLike")?.error).toContain("Storage account connection 'SAMPLE_QUEUE' does not exist");
  });
});

describe("body limit", () => {
  test("a body over the limit is refused with 413 before the app sees it", async () => {
    const small = await startFixtureHost({ maxRequestBodyBytes: 1024 });
    try {
      const response = await fetch(`${small.host.url}/shapes/binary`, { method: "POST", body: Buffer.alloc(4096) });
      await expectProblem(response, 413);
      const fits = await fetch(`${small.host.url}/shapes/binary`, { method: "POST", body: Buffer.alloc(1024) });
      expect(fits.status).toBe(200);
    } finally {
      await small.host.close();
    }
  });
});

describe("logging and hooks", () => {
  test("each context log line carries level, function name and invocation id", async () => {
    const response = await fetch(`${url}/echo/9`);
    const { invocationId } = await json(response);
    const lines = fixture.logs.filter((e) => e.invocationId === invocationId && e.category === "user");
    expect(lines.map((e) => [e.level, e.message])).toEqual([
      ["information", "echo called"],
      ["trace", "echo trace"],
      ["debug", "echo debug"],
      ["information", "echo info"],
      ["warning", "echo warn"],
      ["error", "echo error"],
    ]);
    expect(lines.every((e) => e.functionName === "echo" && !Number.isNaN(Date.parse(e.timestamp)))).toBe(true);
  });

  test("appStart, preInvocation and postInvocation hooks run", async () => {
    await fetch(`${url}/echo/1`);
    const { hooks } = await fixture.state();
    expect(hooks[0]).toBe("appStart");
    expect(hooks).toEqual(expect.arrayContaining(["preInvocation:echo", "postInvocation:echo"]));
    expect(hooks.indexOf("preInvocation:echo")).toBeLessThan(hooks.indexOf("postInvocation:echo"));
  });
});

describe("admin endpoints (local extension: x-invocation-id and /admin/invocations)", () => {
  async function invocation(id: string): Promise<Record<string, unknown>> {
    return json(await fetch(`${url}/admin/invocations/${id}`));
  }

  test("POST /admin/functions/{name} runs a non-HTTP function in the background with its input", async () => {
    const response = await fetch(`${url}/admin/functions/queueLike`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input: JSON.stringify({ order: 1 }) }),
    });
    expect(response.status).toBe(202);
    const id = response.headers.get("x-invocation-id") ?? "";
    expect(id).toMatch(uuidPattern);

    await waitFor(async () => (await invocation(id)).status !== "running");
    const record = await invocation(id);
    expect(record).toMatchObject({ id, functionName: "queueLike", status: "succeeded" });
    expect(Date.parse(String(record.endedAt))).toBeGreaterThanOrEqual(Date.parse(String(record.startedAt)));
    expect((await fixture.state()).queueMessages).toContainEqual({ order: 1 });
  });

  test("a timer function can be run now without a body; a failing run is reported with its error", async () => {
    const ok = await fetch(`${url}/admin/functions/onStartup`, { method: "POST" });
    expect(ok.status).toBe(202);
    const failing = await fetch(`${url}/admin/functions/FAILING`, { method: "POST", body: '{"input": ""}' });
    expect(failing.status).toBe(202);
    const failingId = failing.headers.get("x-invocation-id") ?? "";

    await waitFor(async () => (await invocation(failingId)).status !== "running");
    expect(await invocation(failingId)).toMatchObject({
      functionName: "failing",
      status: "failed",
      error: "boom from failing timer",
    });
    await waitFor(async () => (await invocation(ok.headers.get("x-invocation-id") ?? "")).status === "succeeded");
  });

  test("the record keeps the run's own log lines, so a job's summary can be read back", async () => {
    const started = await fetch(`${url}/admin/functions/everySecond`, { method: "POST" });
    const id = started.headers.get("x-invocation-id") ?? "";
    await waitFor(async () => (await invocation(id)).status !== "running");
    expect(await invocation(id)).toMatchObject({ status: "succeeded", log: [expect.stringMatching(/^tick \d+$/)] });
  });

  test("unknown functions and HTTP functions are 404 ProblemJson", async () => {
    await expectProblem(await fetch(`${url}/admin/functions/doesNotExist`, { method: "POST" }), 404);
    await expectProblem(await fetch(`${url}/admin/functions/echo`, { method: "POST" }), 404);
  });

  test("an unknown invocation id is 404", async () => {
    await expectProblem(await fetch(`${url}/admin/invocations/00000000-0000-0000-0000-000000000000`), 404);
  });
});
