// A pass-through HTTP proxy in front of a real emulator (Cosmos or Azurite) that can be told to fail requests
// matching a rule: a store outage for the app under test, with the real store answering everything else. It forwards
// bytes untouched (Cosmos and Blob signatures do not cover the host), so the app cannot tell it is there.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FaultRule {
  method?: string;
  /** Matched against the request path (without query). */
  path: RegExp;
  /** The status answered instead of forwarding. */
  status: number;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Requests that matched a rule and were failed, as "METHOD path". */
  readonly failed: string[];
  fail(rule: FaultRule): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let rules: FaultRule[] = [];
  const failed: string[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const rule = rules.find((r) => (r.method === undefined || r.method === req.method) && r.path.test(path));
    if (rule !== undefined) {
      failed.push(`${req.method ?? ""} ${path}`);
      req.resume();
      res.writeHead(rule.status, { "Content-Type": "application/json", "x-ms-error-code": "InjectedFault" });
      res.end(JSON.stringify({ code: "InjectedFault", message: "failure injected by the test's fault proxy" }));
      return;
    }
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => {
      res.destroy();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    failed,
    fail: (rule) => {
      rules.push(rule);
    },
    heal: () => {
      rules = [];
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
