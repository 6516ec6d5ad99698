// Transactional batches that are atomic on Azure Cosmos DB and made to look atomic on the npm emulator, whose
// batches apply operations one by one and keep the ones before a failure (docs/adr/0002-cosmos-emulator-gaps.md).
// Every operation carries its inverse; when a batch fails, the inverses of the operations that report success are
// applied in reverse order. On Azure a failed batch reports no success (424 for the others), so nothing is undone.
import type { Container, DeleteOperationInput, OperationInput, PartitionKey } from "@azure/cosmos";

/** The batch wire format accepts `ifMatch` on deletes too (the SDK's types only declare it for writes). */
export type BatchOperation = OperationInput | (DeleteOperationInput & { ifMatch: string });

export interface ReversibleOperation {
  operation: BatchOperation;
  /** What restores the previous state if this operation applied but the batch as a whole failed. */
  inverse: BatchOperation;
}

export type BatchOutcome =
  { ok: true; etags: (string | undefined)[] } | { ok: false; failedIndex: number; status: number };

const isSuccess = (status: number) => status >= 200 && status < 300;

export async function executeBatch(
  container: Container,
  partitionKey: PartitionKey,
  operations: readonly ReversibleOperation[],
): Promise<BatchOutcome> {
  const response = await container.items.batch(
    operations.map((o) => o.operation),
    partitionKey,
  );
  const results = response.result ?? [];
  const failedIndex = results.findIndex((r) => !isSuccess(r.statusCode));
  if (failedIndex === -1 && results.length === operations.length) {
    return { ok: true, etags: results.map((r) => r.eTag) };
  }
  const applied = results.map((r, i) => ({ r, i })).filter(({ r }) => isSuccess(r.statusCode));
  if (applied.length > 0) {
    await container.items.batch(
      applied.reverse().map(({ i }) => (operations[i] as ReversibleOperation).inverse),
      partitionKey,
    );
  }
  const failed = results[failedIndex];
  return { ok: false, failedIndex, status: failed?.statusCode ?? 500 };
}
