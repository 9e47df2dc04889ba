import {
  checkBlocks,
  checkMessage,
  checkSuggestionOptions,
  checkView,
  slackMessages,
} from '../support/block-kit-limits';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'section',
  text: mrkdwn(text),
  ...extra,
});
const option = (text: string, value: string) => ({ text: plain(text), value });
const modal = (blocks: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'modal',
  title: plain('Title'),
  close: plain('Close'),
  blocks,
  ...extra,
});
const pointers = (problems: { pointer: string }[]) => problems.map((p) => p.pointer);

describe('Block Kit limits', () => {
  it('accepts a modal that keeps every limit, at the limits', () => {
    const view = modal(
      [
        { type: 'header', text: plain('h'.repeat(150)) },
        section('s'.repeat(3000), { block_id: 'b'.repeat(255) }),
        { type: 'section', fields: Array.from({ length: 10 }, () => mrkdwn('f'.repeat(2000))) },
        { type: 'context', elements: Array.from({ length: 10 }, () => mrkdwn('c')) },
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'a1', text: plain('t'.repeat(75)), value: 'v'.repeat(2000) },
            { type: 'overflow', action_id: 'a2', options: [option('only one', 'x')] },
            {
              type: 'static_select',
              action_id: 'a3',
              options: Array.from({ length: 100 }, (_, i) => option('o'.repeat(75), `${i}`.padEnd(150, 'v'))),
            },
          ],
        },
        {
          type: 'input',
          label: plain('Label'),
          element: { type: 'plain_text_input', action_id: 'i', max_length: 3000 },
        },
      ],
      { title: plain('t'.repeat(24)), submit: plain('s'.repeat(24)), private_metadata: 'm'.repeat(3000) },
    );
    expect(checkView(view)).toEqual([]);
  });

  it('refuses each text one character over its limit, pointing at it', () => {
    const view = modal(
      [
        { type: 'header', text: plain('h'.repeat(151)) },
        section('s'.repeat(3001)),
        { type: 'section', fields: [mrkdwn('f'.repeat(2001))] },
        { type: 'actions', elements: [{ type: 'button', action_id: 'b', text: plain('t'.repeat(76)) }] },
        {
          type: 'actions',
          elements: [{ type: 'static_select', action_id: 's', options: [option('o'.repeat(76), 'v'.repeat(151))] }],
        },
      ],
      {
        title: plain('t'.repeat(25)),
        submit: plain('s'.repeat(25)),
        close: plain('c'.repeat(25)),
        private_metadata: 'm'.repeat(3001),
      },
    );
    const problems = checkView(view);
    expect(pointers(problems).sort()).toEqual(
      [
        '/view/blocks/0/text/text',
        '/view/blocks/1/text/text',
        '/view/blocks/2/fields/0/text',
        '/view/blocks/3/elements/0/text/text',
        '/view/blocks/4/elements/0/options/0/text/text',
        '/view/blocks/4/elements/0/options/0/value',
        '/view/title/text',
        '/view/submit/text',
        '/view/close/text',
        '/view/private_metadata',
      ].sort(),
    );
    expect(problems.find((p) => p.pointer === '/view/blocks/0/text/text')!.message).toBe(
      'must be less than 151 characters',
    );
  });

  it('counts blocks per surface: 100 in a modal or Home, 50 in a message', () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(checkView({ type: 'home', blocks: blocks(100) })).toEqual([]);
    expect(checkView({ type: 'home', blocks: blocks(101) })).toEqual([
      { pointer: '/view/blocks', message: 'no more than 100 items allowed' },
    ]);
    expect(checkView(modal(blocks(101)))).toHaveLength(1);
    expect(checkMessage({ blocks: blocks(50) })).toEqual([]);
    expect(checkMessage({ blocks: blocks(51) })).toEqual([
      { pointer: '/blocks', message: 'no more than 50 items allowed' },
    ]);
  });

  it('counts fields, context elements, overflow and select options', () => {
    const problems = checkBlocks(
      [
        { type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) },
        { type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) },
        section('x', { accessory: { type: 'overflow', action_id: 'o', options: [] } }),
        section('x', {
          accessory: {
            type: 'overflow',
            action_id: 'o',
            options: Array.from({ length: 6 }, (_, i) => option('o', `${i}`)),
          },
        }),
        section('x', {
          accessory: {
            type: 'static_select',
            action_id: 's',
            options: Array.from({ length: 101 }, (_, i) => option('o', `${i}`)),
          },
        }),
      ],
      'message',
    );
    expect(problems).toEqual([
      { pointer: '/blocks/0/fields', message: 'no more than 10 items allowed' },
      { pointer: '/blocks/1/elements', message: 'no more than 10 items allowed' },
      { pointer: '/blocks/2/accessory/options', message: 'must provide at least 1 items' },
      { pointer: '/blocks/3/accessory/options', message: 'no more than 5 items allowed' },
      { pointer: '/blocks/4/accessory/options', message: 'no more than 100 items allowed' },
    ]);
  });

  it('wants block_ids unique in the view and action_ids unique in their block', () => {
    const button = (id: string) => ({ type: 'button', action_id: id, text: plain('b') });
    const problems = checkView({
      type: 'home',
      blocks: [
        section('a', { block_id: 'same' }),
        section('b', { block_id: 'same' }),
        { type: 'actions', elements: [button('x'), button('x')] },
        { type: 'actions', elements: [button('x')] },
      ],
    });
    expect(problems).toEqual([
      { pointer: '/view/blocks/1/block_id', message: 'duplicate block_id: same' },
      { pointer: '/view/blocks/2/elements/1/action_id', message: 'duplicate action_id in the block: x' },
    ]);
  });

  it('wants required fields: types, text objects, a modal title, input label and element, submit with inputs', () => {
    const problems = checkView({
      type: 'modal',
      blocks: [
        { text: mrkdwn('no type') },
        { type: 'section' },
        { type: 'input' },
        { type: 'header', text: { type: 'plain_text', text: '' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'x', emoji: true } },
      ],
    });
    expect(problems).toEqual([
      { pointer: '/view/blocks/0', message: 'missing required field: type' },
      { pointer: '/view/blocks/1', message: 'missing required field: text or fields' },
      { pointer: '/view/blocks/2', message: 'missing required field: label' },
      { pointer: '/view/blocks/2', message: 'missing required field: element' },
      { pointer: '/view/blocks/3/text/text', message: 'must be more than 0 characters' },
      { pointer: '/view/blocks/4/text/emoji', message: 'emoji is only allowed on plain_text' },
      { pointer: '/view', message: 'missing required field: title' },
      { pointer: '/view/submit', message: 'submit is required when blocks contain input blocks' },
    ]);
  });

  it('wants plain_text where Slack only takes plain_text, and an initial option among the options', () => {
    const problems = checkBlocks(
      [
        { type: 'header', text: mrkdwn('*bold*') },
        section('x', { accessory: { type: 'button', action_id: 'b', text: mrkdwn('b') } }),
        section('x', {
          accessory: {
            type: 'static_select',
            action_id: 's',
            options: [option('A', 'a')],
            initial_option: option('B', 'b'),
          },
        }),
      ],
      'home',
    );
    expect(pointers(problems)).toEqual([
      '/blocks/0/text/type',
      '/blocks/1/accessory/text/type',
      '/blocks/2/accessory/initial_option',
    ]);
  });

  it('checks the options answered to a typeahead', () => {
    expect(checkSuggestionOptions({ options: [option('A', '1')] })).toEqual([]);
    expect(checkSuggestionOptions({ options: Array.from({ length: 101 }, (_, i) => option('A', `${i}`)) })).toEqual([
      { pointer: '/options', message: 'no more than 100 items allowed' },
    ]);
    expect(pointers(checkSuggestionOptions({ options: [option('x'.repeat(76), '1')] }))).toEqual([
      '/options/0/text/text',
    ]);
  });

  it('formats problems as Slack does in response_metadata.messages', () => {
    expect(
      slackMessages([{ pointer: '/view/blocks/0/text/text', message: 'must be less than 151 characters' }]),
    ).toEqual(['[ERROR] must be less than 151 characters [json-pointer:/view/blocks/0/text/text]']);
  });
});
