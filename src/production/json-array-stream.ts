/**
 * Parses a JSON array that arrives in pieces, handing out its elements batch by batch.
 *
 * Why: the Customers export can be 100,000 rows (tens of MB). Holding the whole body as
 * one string, then the whole parsed array, then the validated rows triples the peak
 * memory, and every raw row lives long enough to be promoted by the garbage collector.
 * Parsing as the bytes arrive keeps only the validated rows.
 *
 * How, without a hand-written JSON parser: after each piece we cut the buffered text after
 * its last `}` and give `[` + text + `]` to JSON.parse. If that `}` sat inside a string,
 * the text ends in an unterminated string and JSON.parse throws, so a successful parse
 * proves the cut was between elements; on failure we try an earlier `}` a few times, then
 * wait for more text. Elements that are not objects simply wait for the final parse.
 */
export class JsonArrayStream {
  private buffer = '';
  private opened = false;
  /** True right after elements were handed out, until the separating comma has been seen. */
  private betweenElements = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  /** True once the first non-blank character has been seen and it was not `[`. */
  notAnArray = false;

  /** Feeds bytes; returns the elements completed by them (possibly none). */
  push(chunk: Uint8Array): unknown[] {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    if (!this.opened && !this.open()) return [];
    if (this.notAnArray) return [];
    return this.drain();
  }

  /** Ends the input; returns the last elements. Throws SyntaxError if the array is incomplete or malformed. */
  end(): unknown[] {
    this.buffer += this.decoder.decode();
    if (!this.opened && !this.open()) throw new SyntaxError('empty body');
    if (this.notAnArray) throw new SyntaxError('not a JSON array');
    this.dropSeparator();
    const rest = this.buffer.trimEnd();
    if (!rest.endsWith(']')) throw new SyntaxError('JSON array is not closed');
    const body = rest.slice(0, -1).trim();
    this.buffer = '';
    if (body === '') return [];
    return JSON.parse(`[${body}]`) as unknown[];
  }

  /** The text received when it was not an array (a failed-query object), for the caller to read. */
  takeText(): string {
    const text = this.buffer + this.decoder.decode();
    this.buffer = '';
    return text;
  }

  private open(): boolean {
    const start = this.buffer.search(/\S/);
    if (start === -1) return false;
    this.opened = true;
    if (this.buffer[start] !== '[') {
      this.notAnArray = true;
      return true;
    }
    this.buffer = this.buffer.slice(start + 1);
    return true;
  }

  /** After handing out elements the text resumes at `,` (more) or `]` (the end): drop the comma. */
  private dropSeparator(): void {
    if (!this.betweenElements) return;
    const i = this.buffer.search(/\S/);
    if (i === -1) return;
    if (this.buffer[i] === ',') this.buffer = this.buffer.slice(i + 1);
    this.betweenElements = false;
  }

  private drain(): unknown[] {
    this.dropSeparator();
    if (this.betweenElements) return [];
    let cut = this.buffer.lastIndexOf('}');
    for (let tries = 0; cut !== -1 && tries < 4; tries++) {
      const after = this.buffer.slice(cut + 1).trimStart();
      // A row boundary is followed by `,` (more rows) or `]` (the end; left for end()).
      if (after === '' || after[0] === ',') {
        let items: unknown[] | null = null;
        try {
          items = JSON.parse(`[${this.buffer.slice(0, cut + 1)}]`) as unknown[];
        } catch {
          items = null;
        }
        if (items) {
          this.buffer = after;
          this.betweenElements = true;
          this.dropSeparator();
          return items;
        }
      }
      cut = this.buffer.lastIndexOf('}', cut - 1);
    }
    return [];
  }
}
