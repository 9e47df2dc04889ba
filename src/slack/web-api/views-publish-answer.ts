/**
 * The hash of the view a successful views.publish answer carries, read without parsing the
 * view: Slack answers `{"ok":true,"view":{…}}` with the whole published view echoed, and the
 * app needs only `ok` and `view.hash`. JSON.parse would build every block of it, on the one
 * thread that serves a crowd of Home opens.
 *
 * Walks the two levels it reads (the answer's members, then the view's), in any key order and
 * whitespace, skipping every other value by matching brackets outside strings. Returns null
 * whenever it is not certain: `ok` not literally `true`, no `view` object, a key or the hash
 * written with escapes, anything unexpected or cut short; the caller then parses the whole text.
 * As JSON.parse does, a key given twice counts at its last.
 */
export function readViewsPublishAnswer(text: string): { ok: true; view: { hash?: string } } | null {
  const scan = new Scanner(text);
  let ok = false;
  let sawView = false;
  let hash: string | undefined;
  const members = scan.members((key) => {
    if (key === 'ok') {
      ok = scan.literal('true');
      return ok;
    }
    if (key === 'view') {
      sawView = true;
      hash = undefined;
      return scan.members((viewKey) => {
        if (viewKey !== 'hash') return scan.skipValue();
        // Not a string: no hash, as the full parse would read it. A string with escapes: not certain.
        if (!scan.nextIsString()) {
          hash = undefined;
          return scan.skipValue();
        }
        hash = scan.plainString() ?? undefined;
        return hash !== undefined;
      });
    }
    return scan.skipValue();
  });
  if (!members || !ok || !sawView || !scan.atEnd()) return null;
  return { ok: true, view: hash === undefined ? {} : { hash } };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** A cursor over JSON text; every method returns false (or null) when the text is not as expected. */
class Scanner {
  private at = 0;

  constructor(private readonly text: string) {}

  private skipSpace(): void {
    while (this.at < this.text.length && isSpace(this.text.charCodeAt(this.at))) this.at += 1;
  }

  /** Whether only whitespace is left. */
  atEnd(): boolean {
    this.skipSpace();
    return this.at === this.text.length;
  }

  /** Skips `token` if it is next. */
  private take(code: number): boolean {
    this.skipSpace();
    if (this.text.charCodeAt(this.at) !== code) return false;
    this.at += 1;
    return true;
  }

  /** Reads `literal` (true, false, null) if it is next, as a whole token. */
  literal(literal: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(literal, this.at)) return false;
    this.at += literal.length;
    const next = this.text.charCodeAt(this.at);
    return Number.isNaN(next) || isSpace(next) || next === 0x2c || next === 0x7d || next === 0x5d;
  }

  /**
   * An object's members, each key handed to `onMember` with the cursor before its value;
   * `onMember` reads or skips the value and says whether it could.
   */
  members(onMember: (key: string) => boolean): boolean {
    if (!this.take(0x7b)) return false;
    if (this.take(0x7d)) return true;
    for (;;) {
      this.skipSpace();
      const key = this.plainString();
      if (key === null || !this.take(0x3a) || !onMember(key)) return false;
      if (this.take(0x7d)) return true;
      if (!this.take(0x2c)) return false;
    }
  }

  /** Whether the next value is a string. */
  nextIsString(): boolean {
    this.skipSpace();
    return this.text.charCodeAt(this.at) === QUOTE;
  }

  /** A string with no escapes in it, read; null (cursor unmoved) if the next value is not one. */
  plainString(): string | null {
    this.skipSpace();
    if (this.text.charCodeAt(this.at) !== QUOTE) return null;
    const end = this.text.indexOf('"', this.at + 1);
    if (end < 0) return null;
    const value = this.text.slice(this.at + 1, end);
    if (value.includes('\\')) return null;
    this.at = end + 1;
    return value;
  }

  /** Moves past the string starting at the cursor (on its opening quote). */
  private skipString(): boolean {
    let end = this.at;
    for (;;) {
      end = this.text.indexOf('"', end + 1);
      if (end < 0) return false;
      let backslashes = 0;
      while (this.text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes += 1;
      if (backslashes % 2 === 0) break;
    }
    this.at = end + 1;
    return true;
  }

  /** Moves past the next value without reading it: strings by their quotes, containers by their brackets. */
  skipValue(): boolean {
    this.skipSpace();
    const first = this.text.charCodeAt(this.at);
    if (first === QUOTE) return this.skipString();
    if (first === 0x7b || first === 0x5b) return this.skipContainer();
    // A number or a literal: up to the next delimiter.
    const start = this.at;
    for (; this.at < this.text.length; this.at += 1) {
      const c = this.text.charCodeAt(this.at);
      if (c === 0x2c || c === 0x7d || c === 0x5d || isSpace(c)) break;
    }
    return this.at > start && this.at < this.text.length;
  }

  /**
   * Moves past the object or array at the cursor, counting brackets outside strings (the
   * hot loop of a view's blocks: plain locals, and each string crossed with one indexOf).
   */
  private skipContainer(): boolean {
    const text = this.text;
    const length = text.length;
    let at = this.at;
    let depth = 0;
    while (at < length) {
      const c = text.charCodeAt(at);
      if (c === QUOTE) {
        let end = at;
        for (;;) {
          end = text.indexOf('"', end + 1);
          if (end < 0) return false;
          if (text.charCodeAt(end - 1) !== BACKSLASH) break;
          let backslashes = 1;
          while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes += 1;
          if (backslashes % 2 === 0) break;
        }
        at = end + 1;
        continue;
      }
      at += 1;
      if (c === 0x7b || c === 0x5b) depth += 1;
      else if (c === 0x7d || c === 0x5d) {
        depth -= 1;
        if (depth === 0) {
          this.at = at;
          return true;
        }
      }
    }
    return false;
  }
}
