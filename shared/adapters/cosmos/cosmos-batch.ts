// Transactional batches: every operation of one partition applied or none, at most 100 operations (Cosmos' limit).
// On Cosmos a failed batch answers 424 for every operation but the failing one and writes nothing; the local
// emulator is patched to do the same (docs/adr/0002-cosmos-emulator-gaps.md), so nothing here compensates.
import type { Container, DeleteOperationInput, OperationInput, PartitionKey } from "@azure/cosmos";

/** The batch wire format accepts `ifMatch` on deletes too (the SDK's types only declare it for writes). */
export type BatchOperation = OperationInput | (DeleteOperationInput & { ifMatch: string });

/** Cosmos refuses a transactional batch of more operations. */
export const MAX_BATCH_OPERATIONS = 100;

export type BatchOutcome =
  { ok: true; etags: (string | undefined)[] } | { ok: false; failedIndex: number; status: number };

const isSuccess = (status: number) => status >= 200 && status < 300;

export async function executeBatch(
  container: Container,
  partitionKey: PartitionKey,
  operations: readonly BatchOperation[],
): Promise<BatchOutcome> {
  if (operations.length > MAX_BATCH_OPERATIONS) {
    throw new Error(`A transactional batch holds at most ${MAX_BATCH_OPERATIONS} operations, got ${operations.length}`);
  }
  const response = await container.items.batch([...operations], partitionKey);
  const results = response.result ?? [];
  // The failing operation is the one that is neither a success nor a 424 (failed dependency).
  const failedIndex = results.findIndex((r) => !isSuccess(r.statusCode) && r.statusCode !== 424);
  if (failedIndex === -1 && results.length === operations.length && results.every((r) => isSuccess(r.statusCode))) {
    return { ok: true, etags: results.map((r) => r.eTag) };
  }
  const index = failedIndex === -1 ? 0 : failedIndex;
  return { ok: false, failedIndex: index, status: results[index]?.statusCode ?? 500 };
}
