// Standard Webhooks signatures (https://www.standardwebhooks.com, "Signature scheme"): the secret is `whsec_` +
// base64 of random bytes; the signed content is `<webhook-id>.<webhook-timestamp>.<body>`; the header is
// `v1,<base64 HMAC-SHA256>`. Any verifier library of that specification accepts what this module produces.
import { createHmac, randomBytes } from "node:crypto";

export const secretPrefix = "whsec_";

/** 32 random bytes: the specification asks for 24 to 64. */
export const generateSecret = (): string => `${secretPrefix}${randomBytes(32).toString("base64")}`;

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** Signs one delivery; `timestamp` is in whole seconds since the epoch, as the header carries it. */
export function sign(secret: string, id: string, timestamp: number, body: string): SignedHeaders {
  const key = Buffer.from(secret.slice(secretPrefix.length), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`, "utf8").digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${signature}` };
}
