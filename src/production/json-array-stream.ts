/**
 * Parses a JSON array that arrives in pieces, handing out its elements batch by batch.
 *
 * Why: the Customers export can be 100,000 rows (tens of MB). Holding the whole body as
 * one string, then the whole parsed array, then the validated rows triples the peak
 * memory, and every raw row lives long enough to be promoted by the garbage collector.
 * Parsing as the bytes arrive keeps only the validated rows.
 *
 * How: each character is looked at once. A small state machine (inside a string or not,
 * after a backslash or not, how deeply nested) carries over from piece to piece and finds
 * the commas that separate the array's elements. Text up to the last such comma in a
 * piece holds whole elements: JSON.parse turns it into values, and only the unfinished
 * element's text is kept, as a list of pieces joined once when it completes. The cost is
 * linear in the body whatever the size of a row (a row spread over many pieces is neither
 * rescanned nor re-joined per piece); JSON.parse still checks the elements' syntax.
 */
/** What ends a run of plain string characters. */
const STRING_STOP = /["\\]/g;

export class JsonArrayStream {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  /** Unfinished text after the last handed-out element, in arrival order (joined when it completes). */
  private pending: string[] = [];
  private pendingChars = 0;
  private opened = false;
  private closed = false;
  /** An element has been handed out at a comma: the array must go on with another. */
  private afterComma = false;
  /** Nesting below the top-level array (0: between its elements). */
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Text after the closing `]` that is not blank (a malformed body). */
  private trailing = false;
  /** Set when a batch failed to parse: nothing more is handed out, and end() throws it. */
  private failure: SyntaxError | null = null;
  /** Text after the closing `]` in the piece where it closed (pushText's `rest`). */
  private restAfterClose = '';
  /** The whole text when it turned out not to be an array (a failed-query object), for takeText. */
  private notArrayText: string[] = [];

  /** True once the first non-blank character has been seen and it was not `[`. */
  notAnArray = false;

  /** Feeds bytes; returns the elements completed by them (possibly none). */
  push(chunk: Uint8Array): unknown[] {
    return this.take(this.decoder.decode(chunk, { stream: true }));
  }

  /** Ends the input; returns the last elements. Throws SyntaxError if the array is incomplete or malformed. */
  end(): unknown[] {
    const last = this.take(this.decoder.decode());
    if (!this.opened) throw new SyntaxError('empty body');
    if (this.notAnArray) throw new SyntaxError('not a JSON array');
    if (this.failure) throw this.failure;
    if (!this.closed) throw new SyntaxError('JSON array is not closed');
    if (this.trailing) throw new SyntaxError('unexpected text after the JSON array');
    return last;
  }

  /**
   * For an array inside a larger document: feeds text that starts at (or continues after) the
   * array's `[`; `rest` is the text after its closing `]` once it has closed, else null.
   * Check `error` when it has closed.
   */
  pushText(text: string): { elements: unknown[]; rest: string | null } {
    this.restAfterClose = '';
    const elements = this.take(text);
    return { elements, rest: this.closed ? this.restAfterClose : null };
  }

  /** Why the array is malformed, once that is known (the elements after it are not handed out). */
  get error(): SyntaxError | null {
    return this.failure;
  }

  /** The text received when it was not an array (a failed-query object), for the caller to read. */
  takeText(): string {
    const text = this.notArrayText.join('') + this.decoder.decode();
    this.notArrayText = [];
    return text;
  }

  private take(text: string): unknown[] {
    if (text === '' || this.failure) return [];
    let start = 0;
    if (!this.opened) {
      const first = text.search(/\S/);
      if (first === -1) return [];
      this.opened = true;
      if (text[first] !== '[') this.notAnArray = true;
      else start = first + 1;
    }
    if (this.notAnArray) {
      this.notArrayText.push(text);
      return [];
    }
    if (this.closed) {
      if (/\S/.test(text)) this.trailing = true;
      return [];
    }
    return this.scan(text, start);
  }

  /** Walks `text` from `start`; hands out the elements that end in it. */
  private scan(text: string, start: number): unknown[] {
    let cut = -1;
    let closeAt = -1;
    let { depth, inString, escaped } = this;
    for (let i = start; i < text.length; i++) {
      if (inString) {
        if (escaped) {
          escaped = false;
          continue;
        }
        // Jump to the next quote or backslash: most of a row's text is inside strings.
        STRING_STOP.lastIndex = i;
        const stop = STRING_STOP.exec(text);
        if (!stop) break;
        i = stop.index;
        if (text.charCodeAt(i) === 0x5c /* \ */) escaped = true;
        else inString = false;
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 0x22) inString = true;
      else if (c === 0x7b /* { */ || c === 0x5b /* [ */) depth += 1;
      else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
        if (depth === 0) {
          // The closing `]` of the top-level array (a `}` here is a syntax error JSON.parse reports).
          closeAt = i;
          break;
        }
        depth -= 1;
      } else if (c === 0x2c /* , */ && depth === 0) cut = i;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    if (closeAt !== -1) {
      this.closed = true;
      this.restAfterClose = text.slice(closeAt + 1);
      if (/\S/.test(this.restAfterClose)) this.trailing = true;
      const body = this.flush(text.slice(start, closeAt));
      if (body.trim() === '' && !this.afterComma) return [];
      return this.parse(body);
    }
    if (cut === -1) {
      this.keep(start === 0 ? text : text.slice(start));
      return [];
    }
    const complete = this.flush(text.slice(start, cut));
    this.keep(text.slice(cut + 1));
    this.afterComma = true;
    return this.parse(complete);
  }

  private keep(text: string): void {
    if (text === '') return;
    this.pending.push(text);
    this.pendingChars += text.length;
  }

  /** The pending text followed by `tail`, and nothing pending any more. */
  private flush(tail: string): string {
    this.pending.push(tail);
    const text = this.pending.length === 1 ? tail : this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    return text;
  }

  private parse(elements: string): unknown[] {
    if (elements.trim() === '') {
      this.failure = new SyntaxError('a JSON array element is missing (two commas, or a comma at the start or end)');
      return [];
    }
    try {
      return JSON.parse(`[${elements}]`) as unknown[];
    } catch (err) {
      this.failure = err instanceof SyntaxError ? err : new SyntaxError(String(err));
      return [];
    }
  }

  /** Characters held for the element not yet complete (for tests and benchmarks). */
  get heldChars(): number {
    return this.pendingChars;
  }
}
