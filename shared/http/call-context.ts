// The one way a handler turns its request scope into the use case's CallContext.
import type { CallContext } from "../application/call-context";
import type { RequestScope } from "./endpoint";

export const callContext = (scope: RequestScope): CallContext => ({
  // The endpoint authorised this organization for the caller before the handler runs.
  organizationFiscalCode: scope.organizationFiscalCode ?? "",
  caller: scope.caller,
  now: scope.now,
});
