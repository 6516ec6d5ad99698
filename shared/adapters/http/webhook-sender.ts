// POSTs a signed event to a receiver (docs/adr/0043-webhook-security.md). The receiver's address is checked when
// the socket connects, after DNS, so a name that resolves (or re-resolves) to a private or link-local address is
// refused even though its URL passed the checks at registration. No redirects are followed.
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { SendResult, WebhookSender } from "../../domain/events/ports";
import { checkReceiverUrl, isAllowedAddress, type UrlPolicy } from "../../domain/events/webhooks";

export interface SenderOptions extends UrlPolicy {
  /** A 2xx within this time counts as delivered. */
  timeoutMs: number;
  userAgent: string;
}

const maxErrorLength = 200;

export class HttpWebhookSender implements WebhookSender {
  readonly #options: SenderOptions;
  readonly #agents: { http: http.Agent; https: https.Agent };

  constructor(options: SenderOptions) {
    this.#options = options;
    const lookup = guardedLookup(options);
    this.#agents = {
      http: new http.Agent({ keepAlive: true, lookup }),
      https: new https.Agent({ keepAlive: true, lookup }),
    };
  }

  send(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const problem = checkReceiverUrl(url, this.#options);
    if (problem !== undefined) return Promise.resolve({ ok: false, error: `refused: ${problem}` });
    const target = new URL(url);
    const client = target.protocol === "https:" ? https : http;
    return new Promise<SendResult>((resolve) => {
      const request = client.request(
        target,
        {
          method: "POST",
          agent: target.protocol === "https:" ? this.#agents.https : this.#agents.http,
          headers: {
            ...headers,
            "content-type": "application/json",
            "content-length": String(Buffer.byteLength(body, "utf8")),
            "user-agent": this.#options.userAgent,
          },
          timeout: this.#options.timeoutMs,
        },
        (response) => {
          // The body is not read beyond what the socket needs: only the status matters.
          response.resume();
          const status = response.statusCode ?? 0;
          response.on("end", () => {
            clearTimeout(deadline);
            resolve(
              status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` },
            );
          });
        },
      );
      // The whole exchange, not only socket inactivity, must fit in the timeout.
      const deadline = setTimeout(
        () => request.destroy(new Error(`no answer within ${this.#options.timeoutMs} ms`)),
        this.#options.timeoutMs,
      );
      request.on("timeout", () => request.destroy(new Error(`no answer within ${this.#options.timeoutMs} ms`)));
      request.on("error", (e) => {
        clearTimeout(deadline);
        resolve({ ok: false, error: e.message.slice(0, maxErrorLength) });
      });
      request.end(body);
    });
  }

  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }
}

function guardedLookup(policy: UrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, "", 4);
        return;
      }
      const refused = addresses.find((a) => !isAllowedAddress(a.address, policy));
      if (refused !== undefined || addresses.length === 0) {
        callback(new Error(`refused: ${hostname} resolves to a forbidden address`), "", 4);
        return;
      }
      if (options.all === true) {
        (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        return;
      }
      const first = addresses[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
