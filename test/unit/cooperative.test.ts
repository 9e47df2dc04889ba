import { asForeground, foregroundPending, inTurns, TimeSlicer } from '../../src/cooperative';

/** Background work (a sliced loop) and a foreground task racing on the one event loop. */
describe('sliced background work gives way to foreground work', () => {
  test('a yield waits while foreground work is in flight, and resumes once it is done', async () => {
    const order: string[] = [];
    let finish!: () => void;
    const foreground = asForeground(
      () =>
        new Promise<void>((resolve) => {
          finish = () => {
            order.push('foreground done');
            resolve();
          };
        }),
    );
    expect(foregroundPending()).toBe(1);
    const slicer = new TimeSlicer(0);
    const background = slicer.yield().then(() => order.push('background resumed'));
    await new Promise((r) => setTimeout(r, 30));
    expect(order).toEqual([]);
    finish();
    await Promise.all([foreground, background]);
    expect(order).toEqual(['foreground done', 'background resumed']);
    expect(foregroundPending()).toBe(0);
  });

  test('the wait is bounded: foreground work that never ends does not stop the background', async () => {
    let finish!: () => void;
    const stuck = asForeground(() => new Promise<void>((resolve) => (finish = resolve)));
    await new TimeSlicer(0).yield();
    // Resumed while the foreground task is still running.
    expect(foregroundPending()).toBe(1);
    finish();
    await stuck;
  });

  test('a failing foreground task is no longer counted', async () => {
    await expect(asForeground(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(foregroundPending()).toBe(0);
  });
});

describe('inTurns', () => {
  it('starts each piece of work in a turn of the event loop of its own, and answers all in order', async () => {
    const log: string[] = [];
    const piece = (name: string) => () => {
      log.push(`start ${name}`);
      // Other work waiting for the loop: it must run before the next piece starts.
      setImmediate(() => log.push(`turn after ${name}`));
      return Promise.resolve(name);
    };
    const results = await inTurns([piece('a'), piece('b'), piece('c')]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log.slice(0, 5)).toEqual(['start a', 'turn after a', 'start b', 'turn after b', 'start c']);
  });

  it('fails as Promise.all does, with the first failure, and leaves no rejection unhandled', async () => {
    const failing = () => Promise.reject(new Error('first'));
    const pending = () => new Promise<string>(() => undefined);
    await expect(inTurns([failing, pending, () => Promise.reject(new Error('second'))])).rejects.toThrow('first');
  });
});
