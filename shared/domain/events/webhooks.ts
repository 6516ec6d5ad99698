// Webhooks of an organization (docs/adr/0042-webhook-delivery.md): where GPD POSTs the organization's events, which
// types, and how far delivery has got. Delivery follows the organization's feed order (the dispatcher's `seq`), one
// event at a time per webhook, so a position's events always arrive in the order they happened.
import { BlockList, isIP } from "node:net";
import { randomBytes } from "node:crypto";
import { DomainError } from "../errors";
import { isEventType, type EventType } from "./events";
import { generateSecret } from "./signing";

export const webhookStatuses = ["active", "disabled"] as const;
export type WebhookStatus = (typeof webhookStatuses)[number];

export interface Webhook {
  organizationFiscalCode: string;
  id: string;
  url: string;
  types: EventType[];
  description?: string | undefined;
  /** `whsec_…`: shown once, at creation; needed again for every signature, so it is stored (docs/adr/0043). */
  secret: string;
  /** The creating key's segregation codes: the webhook only hears of positions it could read. */
  segregationCodes?: string[] | undefined;
  status: WebhookStatus;
  disabledReason?: string | undefined;
  createdAt: string;
  /** Delivery state: every event up to this feed position is done (delivered or dead-lettered). */
  cursor: number;
  /** Failed attempts at the event after the cursor. */
  attempts: number;
  /** The last event was dead-lettered and nothing was delivered since: later events get one attempt each. */
  failing: boolean;
  /** The next attempt is not before this instant (backoff). */
  nextAttemptAt?: string | undefined;
  /** A delivery run owns the webhook until then; a run that died is taken over after it. */
  leaseUntil?: string | undefined;
  /** When the dispatcher's sweep must wake this webhook (a backoff ends, a lease lapses); far future when idle. */
  wakeAt: string;
}

export const idle = "9999-12-31T23:59:59.999Z";

export type DeliveryStatus = "delivered" | "retrying" | "failed";

/** The outcome of delivering one event to one webhook (the latest attempt). */
export interface DeliveryRecord {
  organizationFiscalCode: string;
  webhookId: string;
  seq: number;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  /** HTTP status of the last attempt, when the receiver answered. */
  responseStatus?: number | undefined;
  error?: string | undefined;
  at: string;
}

export interface NewWebhookInput {
  url: string;
  types: string[];
  description?: string | undefined;
}

export interface UrlPolicy {
  /** Local runs only: http://localhost (and 127.0.0.1, [::1]) receivers are allowed. */
  allowLocalhost: boolean;
}

const loopbackNames = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Addresses a webhook may never reach in Azure: private, loopback, link-local (IMDS), CGNAT, multicast, reserved. */
const forbidden = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [
    ["0.0.0.0", 8],
    ["10.0.0.0", 8],
    ["100.64.0.0", 10],
    ["127.0.0.0", 8],
    ["169.254.0.0", 16],
    ["172.16.0.0", 12],
    ["192.0.0.0", 24],
    ["192.168.0.0", 16],
    ["198.18.0.0", 15],
    ["224.0.0.0", 4],
    ["240.0.0.0", 4],
  ] as const)
    list.addSubnet(net, prefix, "ipv4");
  for (const [net, prefix] of [
    ["::", 128],
    ["::1", 128],
    ["fc00::", 7],
    ["fe80::", 10],
    ["ff00::", 8],
  ] as const)
    list.addSubnet(net, prefix, "ipv6");
  return list;
})();

const isLoopback = (address: string): boolean =>
  isIP(address) === 4 ? address.startsWith("127.") : address === "::1" || address === "::ffff:127.0.0.1";

/** Whether a resolved address may receive a delivery (checked at connect time, after DNS: no rebinding). */
export function isAllowedAddress(address: string, policy: UrlPolicy): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (policy.allowLocalhost && isLoopback(address)) return true;
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined) return !forbidden.check(mapped, "ipv4");
  return !forbidden.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** The receiver URL rules: https only (http only for localhost, locally), no credentials, no forbidden literal IP. */
export function checkReceiverUrl(raw: string, policy: UrlPolicy): string | undefined {
  if (raw.length > 2048) return "url must be at most 2048 characters";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "url must be an absolute URL";
  }
  if (url.username !== "" || url.password !== "") return "url must not carry credentials";
  const local = policy.allowLocalhost && loopbackNames.has(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) {
    return policy.allowLocalhost ? "url must be https (or http://localhost)" : "url must be https";
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0 && !isAllowedAddress(host, policy)) return "url must not point to a private or reserved address";
  if (!local && (host === "localhost" || host.endsWith(".localhost"))) return "url must not point to localhost";
  return undefined;
}

export function newWebhook(
  input: NewWebhookInput,
  ctx: { organizationFiscalCode: string; segregationCodes?: readonly string[] | undefined; cursor: number; now: Date },
  policy: UrlPolicy,
): Webhook {
  const problems: string[] = [];
  const urlProblem = checkReceiverUrl(input.url, policy);
  if (urlProblem !== undefined) problems.push(urlProblem);
  if (input.types.length === 0) problems.push("types must name at least one event type");
  const unknown = input.types.filter((t) => !isEventType(t));
  if (unknown.length > 0) problems.push(`unknown event types: ${unknown.slice(0, 5).join(", ")}`);
  if (input.description !== undefined && input.description.length > 500)
    problems.push("description must be at most 500 characters");
  if (problems.length > 0) throw new DomainError("BAD_REQUEST", problems.join("; "));
  return {
    organizationFiscalCode: ctx.organizationFiscalCode,
    id: `wh_${randomBytes(12).toString("hex")}`,
    url: input.url,
    types: [...new Set(input.types.filter(isEventType))],
    description: input.description,
    secret: generateSecret(),
    segregationCodes: ctx.segregationCodes === undefined ? undefined : [...ctx.segregationCodes],
    status: "active",
    createdAt: ctx.now.toISOString(),
    cursor: ctx.cursor,
    attempts: 0,
    failing: false,
    wakeAt: idle,
  };
}

/** Whether the webhook wants this event: its types, and (for a key limited to some codes) its segregation codes. */
export function wants(
  webhook: Pick<Webhook, "types" | "segregationCodes">,
  type: EventType,
  segregationCodes: readonly string[],
): boolean {
  if (!webhook.types.includes(type)) return false;
  const allowed = webhook.segregationCodes;
  return allowed === undefined || segregationCodes.some((c) => allowed.includes(c));
}

// ---- retries ------------------------------------------------------------------------------------------------------

const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "5s,30s,2m,…" → milliseconds; undefined when malformed. */
export function parseRetrySchedule(text: string): number[] | undefined {
  const parts = text.split(",").map((p) => p.trim());
  const delays: number[] = [];
  for (const part of parts) {
    const match = /^(\d{1,6})([smhd])$/.exec(part);
    if (match === null) return undefined;
    delays.push(Number(match[1]) * (units[match[2] ?? "s"] ?? 1_000));
  }
  return delays.length > 0 && delays.length <= 50 ? delays : undefined;
}

export const defaultRetrySchedule = "5s,30s,2m,10m,1h,3h,6h,12h,24h";

/**
 * The pause after the `failures`-th failed attempt, ±20% jitter so that receivers coming back are not hit by every
 * sender at once; undefined when the schedule is exhausted (the event is dead-lettered).
 */
export function retryDelay(schedule: readonly number[], failures: number, random: () => number): number | undefined {
  const base = schedule[failures - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (0.8 + 0.4 * random()));
}
