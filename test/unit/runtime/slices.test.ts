// Big flows are processed in slices that give the event loop back (docs/adr/0066-big-flows-yield.md). Counted, not
// timed: how often other callbacks got a turn, and that the sliced JSON is exactly what JSON.stringify writes.
import { resultJson } from "../../../shared/adapters/blob/blob-flow-store";
import type { EntryResult, FlowResult } from "../../../shared/domain/reporting/flow-report";
import { forEachInSlices, SLICE_ITEMS } from "../../../shared/runtime/event-loop";

/** Counts the turns another callback gets while `work` runs. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const turn = () => {
    turns += 1;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  await work().finally(() => {
    running = false;
  });
  return turns;
}

const aResult = (unapplied: number): FlowResult => ({
  source: "XML",
  revision: 1,
  organization: "77777777777",
  flowId: "2026-03-12PSPTEST01-1",
  flowDate: "2026-03-12",
  flowDateTime: "2026-03-12T06:00:00.000Z",
  processedAt: "2026-03-12T07:00:00.000Z",
  entries: unapplied + 3,
  reported: 3,
  revoked: 0,
  notApplied: unapplied,
  unapplied: Array.from({ length: unapplied }, (_, i): EntryResult => ({
    entry: i + 1,
    iuv: `01${String(i).padStart(15, "0")}`,
    transferIndex: 1,
    outcome: "0",
    status: "unknown-iuv",
    detail: `No debt position of organization 77777777777 has IUV ${i} "quoted" \u00e8`,
  })),
});

describe("forEachInSlices", () => {
  test("visits every item in order and yields once per slice", async () => {
    const items = Array.from({ length: 10 * SLICE_ITEMS + 7 }, (_, i) => i);
    const seen: number[] = [];
    const turns = await turnsDuring(() =>
      forEachInSlices(items, (item, index) => {
        expect(index).toBe(item);
        seen.push(item);
      }),
    );
    expect(seen).toEqual(items);
    expect(turns).toBeGreaterThanOrEqual(10);
  });
});

describe("resultJson", () => {
  test.each([0, 1, SLICE_ITEMS, 2 * SLICE_ITEMS + 3])(
    "writes exactly JSON.stringify's text for %i unapplied entries",
    async (n) => {
      const result = aResult(n);
      const json = await resultJson(result);
      expect(json.toString("utf8")).toBe(JSON.stringify(result));
    },
  );

  test("yields between slices of a large result", async () => {
    const result = aResult(20 * SLICE_ITEMS);
    expect(await turnsDuring(() => resultJson(result))).toBeGreaterThanOrEqual(20);
  });
});
