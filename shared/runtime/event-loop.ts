// Long synchronous loops over tens of thousands of items (a reporting flow of 50,000 entries, its result) hold the
// event loop, and with it every request and timer of the process. These helpers cut such work into slices and give
// the loop back between them (docs/adr/0066-big-flows-yield.md).

/** Lets every callback that is ready (I/O, timers, other requests) run before the caller goes on. */
export const yieldToEventLoop = (): Promise<void> =>
  new Promise<void>((resolve) => {
    setImmediate(resolve);
  });

/** Items handled between two yields: a few milliseconds of work for the loops that use it. */
export const SLICE_ITEMS = 1_000;

/** Calls `each` on every item in order, yielding to the event loop after every `slice` items. */
export async function forEachInSlices<T>(
  items: readonly T[],
  each: (item: T, index: number) => void,
  slice = SLICE_ITEMS,
): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    each(items[i] as T, i);
    if ((i + 1) % slice === 0) await yieldToEventLoop();
  }
}
