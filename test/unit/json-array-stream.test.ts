import { JsonArrayStream } from '../../src/production/json-array-stream';

/** Feeds `text` in pieces of `size` bytes; returns everything handed out, end() included. */
function parseInPieces(text: string, size: number): unknown[] {
  const bytes = Buffer.from(text);
  const stream = new JsonArrayStream();
  const out: unknown[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...stream.push(bytes.subarray(i, i + size)));
  out.push(...stream.end());
  return out;
}

describe('JsonArrayStream', () => {
  it('finds element boundaries only outside strings, whatever the pieces', () => {
    const rows = [
      { name: 'a, "quoted" } ] { [ name', note: 'back\\slash\\', nested: { list: [1, [2, { x: '}' }]] } },
      'a string element, with a comma',
      42,
      null,
      [{ deep: ['],['] }],
      { last: '\\"' },
    ];
    const text = JSON.stringify(rows, null, 1);
    for (const size of [1, 2, 3, 7, 64, text.length]) expect(parseInPieces(text, size)).toEqual(rows);
  });

  it('hands out each element once its separating comma arrives', () => {
    const stream = new JsonArrayStream();
    expect(stream.push(Buffer.from('[{"a":1},{"a":2'))).toEqual([{ a: 1 }]);
    expect(stream.push(Buffer.from('},'))).toEqual([{ a: 2 }]);
    expect(stream.push(Buffer.from('{"a":3}]'))).toEqual([{ a: 3 }]);
    expect(stream.end()).toEqual([]);
  });

  it('holds only the unfinished row between pieces, and a row far larger than a piece comes out whole', () => {
    const big = { customer_id: 'C1', notes: 'x'.repeat(2_000_000), quote: '"}],' };
    const text = JSON.stringify([{ small: 1 }, big, { small: 2 }]);
    const bytes = Buffer.from(text);
    const stream = new JsonArrayStream();
    const out: unknown[] = [];
    let mostHeld = 0;
    for (let i = 0; i < bytes.length; i += 65_536) {
      out.push(...stream.push(bytes.subarray(i, i + 65_536)));
      mostHeld = Math.max(mostHeld, stream.heldChars);
    }
    out.push(...stream.end());
    expect(out).toEqual([{ small: 1 }, big, { small: 2 }]);
    expect(mostHeld).toBeLessThan(JSON.stringify(big).length + 65_536);
    expect(stream.heldChars).toBe(0);
  });

  it('refuses malformed arrays at the end with a SyntaxError', () => {
    for (const bad of ['[1,]', '[,1]', '[1,,2]', '[{"a":1}] x', '[{"a":1}', '[{"a":}]', '', '   ']) {
      expect(() => parseInPieces(bad, 2)).toThrow(SyntaxError);
    }
  });

  it('keeps the text of a body that is not an array', () => {
    const stream = new JsonArrayStream();
    stream.push(Buffer.from(' {"status":"failed",'));
    stream.push(Buffer.from('"error":"boom"}'));
    expect(stream.notAnArray).toBe(true);
    expect(JSON.parse(stream.takeText())).toEqual({ status: 'failed', error: 'boom' });
  });
});
