// Counts network requests to Cosmos through the SDK's per-request hook: the bench's "round trips per operation".
import type { PluginConfig } from "@azure/cosmos";

export class RoundTripCounter {
  #count = 0;
  get count(): number {
    return this.#count;
  }
  reset(): void {
    this.#count = 0;
  }
  readonly plugin: PluginConfig = {
    on: "request",
    plugin: (context, _diagnosticNode, next) => {
      this.#count += 1;
      return next(context);
    },
  };
}
