// What the reporting use cases need from storage: the flows as filed XML plus the per-flow result. The Blob adapter
// implements it (docs/adr/0009-reporting-flows.md).
import type { FlowKey, FlowResult, FlowSummary } from "./flow-report";

/**
 * "stored": written now; "already-stored": the same bytes were filed before (a re-delivery or a re-run after a crash);
 * "conflict": another document is filed under the same organization, date and flow id.
 */
export type StoreOutcome = "stored" | "already-stored" | "conflict";

export interface FlowStore {
  /** Files the XML only if nothing is filed under the key yet (create-only, atomic). */
  store(key: FlowKey, flowDateTime: string, xml: Buffer): Promise<StoreOutcome>;
  /** Replaces the flow's result (written at the end of each processing). */
  saveResult(key: FlowKey, result: FlowResult): Promise<void>;
  readResult(key: FlowKey): Promise<FlowResult | undefined>;
  /** The XML as filed; undefined when absent. */
  read(key: FlowKey): Promise<Buffer | undefined>;
  /** The organization's flows, of one day when flowDate (yyyy-MM-dd) is given; in no particular order. */
  list(organization: string, flowDate?: string): Promise<FlowSummary[]>;
}
