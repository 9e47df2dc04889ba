/**
 * Data at its worst against a Slack as strict as Slack: names and notes full of `&`, `<`
 * and `>` (each becomes 4-5 characters once escaped), notes at their longest, many orders.
 * Every view and message must still be accepted (Block Kit limits apply to the escaped
 * text) and read well: no entity, mention or date cut in half, and a shortened list says
 * how many entries it left out. The harness checks the first two for every call; these
 * tests make the app send the largest payloads it can.
 */
import { ManualClock } from '../../src/clock';
import { MAX_FOLLOW_UP_MESSAGE_LENGTH, MAX_NOTE_LENGTH } from '../../src/common/limits';
import { addNote } from '../../src/domain/leads';
import { DEFAULT_FOLLOW_UP_DELIVERY, followUpJob } from '../../src/jobs/follow-up-job';
import { createLogger } from '../../src/logger';
import { MetabaseClient } from '../../src/production/metabase-client';
import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { type FakeMetabase, startFakeMetabase } from '../support/fake-metabase';
import { seedFollowUp } from '../support/follow-up-fixtures';
import { startTestApp, type TestApp } from '../support/harness';
import { AM, addRosterUsers, crm, MANAGER, ROSTER_ENV, visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';

/** `&`, `<`, `>` and words: 100 characters that escape to about 260. */
const HOSTILE =
  'Q&A <b>bold</b> & more > less & AT&T <@U123> & <!channel> & R&D <https://x|y> && <<>> & words & so on!!';
const hostile = (length: number) => HOSTILE.repeat(Math.ceil(length / HOSTILE.length)).slice(0, length);

describe('Slack limits with hostile data', () => {
  let t: TestApp;
  let mb: FakeMetabase;
  const clock = new ManualClock('2026-11-25T09:00:00Z');
  let leadId: number;
  beforeAll(async () => {
    mb = await startFakeMetabase({ apiKey: 'mb-key', customersCardId: 11, ordersCardId: 12 });
    const production = new MetabaseClient(
      {
        url: mb.url,
        auth: { kind: 'apiKey', apiKey: 'mb-key' },
        customersCardId: 11,
        ordersCardId: 12,
        timeoutMs: 2000,
      },
      createLogger('silent'),
      undefined,
      { retry: { maxAttempts: 1 } },
    );
    t = await startTestApp({ env: ROSTER_ENV, clock, production });
    addRosterUsers(t);
    leadId = await seedLead(t.deps.db.prisma, {
      customerId: 'H-1',
      name: hostile(200),
      company: hostile(150),
      ownerId: AM,
      markets: 'AE,SA,KW,QA,BH,OM,EG,IN,PK,LK,US',
    });
    for (let i = 0; i < 12; i++) {
      clock.set(new Date(Date.parse('2026-11-25T09:00:00Z') + i * 60_000));
      await addNote(t.deps.db.prisma, clock, {
        leadId,
        actorId: AM,
        text: `${String(i).padStart(2, '0')}: ${hostile(MAX_NOTE_LENGTH - 4)}`,
      });
    }
  });
  afterAll(async () => {
    await t.stop();
    await mb.close();
  });

  it('shows the lead card with its longest notes whole-entity and within limits', async () => {
    const card = await crm(t, AM, 'lead H-1');
    const text = visibleText(card);
    expect(text).toContain('*Latest notes*');
    expect(text).toContain('Q&amp;A &lt;b&gt;bold&lt;/b&gt;');
    expect(card.blocks.find((b: any) => b.block_id === `lead_notes:${leadId}`).text.text.length).toBeLessThanOrEqual(
      3000,
    );
  });

  it('shows every entry of a full history page of long notes, within limits', async () => {
    const card = await crm(t, AM, 'lead H-1');
    const all = card.blocks
      .flatMap((b: any) => b.elements ?? [])
      .find((e: any) => e.action_id === ACTION_IDS.leadHistoryPage);
    const before = t.slack.responses.length;
    await t.driver.blockAction(
      AM,
      { action_id: ACTION_IDS.leadHistoryPage, value: all.value },
      { type: 'message', is_ephemeral: true, channel_id: 'C0GENERAL', message_ts: '1.1' },
    );
    const [page] = (await t.slack.waitForResponse(before + 1)).slice(before);
    const text = visibleText(page!.body);
    expect(text).toContain('history, page 1 of 2 (12 entries)');
    // The ten newest notes are on page 1, each shown (cut, not dropped).
    for (let i = 11; i >= 2; i--) expect(text).toContain(`noted: ${String(i).padStart(2, '0')}: Q&amp;A`);
  });

  it('lists 40 orders with long ids and statuses: whole lines, and how many are left out', async () => {
    mb.setOrders(
      'H-1',
      Array.from({ length: 40 }, (_, i) => ({
        order_id: `${'&'.repeat(30)}-${i}`,
        created_at: new Date(Date.parse('2026-10-01T08:00:00Z') + i * 86_400_000).toISOString(),
        market: 'AE',
        currency: 'AED',
        total: '100.00',
        status: '<in transit> & <customs>'.repeat(2),
      })),
    );
    const text = visibleText(await crm(t, MANAGER, 'orders H-1'));
    expect(text).toContain('40 orders, newest first');
    expect(text).toMatch(/_…and \d+ (older orders|more)/);
    expect(text).toContain('over 40 orders');
  });

  it('delivers a follow-up whose message is 1,000 ampersands, cut to fit once escaped', async () => {
    clock.set('2026-11-25T09:00:00Z');
    await seedFollowUp(
      t.deps,
      leadId,
      AM,
      { kind: 'once', startDate: '2026-11-25', timeOfDay: '10:00', timeZone: 'UTC' },
      '&'.repeat(MAX_FOLLOW_UP_MESSAGE_LENGTH),
    );
    clock.set('2026-11-25T10:00:10Z');
    await followUpJob({ ...DEFAULT_FOLLOW_UP_DELIVERY, maxPerSecond: 1000 }).run(t.deps, t.server.built.app.client);
    const dm = t.slack.callsTo('chat.postMessage').find((c) => c.args.channel === AM);
    expect(dm).toBeDefined();
    const first = dm!.args.blocks[0].text.text as string;
    expect(first.length).toBeLessThanOrEqual(3000);
    expect(first).toContain('&amp;&amp;&amp;');
    expect(await t.deps.db.prisma.alertDelivery.count({ where: { status: 'sent' } })).toBe(1);
  });

  it('publishes Home for a lead named with 200 hostile characters', async () => {
    await t.driver.openHome(AM);
    const [publish] = await t.slack.waitForCalls('views.publish');
    expect(JSON.stringify(publish!.args.view)).toContain('Q&amp;A &lt;b&gt;');
  });
});
