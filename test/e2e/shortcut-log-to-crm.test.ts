import { ACTION_IDS, LOG_TO_CRM_SHORTCUT } from '../../src/slack/views/action-ids';
import { LOG_TO_CRM_BLOCKS } from '../../src/slack/views/log-to-crm-modal';
import { startTestApp, type TestApp } from '../support/harness';
import { AM, addRosterUsers, crm, MANAGER, ROSTER_ENV, STRANGER, visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';

describe('"Log to CRM" message shortcut over HTTP', () => {
  let t: TestApp;
  let gulf: number;
  beforeAll(async () => {
    t = await startTestApp({ env: ROSTER_ENV });
    addRosterUsers(t);
    const p = t.deps.db.prisma;
    gulf = await seedLead(p, { customerId: 'G-1', name: 'Gulf Traders', lifetimeUsdCents: 10n });
    await seedLead(p, { customerId: 'G-2', name: 'Big Gulf Imports', lifetimeUsdCents: 99_999_00n });
    for (let i = 0; i < 120; i++)
      await seedLead(p, { customerId: `W-${i}`, name: `Widget Buyer ${i}`, lifetimeUsdCents: BigInt(i) });
  });
  afterAll(async () => t.stop());
  beforeEach(() => t.slack.reset());

  const submit = (
    userId: string,
    leadId: number | null,
    note: string,
    metadata = JSON.stringify({ channelId: 'C0SALES', messageTs: '1732000000.000100' }),
  ) =>
    t.driver.submitView(userId, {
      callback_id: 'log_to_crm',
      private_metadata: metadata,
      values: {
        [LOG_TO_CRM_BLOCKS.lead]: {
          [ACTION_IDS.leadSelect]: {
            type: 'external_select',
            selected_option: leadId === null ? null : { value: String(leadId) },
          },
        },
        [LOG_TO_CRM_BLOCKS.note]: { [ACTION_IDS.noteText]: { type: 'plain_text_input', value: note } },
      },
    });

  it('opens the modal with a lead typeahead and the message text prefilled', async () => {
    await t.driver.messageShortcut(
      AM,
      LOG_TO_CRM_SHORTCUT,
      { ts: '1732000000.000100', text: 'They want 50 units & a <discount>' },
      'C0SALES',
    );
    const [open] = await t.slack.waitForCalls('views.open');
    const view = open!.args.view;
    expect(view.callback_id).toBe('log_to_crm');
    expect(view.blocks[0].element).toMatchObject({ type: 'external_select', action_id: ACTION_IDS.leadSelect });
    expect(view.blocks[1].element.initial_value).toBe('They want 50 units & a <discount>');
    expect(JSON.parse(view.private_metadata)).toEqual({ channelId: 'C0SALES', messageTs: '1732000000.000100' });
  });

  it('answers the typeahead with ranked leads, at most 100', async () => {
    // Answered within Slack's 3 seconds: the harness checks every request's ack time.
    const gulfOptions = await t.driver.suggestion(AM, ACTION_IDS.leadSelect, 'gulf');
    expect(gulfOptions.json.options.map((o: any) => o.value)).toEqual([String(gulf + 1), String(gulf)]);
    expect(gulfOptions.json.options[0].text.text).toBe('Big Gulf Imports · G-2');
    const widgets = await t.driver.suggestion(AM, ACTION_IDS.leadSelect, 'widget');
    expect(widgets.json.options).toHaveLength(100);
    expect(widgets.json.options[0].text.text).toBe('Widget Buyer 119 · W-119');
  });

  it('gives people off the roster no options at all', async () => {
    const res = await t.driver.suggestion(STRANGER, ACTION_IDS.leadSelect, 'gulf');
    expect(res.json).toEqual({ options: [] });
  });

  it('stores the message as a note with its permalink, shown on the lead card', async () => {
    const res = await submit(AM, gulf, 'They want 50 units & a <discount>');
    expect(res.json?.response_action).toBeUndefined();
    const [permalinkCall] = await t.slack.waitForCalls('chat.getPermalink');
    expect(permalinkCall!.args).toMatchObject({ channel: 'C0SALES', message_ts: '1732000000.000100' });
    const note = await t.deps.db.prisma.activity.findFirstOrThrow({ where: { leadId: gulf, kind: 'note' } });
    expect(note).toMatchObject({
      actorId: AM,
      text: 'They want 50 units & a <discount>',
      permalink: 'https://fake.slack.com/archives/C0SALES/p1732000000000100',
      isTouch: true,
    });
    const card = visibleText(await crm(t, AM, 'lead G-1'));
    expect(card).toContain(
      'They want 50 units &amp; a &lt;discount&gt; (<https://fake.slack.com/archives/C0SALES/p1732000000000100|message>)',
    );
  });

  it('refuses a submission without a lead or with an empty note, on the field', async () => {
    expect((await submit(AM, null, 'text')).json).toEqual({
      response_action: 'errors',
      errors: { [LOG_TO_CRM_BLOCKS.lead]: 'Pick the lead this message is about.' },
    });
    expect((await submit(AM, gulf, '  ')).json).toEqual({
      response_action: 'errors',
      errors: { [LOG_TO_CRM_BLOCKS.note]: 'The note is empty.' },
    });
  });

  it('keeps the note without a link when chat.getPermalink fails', async () => {
    t.slack.failWith('chat.getPermalink', 'message_not_found');
    const res = await submit(AM, gulf, 'Logged while the message vanished');
    expect(res.json?.response_action).toBeUndefined();
    const note = await t.deps.db.prisma.activity.findFirstOrThrow({
      where: { leadId: gulf, text: 'Logged while the message vanished' },
    });
    expect(note.permalink).toBeNull();
  });

  it('refuses managers: the shortcut tells them, a forged submission changes nothing', async () => {
    await t.driver.messageShortcut(MANAGER, LOG_TO_CRM_SHORTCUT, { ts: '1.2', text: 'hello' });
    const [open] = await t.slack.waitForCalls('views.open');
    expect(open!.args.view.callback_id).toBeUndefined();
    expect(visibleText(open!.args.view)).toContain('can read the pipeline but not change leads');
    const before = await t.deps.db.prisma.activity.count();
    const res = await submit(MANAGER, gulf, 'sneaky');
    expect(res.json.errors[LOG_TO_CRM_BLOCKS.lead]).toContain('not change leads');
    expect(await t.deps.db.prisma.activity.count()).toBe(before);
  });
});
