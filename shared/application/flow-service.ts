// The reporting API's use cases (docs/domain/api-surface.md flows list, flow): read straight from the filed flows, no database.
// The endpoint has already checked that the caller's key holds the `reporting` product and this organization.
import { DomainError } from "../domain/errors";
import { newestFirst, type FlowKey, type FlowSummary } from "../domain/reporting/flow-report";
import type { FlowStore } from "../domain/reporting/ports";

export class FlowService {
  readonly #store: FlowStore;

  constructor(store: FlowStore) {
    this.#store = store;
  }

  /** The organization's flows, of one day when flowDate (yyyy-MM-dd) is given, newest first. */
  async list(organization: string, flowDate?: string): Promise<FlowSummary[]> {
    return (await this.#store.list(organization, flowDate)).sort(newestFirst);
  }

  /** The flow as it was filed: the XML as received, or the newest FdR-3 revision as JSON. */
  async get(key: FlowKey): Promise<{ format: "xml" | "json"; bytes: Buffer }> {
    const xml = await this.#store.readFiled(key);
    if (xml === undefined) {
      throw new DomainError(
        "FLOW_NOT_FOUND",
        `Not found a reporting flow for Organization Fiscal Code ${key.organization}, flow id ${key.flowId} and date ${key.flowDate}`,
      );
    }
    return xml;
  }
}
