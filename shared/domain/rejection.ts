// A document refused for a reason that will never go away by retrying (bad XML, schema violation, mismatch): the
// ingestion jobs move such a file to `*-rejected` with `reason` in its metadata.
export class Rejection<Reason extends string> extends Error {
  constructor(
    readonly reason: Reason,
    message: string,
  ) {
    super(message);
  }
}
