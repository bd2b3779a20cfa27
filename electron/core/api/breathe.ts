/**
 * Long loops in the core (imports of tens of thousands of rows) give the event loop a turn every `every` items,
 * so other calls — reads on the read-only connection — keep answering meanwhile.
 */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `array.map(fn)` that yields to the event loop every `every` items. */
export async function mapYielding<T, R>(array: T[], fn: (item: T, index: number) => R, every = 1000): Promise<R[]> {
  const out = new Array<R>(array.length);
  for (let i = 0; i < array.length; i++) {
    if (i > 0 && i % every === 0) await breathe();
    out[i] = fn(array[i], i);
  }
  return out;
}
