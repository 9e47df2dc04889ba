import type { FakeSlack } from './fake-slack';

/**
 * Slack shows mrkdwn as sent: a cut that split `&amp;` shows "&am…", one that split
 * `<@U…>` or `<!date^…>` shows the raw markup. Slack does not refuse these, so the fake
 * cannot; this audit finds them in everything the app sent.
 */

/** Entities and Slack markup, the pieces that must arrive whole. */
const ATOMS = /&(?:amp|lt|gt);|<[^<>\n]*>/g;

/** The problem with one mrkdwn text, or null when every entity and `<…>` is whole. */
export function brokenMrkdwn(text: string): string | null {
  let i = 0;
  while (i < text.length) {
    ATOMS.lastIndex = i;
    const atom = ATOMS.exec(text);
    const next = atom ? atom.index : text.length;
    const stretch = text.slice(i, next);
    const bad = /[&<]|(?<!^|\n)>/.exec(stretch);
    if (bad) {
      const at = i + bad.index;
      return `stray "${bad[0]}" in ${JSON.stringify(text.slice(Math.max(0, at - 30), at + 30))}`;
    }
    i = atom ? atom.index + atom[0].length : text.length;
  }
  return null;
}

/** Every mrkdwn text object found in a payload. */
export function mrkdwnTexts(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) mrkdwnTexts(v, into);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') into.push(o.text);
    else for (const v of Object.values(o)) mrkdwnTexts(v, into);
  }
  return into;
}

/** Mrkdwn the app sent (views, messages, response_url answers) with a split entity or markup. */
export function brokenMrkdwnSentTo(slack: FakeSlack): string[] {
  const found = new Set<string>();
  for (const payload of slack.sent) {
    for (const text of mrkdwnTexts(payload)) {
      const problem = brokenMrkdwn(text);
      if (problem) found.add(problem);
    }
  }
  return [...found];
}
