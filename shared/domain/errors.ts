// The closed set of errors the domain and the adapters may raise. Titles follow docs/domain/api-surface.md#errors; the one mapper in
// shared/http/problem.ts turns them into ProblemJson. Anything that is not a DomainError is a bug: a fixed 500.

export const errorCatalogue = {
  // generic request problems
  BAD_REQUEST: { status: 400, title: "BAD REQUEST" },
  UNAUTHORIZED: { status: 401, title: "Unauthorized" },
  FORBIDDEN: { status: 403, title: "Forbidden" },
  NOT_FOUND: { status: 404, title: "Not Found" },
  NOT_ACCEPTABLE: { status: 406, title: "Not Acceptable" },
  CONFLICT: { status: 409, title: "Conflict with the current state of the resource" },
  PAYLOAD_TOO_LARGE: { status: 413, title: "Payload Too Large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported Media Type" },
  TOO_MANY_REQUESTS: { status: 429, title: "Too Many Requests" },
  SERVICE_UNAVAILABLE: { status: 503, title: "Service Unavailable" },
  // debt positions (docs/domain/api-surface.md#errors, AppError)
  DEBT_POSITION_REQUEST_DATA_ERROR: { status: 400, title: "Error in the debt position request data" },
  DEBT_POSITION_NOT_RECOVERABLE: { status: 400, title: "The debt positions cannot be recovered" },
  EXCLUSIVE_PARAMETERS: { status: 400, title: "Exclusive Parameters" },
  DEBT_POSITION_FORBIDDEN: { status: 403, title: "The payment position is forbidden" },
  DEBT_POSITION_NOT_FOUND: { status: 404, title: "Not found the debt position" },
  PAYMENT_OPTION_NOT_FOUND: { status: 404, title: "Not found the payment option" },
  TRANSFER_NOT_FOUND: { status: 404, title: "Not found the transfer" },
  DEBT_POSITION_UNIQUE_VIOLATION: { status: 409, title: "The debt position violated constraints of uniqueness" },
  DEBT_POSITION_PAYMENT_FOUND: { status: 409, title: "Existing related payment found" },
  DEBT_POSITION_NOT_UPDATABLE: { status: 409, title: "Existing related payment found or not in updatable state" },
  DEBT_POSITION_NOT_PUBLISHABLE: { status: 409, title: "Existing related payment found or not in publishable state" },
  DEBT_POSITION_NOT_INVALIDABLE: { status: 409, title: "Existing related payment found or not in invalidable state" },
  DEBT_POSITION_PUBLISH_VALIDITY_DATE_MISMATCH: {
    status: 409,
    title: "Publish request occurred after the validity date began",
  },
  DEBT_POSITION_PUBLISH_DUE_DATE_MISMATCH: {
    status: 409,
    title: "Publish request occurred after the due date of a payment options has expired",
  },
  DEBT_POSITION_PUBLISH_DUE_DATE_BEFORE_VALIDITY_DATE: {
    status: 409,
    title: "The due date of a payment option is before the validity date",
  },
  PAYMENT_OPTION_RESERVED_METADATA: { status: 409, title: "The payment option contains reserved metadata" },
  PAYMENT_OPTION_ALREADY_PAID: { status: 409, title: "Existing related payment found" },
  TRANSFER_NOT_ACCOUNTABLE: { status: 409, title: "transfer is not in accountable state" },
  CONCURRENT_MODIFICATION: { status: 409, title: "Concurrent modification" },
  // A stored document this version can no longer parse (docs/adr/0065-unreadable-stored-positions.md).
  DEBT_POSITION_UNREADABLE: { status: 409, title: "The debt position is stored in a form that can no longer be read" },
  DEBT_POSITION_UPDATE_FAILED_NO_TRANSFER_FOR_NOTIFICATION_FEE: {
    status: 422,
    title: "The debt position update is failed",
  },
  PAYMENT_OPTION_NOT_PAYABLE: { status: 422, title: "The payment option is not in payable state" },
  PAYMENT_OPTION_NOTIFICATION_FEE_UPDATE_NOT_UPDATABLE: {
    status: 422,
    title: "Not in unpaid state for notification fee update",
  },
  PAYMENT_OPTION_NOTIFICATION_FEE_UPDATE_AMOUNT_TOO_LARGE: {
    status: 422,
    title: "The notification fee would take the amount beyond the maximum",
  },
  PAYMENT_OPTION_NOTIFICATION_FEE_UPDATE_TRANSFER_NOT_FOUND: {
    status: 422,
    title: "No valid transfer found for notification fee update",
  },
  // receipts and reporting
  RECEIPT_NOT_FOUND: { status: 404, title: "Not found the receipt" },
  RECEIPT_FORBIDDEN: { status: 403, title: "The receipt retrieve is forbidden" },
  FLOW_NOT_FOUND: { status: 404, title: "Not found the reporting flow" },
  // massive upload
  UPLOAD_NOT_A_ZIP: { status: 400, title: "NOT A ZIP FILE" },
  UPLOAD_INVALID_FILE: { status: 400, title: "INVALID FILE" },
  UPLOAD_INVALID_JSON: { status: 400, title: "INVALID JSON" },
  UPLOAD_BROKER_MISMATCH: { status: 403, title: "The broker is not the organization's" },
  UPLOAD_NOT_FOUND: { status: 404, title: "Not found the upload" },
  UPLOAD_RANGE_GONE: { status: 410, title: "The requested range is no longer available" },
  UPLOAD_REPORT_NOT_READY: { status: 425, title: "The upload is still being processed" },
  STATEMENT_REJECTED: { status: 400, title: "The bank statement cannot be accepted" },
  // organizations registry
  ORGANIZATION_NOT_FOUND: { status: 404, title: "Not found the organization" },
  // payment notices (docs/adr/0045-payment-notice-content.md)
  NOTICE_NOT_PAYABLE: { status: 409, title: "No payment notice for a debt position that cannot be paid" },
  NOTICE_JOB_NOT_FOUND: { status: 404, title: "Not found the notice job" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class DomainError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = "DomainError";
    this.status = errorCatalogue[code].status;
    this.title = errorCatalogue[code].title;
  }
}

/**
 * Refusals that are not the caller's doing and that no retry will cure: answered as their status says, and logged at
 * error level by the one mapper so an operator learns of them.
 */
export const needsAnOperator: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["DEBT_POSITION_UNREADABLE"]);

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

export const badRequest = (detail: string) => new DomainError("BAD_REQUEST", detail);
