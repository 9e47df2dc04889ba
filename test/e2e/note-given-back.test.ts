import { ManualClock } from '../../src/clock';
import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { startTestApp, type TestApp } from '../support/harness';
import { AM, AM2, addRosterUsers, crm, ROSTER_ENV, visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';

/** `/crm note` never drops what was typed: refusals give the note back; an ambiguous customer gets buttons. */
describe('/crm note gives the note back over HTTP', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-11-25T09:00:00Z');
  beforeAll(async () => {
    t = await startTestApp({ env: ROSTER_ENV, clock });
    addRosterUsers(t);
    const p = t.deps.db.prisma;
    await seedLead(p, { customerId: 'G-1', name: 'Gulf Foods', ownerId: AM2 });
    await seedLead(p, { customerId: 'G-2', name: 'Gulf Metals' });
    await seedLead(p, { customerId: 'G-3', name: 'Gulf Plastics' });
  });
  afterAll(async () => t.stop());
  beforeEach(() => t.slack.reset());

  const notesOf = (customerId: string) =>
    t.deps.db.prisma.activity
      .findMany({ where: { kind: 'note', lead: { customerId } }, orderBy: { id: 'asc' } })
      .then((rows) => rows.map((r) => r.text));
  const buttonsOf = (message: any) =>
    (message.blocks as any[])
      .filter((b) => b.accessory?.action_id === ACTION_IDS.notePickLead)
      .map((b) => ({ line: b.text.text as string, value: b.accessory.value as string }));

  /** Clicks a button on the ephemeral reply; returns what the app posted back to that click's response_url. */
  async function click(userId: string, value: string): Promise<any> {
    const before = t.slack.responses.length;
    const res = await t.driver.blockAction(
      userId,
      { action_id: ACTION_IDS.notePickLead, value },
      { type: 'message', is_ephemeral: true, channel_id: 'C0GENERAL', message_ts: '1.1' },
    );
    expect(res.status).toBe(200);
    const responses = await t.slack.waitForResponse(before + 1);
    return responses[before]!.body;
  }

  it('an unknown customer: the reply says so and holds the note, escaped, to copy', async () => {
    const reply = await crm(t, AM, 'note Nowhere Called <@U0BOSS> & agreed a <b>trial</b>');
    const text = visibleText(reply);
    expect(text).toContain('No lead matches “Nowhere”.');
    expect(text).toContain('*Your note was not saved.* Here it is, to copy:');
    expect(text).toContain('```\nCalled &lt;@U0BOSS&gt; &amp; agreed a &lt;b&gt;trial&lt;/b&gt;\n```');
  });

  it('several leads match: a button per lead saves the note there, once', async () => {
    const reply = await crm(t, AM, 'note gulf Asked for 40 pallets & a discount');
    expect(visibleText(reply)).toContain('“gulf” matches 3 leads. *Which one is this note for?*');
    expect(visibleText(reply)).toContain('```\nAsked for 40 pallets &amp; a discount\n```');
    const buttons = buttonsOf(reply);
    expect(buttons.map((b) => b.line.match(/G-\d/)![0])).toEqual(['G-1', 'G-2', 'G-3']);
    for (const b of buttons) expect(b.value.length).toBeLessThanOrEqual(2000);
    expect(await notesOf('G-2')).toEqual([]);

    // Someone else cannot use it (the reply is ephemeral, but a payload can be replayed).
    expect(visibleText(await click(AM2, buttons[1]!.value))).toContain('only they can save it');
    expect(await notesOf('G-2')).toEqual([]);

    const saved = await click(AM, buttons[1]!.value);
    expect(saved).toMatchObject({ replace_original: true, text: 'Note saved on *Gulf Metals*.' });
    expect(await notesOf('G-2')).toEqual(['Asked for 40 pallets & a discount']);
    await t.slack.waitFor(() => t.slack.callsTo('views.publish').some((c) => c.args.user_id === AM));

    const again = await click(AM, buttons[0]!.value);
    expect(again).toMatchObject({ replace_original: true, text: 'This note is already saved on *Gulf Metals*.' });
    expect(await notesOf('G-1')).toEqual([]);
    expect(await notesOf('G-2')).toHaveLength(1);
  });

  it('a button used after 30 minutes: not saved, and the note comes back', async () => {
    const reply = await crm(t, AM, 'note gulf Follow up next week');
    const [button] = buttonsOf(reply);
    clock.advance(31 * 60_000);
    const late = await click(AM, button!.value);
    expect(late.replace_original).toBe(true);
    expect(visibleText(late)).toContain(
      'These buttons stopped working 30 minutes after the note was sent, so it was not saved.',
    );
    expect(visibleText(late)).toContain('```\nFollow up next week\n```');
    expect(await notesOf('G-1')).toEqual([]);
  });
});
