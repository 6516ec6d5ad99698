// Blob SDK failures carry the HTTP status in `statusCode` (RestError).
export function blobStatus(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "statusCode" in error) {
    const code = error.statusCode;
    if (typeof code === "number") return code;
  }
  return undefined;
}
