import { hiddenLinkHost } from './link-host';
import { escapeMrkdwn } from './mrkdwn';

/**
 * Text as Slack delivers it (slash command text, a message's text in a shortcut) and back.
 * Slack sends what a person typed with `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;`, and
 * puts mentions, channels and links in its markup: `<@U123>`, `<@U123|ana>`,
 * `<#C123|sales>`, `<https://example.com|label>`, `<!here>`, `<!subteam^S1|@team>`,
 * `<!date^…|fallback>`. Decode it once, where it comes in; escape it again where it is shown.
 */

export type SlackTextPart =
  | { kind: 'text'; text: string }
  | { kind: 'user'; id: string; label?: string }
  | { kind: 'channel'; id: string; label?: string; raw: string }
  | { kind: 'link'; url: string; label?: string; raw: string }
  | { kind: 'broadcast'; name: string }
  | { kind: 'usergroup'; id: string; label?: string }
  | { kind: 'date'; fallback: string };

const MARKUP = /<([^<>]*)>/g;

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar === -1 ? [inner, undefined] : [inner.slice(0, bar), decodeEntities(inner.slice(bar + 1))];
}

function markupPart(inner: string): SlackTextPart | null {
  const [target, label] = splitLabel(inner);
  if (/^@[UW][A-Z0-9]+$/.test(target)) return { kind: 'user', id: target.slice(1), ...(label ? { label } : {}) };
  if (/^#[CGD][A-Z0-9]+$/.test(target))
    return { kind: 'channel', id: target.slice(1), ...(label ? { label } : {}), raw: inner };
  if (/^!(here|channel|everyone)$/.test(target)) return { kind: 'broadcast', name: target.slice(1) };
  if (target.startsWith('!subteam^'))
    return { kind: 'usergroup', id: target.slice('!subteam^'.length), ...(label ? { label } : {}) };
  if (target.startsWith('!date^')) return { kind: 'date', fallback: label ?? '' };
  if (/^(https?|mailto|tel):\S+$/i.test(target))
    return { kind: 'link', url: decodeEntities(target), ...(label ? { label } : {}), raw: inner };
  return null;
}

/** Slack-encoded text as parts: plain text (entities decoded) and the markup Slack puts in. */
export function parseSlackText(encoded: string): SlackTextPart[] {
  const parts: SlackTextPart[] = [];
  let last = 0;
  const text = (raw: string) => {
    if (raw) parts.push({ kind: 'text', text: decodeEntities(raw) });
  };
  for (const m of encoded.matchAll(MARKUP)) {
    const part = markupPart(m[1]!);
    if (!part) continue; // not Slack markup: left as text
    text(encoded.slice(last, m.index));
    parts.push(part);
    last = m.index! + m[0].length;
  }
  text(encoded.slice(last));
  return parts;
}

function plainOf(part: SlackTextPart): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'user':
      return `@${part.label ?? part.id}`;
    case 'channel':
      return `#${part.label ?? part.id}`;
    case 'link':
      return part.label ?? part.url.replace(/^mailto:/i, '');
    case 'broadcast':
      return `@${part.name}`;
    case 'usergroup':
      return part.label ? (part.label.startsWith('@') ? part.label : `@${part.label}`) : '@group';
    case 'date':
      return part.fallback;
  }
}

/**
 * Slack markup kept in stored notes: people, channels and links (never pings or dates),
 * as Slack sent them (a label keeps its entities, so `<`, `>` in it cannot end the markup).
 */
function keptMarkupOf(part: SlackTextPart): string | null {
  switch (part.kind) {
    case 'user':
      return `<@${part.id}>`;
    case 'channel':
    case 'link':
      return `<${part.raw}>`;
    default:
      return null;
  }
}

/**
 * What the person typed, from Slack-encoded text.
 * - `plain` (searches, names, reasons): entities decoded, markup as it reads (`@ana`,
 *   `#sales`, a link's label, a date's fallback).
 * - `note` (text kept and shown again, e.g. "Log to CRM"): the same, except that people,
 *   channels and links stay in Slack's markup (`<@U123>`, `<#C1|sales>`,
 *   `<https://…|label>`) so `noteToMrkdwn` shows them as mentions and links again.
 *   `@here`/`@channel` and user groups become plain text: a stored note never pings.
 */
export function decodeSlackText(encoded: string, mode: 'plain' | 'note' = 'plain'): string {
  return parseSlackText(encoded)
    .map((p) => (mode === 'note' ? (keptMarkupOf(p) ?? plainOf(p)) : plainOf(p)))
    .join('');
}

const KEPT_MARKUP = /<(@[UW][A-Z0-9]+|#[CGD][A-Z0-9]+(?:\|[^<>|]*)?|(?:https?|mailto|tel):[^<>|\s]+(?:\|[^<>]*)?)>/gi;

/** Escaped for mrkdwn whether it arrives escaped (from Slack) or raw (typed in a modal). */
const normalised = (text: string) => escapeMrkdwn(decodeEntities(text));

/**
 * A stored note as mrkdwn: everything escaped except the people, channels and links kept
 * by `decodeSlackText(…, 'note')` (or typed in that form), which show as mentions and
 * links. `<!here>` and the like are escaped: a note never pings. A link whose label names
 * another address than its target gets the real host beside it (`hiddenLinkHost`).
 */
export function noteToMrkdwn(stored: string): string {
  let out = '';
  let last = 0;
  for (const m of stored.matchAll(KEPT_MARKUP)) {
    out += escapeMrkdwn(stored.slice(last, m.index));
    const [target, label] = splitLabel(m[1]!);
    // The real host goes inside the link text, so a cut (`cutMrkdwn` keeps `<…>` whole) never drops it.
    const realHost = hiddenLinkHost(decodeEntities(target), label);
    const shown = label === undefined ? undefined : realHost === undefined ? label : `${label} (${realHost})`;
    out += `<${normalised(target)}${shown !== undefined ? `|${escapeMrkdwn(shown)}` : ''}>`;
    last = m.index! + m[0].length;
  }
  return out + escapeMrkdwn(stored.slice(last));
}
