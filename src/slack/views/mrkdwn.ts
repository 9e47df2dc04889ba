/**
 * Escapes text for Slack mrkdwn: `&`, `<` and `>` only (Slack's rule), so a customer named
 * `<!channel> ACME & Co` shows as typed and never pings a channel or forms a link.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts plain text (plain_text objects, which Slack does not parse) to `max` characters with
 * an ellipsis, never between the two halves of an emoji. Not for mrkdwn: use `cutMrkdwn`.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}

const ELLIPSIS = '…';

/** Pieces of escaped mrkdwn that must stay whole: entities and Slack markup (`<@U…>`, `<!date^…|…>`, links). */
const ATOMS = /&(?:amp|lt|gt);|<[^<>\n]*>/g;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The last position ≤ `at` where `text` may be cut: not inside an atom, not inside a surrogate pair. */
function safeCut(text: string, at: number): number {
  let cut = Math.max(0, at);
  for (const m of text.matchAll(ATOMS)) {
    const start = m.index!;
    if (start >= cut) break;
    if (start + m[0].length > cut) {
      cut = start;
      break;
    }
  }
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return cut;
}

/**
 * Cuts escaped mrkdwn to at most `max` characters, ending with an ellipsis. Never splits an
 * entity (`&amp;`), a mention, link or date (`<…>`) or an emoji; cuts after a whole line
 * when that keeps at least half of the room. Slack's limits count what it receives, so
 * escape first, then cut (`escapeAndCut`).
 */
export function cutMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  if (room <= 0) return ELLIPSIS.slice(0, Math.max(0, max));
  const lineEnd = text.lastIndexOf('\n', room - 1);
  if (lineEnd >= room / 2) return `${text.slice(0, lineEnd)}\n${ELLIPSIS}`;
  return `${text.slice(0, safeCut(text, room)).trimEnd()}${ELLIPSIS}`;
}

/** Escapes raw text for mrkdwn, then cuts it to `max` (the limit applies to the escaped text). */
export function escapeAndCut(raw: string, max: number): string {
  return cutMrkdwn(escapeMrkdwn(raw), max);
}

export interface MrkdwnList {
  /** A first line always shown (e.g. the list's title). */
  head?: string;
  /** The entries, one mrkdwn line each, in the order shown. */
  lines: string[];
  /** How many entries there are in all, when `lines` is only the first of them (default: lines.length). */
  total?: number;
  /** The last line when entries are left out (default "_…and N more_"). */
  more?: (left: number) => string;
}

const defaultMore = (left: number) => `_…and ${left.toLocaleString('en-US')} more_`;

/**
 * Joins a list into mrkdwn of at most `max` characters: whole entries only (an entry too
 * long on its own is cut with `cutMrkdwn`), and when some are left out, a last line saying
 * how many. Entries are never split across the cut.
 */
export function fitList(list: MrkdwnList, max: number): string {
  const more = list.more ?? defaultMore;
  const total = Math.max(list.total ?? list.lines.length, list.lines.length);
  const head = list.head !== undefined ? [list.head] : [];
  const joined = [...head, ...list.lines, ...(total > list.lines.length ? [more(total - list.lines.length)] : [])].join(
    '\n',
  );
  if (joined.length <= max) return joined;

  const shown: string[] = [...head];
  let length = head.length ? head[0]!.length : 0;
  let count = 0;
  for (const line of list.lines) {
    const note = more(total - count - 1);
    const withLine = length + (shown.length ? 1 : 0) + line.length;
    const needsNote = count + 1 < total;
    if (withLine + (needsNote ? 1 + note.length : 0) > max) break;
    shown.push(line);
    length = withLine;
    count += 1;
  }
  if (count === 0 && list.lines.length) {
    // Not even one entry fits whole: show the first one cut, and count the rest.
    const note = total > 1 ? more(total - 1) : '';
    const room = max - length - (shown.length ? 1 : 0) - (note ? 1 + note.length : 0);
    if (room > ELLIPSIS.length) {
      shown.push(cutMrkdwn(list.lines[0]!, room));
      count = 1;
    }
  }
  if (count < total) shown.push(more(total - count));
  return cutMrkdwn(shown.join('\n'), max);
}
