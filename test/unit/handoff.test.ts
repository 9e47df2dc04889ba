import { Handoff } from '../../src/common/handoff';

describe('Handoff: one value at a time from a producer to a consumer that pulls', () => {
  it('hands the values over in order, each put waiting until its value is taken, then says done', async () => {
    const handoff = new Handoff<number>();
    const taken: number[] = [];
    const producer = (async () => {
      for (const n of [1, 2, 3]) {
        expect(await handoff.put(n)).toBe(true);
      }
      handoff.end();
    })();
    for (;;) {
      const next = await handoff.take();
      if (next.done) break;
      taken.push(next.value);
    }
    await producer;
    expect(taken).toEqual([1, 2, 3]);
  });

  it("gives the producer's failure to the consumer after the values before it", async () => {
    const handoff = new Handoff<string>();
    void handoff.put('a').then(() => handoff.fail(new Error('the read failed')));
    expect(await handoff.take()).toEqual({ done: false, value: 'a' });
    await expect(handoff.take()).rejects.toThrow('the read failed');
  });

  it('keeps a put waiting until the consumer takes its value', async () => {
    const handoff = new Handoff<string>();
    let done = false;
    const put = handoff.put('a').then(() => {
      done = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    expect(await handoff.take()).toEqual({ done: false, value: 'a' });
    await put;
    expect(done).toBe(true);
  });

  it('tells a waiting producer, and every later put, that the consumer has left', async () => {
    const handoff = new Handoff<string>();
    const waiting = handoff.put('a');
    handoff.leave();
    expect(await waiting).toBe(false);
    expect(await handoff.put('b')).toBe(false);
  });
});
