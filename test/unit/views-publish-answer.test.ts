import { readViewsPublishAnswer } from '../../src/slack/web-api/views-publish-answer';

/** What the app takes from an answer when it parses it whole (publishAsJson's reading). */
function fullRead(text: string): { ok: true; view: { hash?: string } } | 'not ok' {
  const parsed = JSON.parse(text) as { ok?: unknown; view?: { hash?: unknown } | null };
  if (parsed.ok !== true) return 'not ok';
  const hash = parsed.view?.hash;
  return { ok: true, view: typeof hash === 'string' ? { hash } : {} };
}

/** A small deterministic generator, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Keys in a random order, as Slack does not promise one. */
function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const TRICKY_TEXTS = [
  'plain',
  'a "quoted" word',
  'ends in a backslash \\',
  'two backslashes then a quote \\\\"',
  '{"hash":"not this one"}',
  '"hash":"nor this"',
  'brackets ] } [ { inside',
  'unicode – €, 😀 and \u2028',
  '',
];

/** A Home view as Slack might echo it: blocks with tricky text, and "hash" keys nested deeper. */
function slackAnswer(random: () => number): Record<string, unknown> {
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const blocks = Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) => ({
    type: 'section',
    block_id: `b${i}`,
    text: { type: 'mrkdwn', text: pick(TRICKY_TEXTS), verbatim: false },
    ...(random() < 0.3 ? { hash: pick(TRICKY_TEXTS) } : {}),
    ...(random() < 0.3 ? { accessory: { type: 'button', value: pick(TRICKY_TEXTS), n: [1, -2.5e3, null, true] } } : {}),
  }));
  const hashValue = pick<unknown>(['1712345678.abcdef12', '1712345678.abcdef12', null, 42, 'with \\"escape\\"']);
  const viewMembers: [string, unknown][] = [
    ['id', 'V0123'],
    ['type', 'home'],
    ['blocks', blocks],
    [
      'state',
      { values: random() < 0.5 ? {} : { b0: { hash: { type: 'plain_text_input', value: pick(TRICKY_TEXTS) } } } },
    ],
    ['private_metadata', pick(TRICKY_TEXTS)],
    ['close', null],
    ['clear_on_close', false],
    ['previous_view_id', null],
  ];
  if (random() < 0.9) viewMembers.push(['hash', hashValue]);
  const view = Object.fromEntries(shuffled(viewMembers, random));
  const members: [string, unknown][] = [['ok', true]];
  if (random() < 0.95) members.push(['view', view]);
  if (random() < 0.5) members.push(['response_metadata', { warnings: ['superfluous_charset'], hash: 'nope' }]);
  if (random() < 0.2) members.push(['hash', 'top-level, not the view’s']);
  return Object.fromEntries(shuffled(members, random));
}

describe('reading a views.publish answer without parsing the view', () => {
  it('reads the view’s hash as a full parse does, whatever the key order, nesting and spacing', () => {
    const random = prng(23);
    let fast = 0;
    for (let i = 0; i < 600; i += 1) {
      const answer = slackAnswer(random);
      const text = JSON.stringify(answer, null, random() < 0.3 ? 2 : undefined);
      const read = readViewsPublishAnswer(text);
      if (read) {
        fast += 1;
        expect(read).toEqual(fullRead(text));
      }
    }
    // Most answers are read without a full parse (only escaped hashes and missing views are not).
    expect(fast).toBeGreaterThan(450);
  });

  it('reads an answer in Slack’s own layout', () => {
    const text =
      '{"ok":true,"view":{"id":"V1","team_id":"T1","type":"home","blocks":[{"type":"section","block_id":"x","text":{"type":"mrkdwn","text":"say \\"hi\\" \\\\","verbatim":false}}],"private_metadata":"","callback_id":"","state":{"values":{}},"hash":"1712345678.abc","title":{"type":"plain_text","text":"View Title","emoji":true},"clear_on_close":false,"notify_on_close":false,"close":null,"submit":null,"previous_view_id":null,"root_view_id":"V1","app_id":"A1","external_id":"","app_installed_team_id":"T1","bot_id":"B1"}}';
    expect(readViewsPublishAnswer(text)).toEqual({ ok: true, view: { hash: '1712345678.abc' } });
  });

  it('takes the last of a key given twice, as JSON.parse does', () => {
    expect(readViewsPublishAnswer('{"ok":true,"view":{"hash":"a","hash":"b"}}')).toEqual({
      ok: true,
      view: { hash: 'b' },
    });
    expect(readViewsPublishAnswer('{"ok":true,"view":{"hash":"a"},"view":{"id":"V"}}')).toEqual({
      ok: true,
      view: {},
    });
    expect(readViewsPublishAnswer('{"ok":true,"view":{"hash":"a"},"ok":false}')).toBeNull();
  });

  it.each([
    ['a refusal', '{"ok":false,"error":"hash_conflict"}'],
    ['ok that is not literally true', '{"ok":"true","view":{"hash":"a"}}'],
    ['no ok', '{"view":{"hash":"a"}}'],
    ['no view', '{"ok":true}'],
    ['a view that is not an object', '{"ok":true,"view":null}'],
    ['a key written with escapes', '{"ok":true,"view":{"h\\u0061sh":"a"}}'],
    ['a hash written with escapes', '{"ok":true,"view":{"hash":"a\\u0062"}}'],
    ['text after the answer', '{"ok":true,"view":{"hash":"a"}} x'],
    ['two answers', '{"ok":true,"view":{"hash":"a"}}{}'],
    ['not an object', '[{"ok":true}]'],
    ['ok followed by more letters', '{"ok":truex,"view":{"hash":"a"}}'],
    ['a missing colon', '{"ok" true,"view":{"hash":"a"}}'],
    ['a missing comma', '{"ok":true "view":{"hash":"a"}}'],
    ['nothing', ''],
  ])('leaves %s to the full parse', (_what, text) => {
    expect(readViewsPublishAnswer(text)).toBeNull();
  });

  it('never reads an answer that was cut short', () => {
    const text = JSON.stringify(slackAnswer(prng(7)));
    expect(readViewsPublishAnswer(text)).not.toBeNull();
    for (let end = 0; end < text.length; end += 1) expect(readViewsPublishAnswer(text.slice(0, end))).toBeNull();
  });
});
