/**
 * Paces sends: at most `concurrency` in flight, and starts spread evenly at
 * `maxPerSecond`, so a burst of thousands of reminders stays inside Slack's workspace
 * posting limits. Uses real time: pacing is about the wire, not the schedule.
 */
export interface Pacing {
  concurrency: number;
  maxPerSecond: number;
}

export async function forEachPaced<T>(
  items: readonly T[],
  pacing: Pacing,
  send: (item: T) => Promise<void>,
): Promise<void> {
  const spacingMs = 1000 / pacing.maxPerSecond;
  let nextSlot = 0;
  let next = 0;
  const takeSlot = async (): Promise<void> => {
    const now = performance.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + spacingMs;
    // Sub-millisecond waits are not worth a timer; the average rate still holds.
    if (slot - now >= 1) await new Promise((r) => setTimeout(r, slot - now));
  };
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      await takeSlot();
      await send(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(pacing.concurrency, items.length)) }, worker));
}
