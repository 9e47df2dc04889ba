import { OutcomeRecorder } from '../../src/jobs/outcome-recorder';
import { createLogger } from '../../src/logger';

const logger = createLogger('silent');

/** A write that stays under way until released, so a test decides when it ends. */
function heldWrites() {
  const writes: number[][] = [];
  const releases: (() => void)[] = [];
  const write = (items: number[]) => {
    writes.push([...items]);
    return new Promise<void>((r) => releases.push(r));
  };
  return { writes, write, release: () => releases.shift()!() };
}

const turn = () => new Promise<void>((r) => setImmediate(r));

describe('OutcomeRecorder (group commit)', () => {
  it('writes what came in one turn together, at once when idle, and what came during a write in the next one', async () => {
    const w = heldWrites();
    const recorded: number[] = [];
    const r = new OutcomeRecorder<number>(w.write, logger, (items) => recorded.push(...items));
    r.push(1);
    r.push(2);
    await turn();
    expect(w.writes).toEqual([[1, 2]]); // no timer: the next turn of the event loop
    r.push(3);
    r.push(4);
    await turn();
    expect(w.writes).toHaveLength(1); // one write at a time
    w.release();
    await turn();
    await turn();
    expect(recorded).toEqual([1, 2]);
    expect(w.writes).toEqual([
      [1, 2],
      [3, 4],
    ]);
    w.release();
    await r.drain();
    expect(recorded).toEqual([1, 2, 3, 4]);
    expect(r.lost).toBe(0);
  });

  it('retries a failed write with the same outcomes, and counts them lost when it keeps failing', async () => {
    const attempts: number[][] = [];
    const failing = new OutcomeRecorder<number>(
      async (items) => {
        attempts.push([...items]);
        throw new Error('database refused the write');
      },
      logger,
      undefined,
      [1, 1],
    );
    failing.push(7);
    await failing.drain();
    expect(attempts).toEqual([[7], [7], [7]]);
    expect(failing.lost).toBe(1);
  });
});
