// The X-Request-Id rule, shared by the app's endpoints and the local host's own answers: a caller's id is echoed only
// when it is safe to put in logs and headers, otherwise the request gets a fresh UUID.
import { randomUUID } from "node:crypto";

export const requestIdHeader = "X-Request-Id";
export const requestIdPattern = /^[\w.:@-]{1,128}$/;

export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming !== null && incoming !== undefined && requestIdPattern.test(incoming) ? incoming : randomUUID();
}
