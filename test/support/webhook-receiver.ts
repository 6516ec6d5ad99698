// A webhook receiver on a local port, as an organization would run one: it verifies every delivery with the
// independent `standardwebhooks` package (not GPD's signing code) and records what it accepted. `answer` decides the
// HTTP status of each request (default 204), so tests can make it fail, be gone (410) or come back.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedEvent {
  webhookId: string;
  id: string;
  type: string;
  subject: string;
  sequence: string;
  data: Record<string, unknown>;
}

export interface TestReceiver {
  url: string;
  /** Verified deliveries the receiver answered 2xx to, in arrival order. */
  accepted: ReceivedEvent[];
  /** Every request, with whether its signature verified. */
  requests: { verified: boolean; status: number }[];
  setSecret(secret: string): void;
  answer: (event: ReceivedEvent) => number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<TestReceiver> {
  let verifier: Webhook | undefined;
  const receiver: TestReceiver = {
    url: "",
    accepted: [],
    requests: [],
    setSecret: (secret) => {
      verifier = new Webhook(secret);
    },
    answer: () => 204,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = {
        "webhook-id": String(request.headers["webhook-id"] ?? ""),
        "webhook-timestamp": String(request.headers["webhook-timestamp"] ?? ""),
        "webhook-signature": String(request.headers["webhook-signature"] ?? ""),
      };
      let event: ReceivedEvent | undefined;
      try {
        const payload = verifier?.verify(body, headers) as Omit<ReceivedEvent, "webhookId"> | undefined;
        if (payload !== undefined) event = { ...payload, webhookId: headers["webhook-id"] };
      } catch {
        event = undefined;
      }
      const status = event === undefined ? 401 : receiver.answer(event);
      receiver.requests.push({ verified: event !== undefined, status });
      if (event !== undefined && status >= 200 && status < 300) receiver.accepted.push(event);
      response.writeHead(status).end();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gpd-events`;
  return receiver;
}
