/**
 * Slack mrkdwn as the renderer needs it: lines (a `>` line is a quote) of runs, each run
 * plain text with its style, or an emoji shortcode. Covers what the app writes: *bold*,
 * _italic_, ~strike~, `code`, <url|links>, <@user> and <#channel> mentions, <!date^…|fallback>,
 * <!here>-style specials and :emoji:. Entities (&amp; &lt; &gt;) are decoded last, so an
 * escaped `&lt;!channel&gt;` shows as text and never as a mention.
 */

export interface TextStyle {
  bold?: boolean;
  italic?: boolean;
  strike?: boolean;
  code?: boolean;
  /** A link or a mention: drawn in link colour; a mention also gets its tint. */
  link?: boolean;
  mention?: boolean;
  /** Secondary text inside a label, such as an input's "(optional)". */
  muted?: boolean;
}

export type Run = { text: string; style: TextStyle } | { emoji: string; style: TextStyle };

export interface MrkdwnLine {
  quote: boolean;
  runs: Run[];
}

/** How ids in mentions read: the demo's people and channels have names. */
export interface MentionNames {
  users?: Record<string, string>;
  channels?: Record<string, string>;
}

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);

const FLAG: Record<string, keyof TextStyle> = { '*': 'bold', _: 'italic', '~': 'strike' };

/** The closing delimiter of a span opened at `open`, or -1 when it is a literal character. */
function closingOf(s: string, open: number): number {
  const d = s[open]!;
  if (isWordChar(s[open - 1]) || isSpace(s[open + 1])) return -1;
  for (let j = open + 2; j < s.length; j++) {
    if (s[j] === d && !isSpace(s[j - 1]) && !isWordChar(s[j + 1])) return j;
  }
  return -1;
}

function angleToken(body: string, names: MentionNames, style: TextStyle): Run {
  const [target, label] = splitLabel(body);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return { text: `@${label ?? names.users?.[id] ?? id}`, style: { ...style, mention: true } };
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return { text: `#${label ?? names.channels?.[id] ?? id}`, style: { ...style, mention: true } };
  }
  if (target.startsWith('!')) {
    const special = target.slice(1);
    if (special.startsWith('date^') || special.startsWith('subteam^')) {
      return { text: decode(label ?? special), style };
    }
    return { text: `@${special}`, style: { ...style, mention: true } };
  }
  return { text: decode(label ?? target), style: { ...style, link: true } };
}

function splitLabel(body: string): [string, string | undefined] {
  const bar = body.indexOf('|');
  return bar === -1 ? [body, undefined] : [body.slice(0, bar), body.slice(bar + 1)];
}

function parseInline(s: string, style: TextStyle, names: MentionNames, out: Run[]): void {
  let text = '';
  const flush = () => {
    if (text) out.push({ text: decode(text), style });
    text = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '<') {
      const end = s.indexOf('>', i);
      if (end > i + 1) {
        flush();
        out.push(angleToken(s.slice(i + 1, end), names, style));
        i = end;
        continue;
      }
    }
    if (c === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ text: decode(s.slice(i + 1, end)), style: { ...style, code: true } });
        i = end;
        continue;
      }
    }
    if (c === ':') {
      const m = /^:([a-z0-9_+-]+):/.exec(s.slice(i));
      if (m) {
        flush();
        out.push({ emoji: m[1]!, style });
        i += m[0].length - 1;
        continue;
      }
    }
    const flag = FLAG[c];
    if (flag) {
      const end = closingOf(s, i);
      if (end !== -1) {
        flush();
        parseInline(s.slice(i + 1, end), { ...style, [flag]: true }, names, out);
        i = end;
        continue;
      }
    }
    text += c;
  }
  flush();
}

export function parseMrkdwn(source: string, names: MentionNames = {}): MrkdwnLine[] {
  return source.split('\n').map((line) => {
    const quote = line.startsWith('&gt;') || line.startsWith('>');
    const body = quote ? line.replace(/^(&gt;|>) ?/, '') : line;
    const runs: Run[] = [];
    parseInline(body, {}, names, runs);
    return { quote, runs };
  });
}

/** plain_text: no formatting; shortcodes become emoji when the object says `emoji: true`. */
export function parsePlainText(text: string, emoji: boolean): MrkdwnLine[] {
  return text.split('\n').map((line) => {
    const runs: Run[] = [];
    if (!emoji) {
      if (line) runs.push({ text: line, style: {} });
      return { quote: false, runs };
    }
    let last = 0;
    for (const m of line.matchAll(/:([a-z0-9_+-]+):/g)) {
      if (m.index > last) runs.push({ text: line.slice(last, m.index), style: {} });
      runs.push({ emoji: m[1]!, style: {} });
      last = m.index + m[0].length;
    }
    if (last < line.length) runs.push({ text: line.slice(last), style: {} });
    return { quote: false, runs };
  });
}
