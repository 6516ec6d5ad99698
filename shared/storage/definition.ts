// Typed names for the one storage definition (storage-definition.json), so no code spells a container name twice.
import definition from "./storage-definition.json";

type ContainerId = "debtpositions" | "receipts" | "subscriptions" | "organizations";
type BlobContainerName =
  | "receipts-inbox"
  | "receipts-rejected"
  | "receipts"
  | "flows-inbox"
  | "flows-rejected"
  | "flows";

function pick<T extends string>(available: readonly string[], wanted: readonly T[]): Record<T, T> {
  const missing = wanted.filter((w) => !available.includes(w));
  if (missing.length > 0) throw new Error(`storage-definition.json lacks: ${missing.join(", ")}`);
  return Object.fromEntries(wanted.map((w) => [w, w])) as Record<T, T>;
}

export const containers = pick<ContainerId>(
  definition.containers.map((c) => c.id),
  ["debtpositions", "receipts", "subscriptions", "organizations"],
);

export const blobContainers = pick<BlobContainerName>(
  definition.blobContainers.map((c) => c.name),
  ["receipts-inbox", "receipts-rejected", "receipts", "flows-inbox", "flows-rejected", "flows"],
);
