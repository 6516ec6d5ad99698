// The HTTP pipeline in-process (handlers tested with new HttpRequest / new InvocationContext): request id on
// every response and every log line, one error mapper, body limits. The key store here is an in-memory map: the
// claims under test are the pipeline's, not the store's (that one is tested against the emulator).
import { HttpRequest, InvocationContext } from "@azure/functions";
import { Authenticator } from "../../../shared/application/authenticator";
import { DomainError } from "../../../shared/domain/errors";
import type { SubscriptionRepository } from "../../../shared/domain/subscriptions/ports";
import { newSubscription, type Subscription } from "../../../shared/domain/subscriptions/subscription";
import { endpoint, type HttpDeps } from "../../../shared/http/endpoint";

const key = "k".repeat(64);
const subscription = newSubscription({
  key,
  name: "t",
  organizations: ["77777777777"],
  environment: "UAT",
  now: new Date(),
});
const repository: SubscriptionRepository = {
  findByKeyHash: (hash) => Promise.resolve(hash === subscription.keyHash ? subscription : undefined),
  findByName: () => Promise.resolve(undefined),
  list: () => Promise.resolve([]),
  create: () => Promise.resolve(),
  revoke: () => Promise.reject<Subscription>(new Error("unused")),
};
const deps: HttpDeps = {
  authenticator: new Authenticator(repository, { ttlSeconds: 30 }),
  environment: "UAT",
  clock: () => new Date("2026-11-22T10:00:00.000Z"),
  maxBodyBytes: 1024,
};

function invocation() {
  const lines: string[] = [];
  const context = new InvocationContext({
    functionName: "test",
    logHandler: (_level, ...args) => {
      lines.push(args.map(String).join(" "));
    },
  });
  return { context, lines };
}

const request = (
  init: { headers?: Record<string, string>; body?: string; method?: string; params?: Record<string, string> } = {},
) =>
  new HttpRequest({
    method: init.method ?? "POST",
    url: "http://localhost/organizations/77777777777/things",
    headers: init.headers ?? {},
    params: init.params ?? { organizationfiscalcode: "77777777777" },
    ...(init.body !== undefined ? { body: { string: init.body } } : {}),
  });

const headersOf = (r: { headers?: unknown }) => new Headers(r.headers as Record<string, string>);

describe("endpoint", () => {
  const options = { product: "debt-positions" as const, organizationParam: "organizationfiscalcode" };

  it("puts the caller's request id on the response and on every log line of the request", async () => {
    const handler = endpoint(deps, options, (scope) => {
      scope.log.info("doing the work");
      scope.log.warn("still working");
      return Promise.resolve({ status: 204 });
    });
    const { context, lines } = invocation();
    const response = await handler(
      request({ headers: { "Ocp-Apim-Subscription-Key": key, "X-Request-Id": "abc-123" } }),
      context,
    );
    expect(response.status).toBe(204);
    expect(headersOf(response).get("x-request-id")).toBe("abc-123");
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toContain("requestId=abc-123");
  });

  it("maps a domain error to its ProblemJson, with the generated request id", async () => {
    const handler = endpoint(deps, options, () => Promise.reject(new DomainError("DEBT_POSITION_NOT_FOUND", "nope")));
    const { context } = invocation();
    const response = await handler(request({ headers: { "Ocp-Apim-Subscription-Key": key } }), context);
    expect(response).toMatchObject({
      status: 404,
      jsonBody: { title: "Not found the debt position", status: 404, detail: "nope" },
    });
    expect(headersOf(response).get("content-type")).toBe("application/problem+json");
    expect(headersOf(response).get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("turns an unexpected error into a fixed 500 that leaks nothing, logged with the request id", async () => {
    const handler = endpoint(deps, options, () => Promise.reject(new Error("secret connection string in here")));
    const { context, lines } = invocation();
    const response = await handler(
      request({ headers: { "Ocp-Apim-Subscription-Key": key, "X-Request-Id": "r-500" } }),
      context,
    );
    expect(response.status).toBe(500);
    expect(JSON.stringify((response as { jsonBody?: unknown }).jsonBody)).not.toContain("secret");
    expect(lines.join("\n")).toMatch(/requestId=r-500.*secret connection string/s);
  });

  it("answers a failure before the deadline as it is, and follows only work the deadline outlived", async () => {
    const withDeadline: HttpDeps = { ...deps, deadlineMs: 50 };
    const failing = endpoint(withDeadline, options, () =>
      Promise.reject(new DomainError("DEBT_POSITION_NOT_FOUND", "x")),
    );
    const quick = invocation();
    const refused = await failing(request({ headers: { "Ocp-Apim-Subscription-Key": key } }), quick.context);
    expect(refused.status).toBe(404);
    const missingKey = await failing(request(), quick.context);
    expect(missingKey.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(quick.lines.join("\n")).not.toMatch(/deadline/);

    let finish: () => void = () => undefined;
    const slow = endpoint(withDeadline, options, async () => {
      await new Promise<void>((resolve) => (finish = resolve));
      throw new DomainError("DEBT_POSITION_NOT_FOUND", "late");
    });
    const late = invocation();
    const answered = await slow(request({ headers: { "Ocp-Apim-Subscription-Key": key } }), late.context);
    expect(answered.status).toBe(503);
    finish();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(late.lines.join("\n")).toMatch(/the request failed after its 50 ms deadline: DEBT_POSITION_NOT_FOUND: late/);
  });

  it("checks the key before anything else: no handler runs for a missing key", async () => {
    let ran = false;
    const handler = endpoint(deps, options, () => {
      ran = true;
      return Promise.resolve({ status: 200 });
    });
    const response = await handler(request(), invocation().context);
    expect(response.status).toBe(401);
    expect(ran).toBe(false);
  });

  test.each([
    ["over the limit", { "Content-Type": "application/json" }, JSON.stringify({ x: "y".repeat(2000) }), 413],
    ["declared over the limit", { "Content-Type": "application/json", "Content-Length": "5000" }, "{}", 413],
    ["not JSON media type", { "Content-Type": "text/plain" }, "{}", 415],
    ["malformed", { "Content-Type": "application/json" }, "{", 400],
    ["empty", { "Content-Type": "application/json" }, "", 400],
  ])("refuses a body %s (%#)", async (_name, headers, body, status) => {
    const handler = endpoint(deps, options, async (scope) => ({ status: 200, jsonBody: await scope.readJson() }));
    const response = await handler(
      request({ headers: { "Ocp-Apim-Subscription-Key": key, ...headers }, body }),
      invocation().context,
    );
    expect(response.status).toBe(status);
    expect(headersOf(response).get("content-type")).toBe("application/problem+json");
  });
});
