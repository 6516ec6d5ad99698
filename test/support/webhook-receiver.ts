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
  /** How long the receiver takes before answering (0: at once). */
  delayMs: number;
  /** Requests whose sender went away before the answer (a killed host mid-delivery). */
  aborted: number;
  /** Requests received and not yet answered. */
  inFlight: number;
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
    delayMs: 0,
    aborted: 0,
    inFlight: 0,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
  const server = http.createServer((request, response) => {
    let gone = false;
    response.on("close", () => {
      if (!response.writableFinished) gone = true;
    });
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
      receiver.inFlight += 1;
      const reply = () => {
        receiver.inFlight -= 1;
        if (gone) {
          receiver.aborted += 1;
          return;
        }
        const status = event === undefined ? 401 : receiver.answer(event);
        receiver.requests.push({ verified: event !== undefined, status });
        if (event !== undefined && status >= 200 && status < 300) receiver.accepted.push(event);
        response.writeHead(status).end();
      };
      if (receiver.delayMs > 0) setTimeout(reply, receiver.delayMs);
      else reply();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gpd-events`;
  return receiver;
}
