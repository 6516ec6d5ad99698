// What every use case behind an HTTP operation receives: the organization named by the path (already checked against
// the caller's grant), the caller (for segregation codes), and the time of the request.
import type { Caller } from "../domain/subscriptions/subscription";

export interface CallContext {
  organizationFiscalCode: string;
  caller: Caller;
  now: Date;
}
