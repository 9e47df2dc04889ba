/**
 * What real Slack does that the app must live with: text arrives entity-encoded with
 * mentions and links in Slack's markup; Slack's Web API can take seconds to answer while
 * every request must be acknowledged within 3 seconds; a trigger_id works once and for 3
 * seconds; a Home view carries a hash that protects it from an older publish.
 *
 * A slow Slack is a Slack that holds its answer until the test releases it: the app must
 * acknowledge (in its own time, judged by the harness) before the release, so it did not wait
 * for Slack, and the test does not sleep through a delay.
 */
import { WebClient } from '@slack/web-api';
import { readMemberFacts } from '../../src/db/member-facts';
import { getLeadCard } from '../../src/domain/lead-card-data';
import { ACTION_IDS, LOG_TO_CRM_SHORTCUT } from '../../src/slack/views/action-ids';
import { LEAD_BLOCKS } from '../../src/slack/views/lead-card';
import { LOG_TO_CRM_BLOCKS } from '../../src/slack/views/log-to-crm-modal';
import { startTestApp, type TestApp, waitForSettled } from '../support/harness';
import { AM, AM2, addRosterUsers, crm, MANAGER, visibleText } from '../support/lead-e2e';
import { trackWait } from '../support/pending-waits';
import { seedLead } from '../support/seed-leads';

/** Account managers whose users.info nobody has asked yet (the viewer cache is cold for each). */
const FRESH = ['U0FRESH001', 'U0FRESH002', 'U0FRESH003', 'U0FRESH004', 'U0FRESH005'];
const ADMIN = 'U0ADMIN01';

/** Resolves once the app has stored what Slack said about `userId` (no deadline of its own). */
async function untilStored(t: TestApp, userId: string): Promise<void> {
  let abandoned = false;
  const untrack = trackWait({
    describe: () => `the app to store what users.info said about ${userId}`,
    abandon: () => {
      abandoned = true;
    },
  });
  try {
    while (!(await readMemberFacts(t.deps.db, userId)).facts) {
      if (abandoned) throw new Error(`the test ended while waiting for the app to store ${userId}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    untrack();
  }
}

describe('real Slack behaviour', () => {
  let t: TestApp;
  let att: number;
  let gulf: number;
  beforeAll(async () => {
    t = await startTestApp({
      env: { CRM_ADMINS: ADMIN, CRM_MANAGERS: MANAGER, CRM_ACCOUNT_MANAGERS: [AM, AM2, ...FRESH].join(',') },
    });
    addRosterUsers(t);
    for (const id of FRESH) t.slack.addUser({ id });
    const p = t.deps.db.prisma;
    att = await seedLead(p, { customerId: 'T-1', name: 'AT&T Gulf', ownerId: AM });
    gulf = await seedLead(p, { customerId: 'G-1', name: 'Gulf Traders', ownerId: AM });
  });
  afterAll(async () => t.stop());
  beforeEach(() => t.slack.reset());
  // Work a test started (after its ack) finishes within that test, so problems are its own.
  afterEach(async () => {
    t.slack.releaseHeld();
    await waitForSettled(t);
  });

  describe('text arrives as Slack encodes it', () => {
    it('/crm find AT&T finds the lead and echoes what was typed', async () => {
      const text = visibleText(await crm(t, AM, 'find AT&T'));
      expect(text).toContain('1 lead match “AT&amp;T”');
      expect(text).toContain('*AT&amp;T Gulf*');
    });

    it('"Log to CRM" keeps the message’s mentions and links, and shows them as such on the card', async () => {
      const message = 'asked <@U0AMANAGE2|ana> about Q&A pricing, see <https://example.com/p?a=1&b=2|the deck>';
      await t.driver.messageShortcut(AM, LOG_TO_CRM_SHORTCUT, { ts: '1732000000.000200', text: message }, 'C0SALES');
      const [open] = await t.slack.waitForCalls('views.open');
      const prefilled = open!.args.view.blocks[1].element.initial_value;
      expect(prefilled).toBe('asked <@U0AMANAGE2> about Q&A pricing, see <https://example.com/p?a=1&amp;b=2|the deck>');
      await t.driver.submitView(AM, {
        callback_id: 'log_to_crm',
        private_metadata: open!.args.view.private_metadata,
        values: {
          [LOG_TO_CRM_BLOCKS.lead]: {
            [ACTION_IDS.leadSelect]: { type: 'external_select', selected_option: { value: String(gulf) } },
          },
          [LOG_TO_CRM_BLOCKS.note]: { [ACTION_IDS.noteText]: { type: 'plain_text_input', value: prefilled } },
        },
      });
      const card = visibleText(await crm(t, AM, 'lead G-1'));
      expect(card).toContain(
        'asked <@U0AMANAGE2> about Q&amp;A pricing, see <https://example.com/p?a=1&amp;b=2|the deck>',
      );
    });
  });

  describe('every request is acknowledged within 3 seconds, even when Slack’s API is slow', () => {
    it('a note modal submitted by someone the app has not looked up yet', async () => {
      const slackAnswers = t.slack.holdAnswers('users.info');
      const card = await getLeadCard(t.deps.db.prisma, gulf);
      await t.driver.submitView(FRESH[0]!, {
        callback_id: 'lead_note',
        private_metadata: JSON.stringify({ leadId: gulf, version: card.version }),
        values: { [LEAD_BLOCKS.note]: { [ACTION_IDS.noteText]: { type: 'plain_text_input', value: 'Called back' } } },
      });
      expect(t.driver.lateAcks().filter((a) => a.what.includes('lead_note'))).toEqual([]);
      slackAnswers();
      // Answered with "Saving…" in time, then the same modal says it is saved; the note is stored once.
      const [update] = await t.slack.waitForCalls('views.update', 1);
      expect(visibleText(update!.args.view)).toContain('Saved');
      expect(await t.deps.db.prisma.activity.count({ where: { leadId: gulf, text: 'Called back' } })).toBe(1);
    });

    it('saving the digest channel, which Slack must confirm the app can post in', async () => {
      t.slack.channels.set('C0DIGEST1', { id: 'C0DIGEST1', name: 'sales-digest' });
      t.slack.botChannels.add('C0DIGEST1');
      const slackAnswers = t.slack.holdAnswers('conversations.info');
      await t.driver.submitView(ADMIN, {
        callback_id: 'admin_digest_channel',
        values: {
          digest_channel: {
            [ACTION_IDS.adminDigestChannel]: { type: 'conversations_select', selected_conversation: 'C0DIGEST1' },
          },
        },
      });
      expect(t.driver.lateAcks().filter((a) => a.what.includes('admin_digest_channel'))).toEqual([]);
      slackAnswers();
      const [update] = await t.slack.waitForCalls('views.update', 1);
      expect(visibleText(update!.args.view)).toContain('Saved');
      await t.slack.waitForCalls('views.publish', 1);
      expect(visibleText(t.slack.homeOf(ADMIN)!.view)).toContain('C0DIGEST1');
    });

    it('"Log to CRM" submitted while chat.getPermalink is slow', async () => {
      t.slack.holdAnswers('chat.getPermalink');
      await t.driver.submitView(AM, {
        callback_id: 'log_to_crm',
        private_metadata: JSON.stringify({ channelId: 'C0SALES', messageTs: '1732000000.000300' }),
        values: {
          [LOG_TO_CRM_BLOCKS.lead]: {
            [ACTION_IDS.leadSelect]: { type: 'external_select', selected_option: { value: String(gulf) } },
          },
          [LOG_TO_CRM_BLOCKS.note]: { [ACTION_IDS.noteText]: { type: 'plain_text_input', value: 'Slow permalink' } },
        },
      });
      expect(t.driver.lateAcks().filter((a) => a.what.includes('log_to_crm'))).toEqual([]);
      // The note is saved in time, without the link Slack was too slow to give.
      const saved = await t.deps.db.prisma.activity.findFirstOrThrow({
        where: { leadId: gulf, text: 'Slow permalink' },
      });
      expect(saved.permalink).toBeNull();
    });

    it('the lead typeahead asked by someone the app has not looked up yet', async () => {
      const slackAnswers = t.slack.holdAnswers('users.info');
      const first = await t.driver.suggestion(FRESH[1]!, ACTION_IDS.leadSelect, 'gulf');
      expect(t.driver.lateAcks().filter((a) => a.what.includes('block_suggestion'))).toEqual([]);
      // Nothing shown to someone not known yet; once Slack has answered, the next keystroke lists the leads.
      expect(first.json).toEqual({ options: [] });
      slackAnswers();
      await waitForSettled(t);
      await untilStored(t, FRESH[1]!);
      const next = await t.driver.suggestion(FRESH[1]!, ACTION_IDS.leadSelect, 'gulf');
      expect(next.json.options.map((o: any) => o.value)).toContain(String(gulf));
    });
  });

  describe('a trigger_id works once and for 3 seconds', () => {
    it('opens "Change stage" from Home while Slack has not yet said who the user is ("Loading…" takes the trigger in time)', async () => {
      const slackAnswers = t.slack.holdAnswers('users.info');
      await t.driver.blockAction(FRESH[2]!, {
        type: 'overflow',
        action_id: ACTION_IDS.leadOverflow,
        selected_option: { value: `stage:${gulf}` },
      });
      await t.slack.waitForCalls('views.open', 1);
      slackAnswers();
      // "Loading…" opened while the trigger was valid, then turned into the stage modal.
      await t.slack.waitForCalls('views.update', 1);
      expect(t.slack.openModalOf(FRESH[2]!)?.view.callback_id).toBe('stage_change');
      expect(t.slack.takeViolations()).toEqual([]);
    });

    it('finishes the "Loading orders…" modal with views.update when the lead is gone, never reusing the trigger', async () => {
      await t.driver.blockAction(AM, {
        type: 'overflow',
        action_id: ACTION_IDS.leadOverflow,
        selected_option: { value: 'orders:999999' },
      });
      const [update] = await t.slack.waitForCalls('views.update', 1);
      expect(visibleText(update!.args.view)).toMatch(/no longer exists|not found|removed/i);
      expect(t.slack.takeViolations()).toEqual([]);
    });
  });

  describe('Home views carry a hash', () => {
    it('publishes with the hash of the view it replaces, and rebuilds once when another publish came first', async () => {
      await t.driver.openHome(AM2);
      const [first] = await t.slack.waitForCalls('views.publish');
      const firstHash = t.slack.homeOf(AM2)!.hash;
      expect(first).toBeDefined();

      await t.driver.openHome(AM2);
      const [, second] = await t.slack.waitForCalls('views.publish', 2);
      expect(second!.args.hash).toBe(firstHash);

      // Another instance publishes in between: the app's next publish meets a stale hash.
      await new WebClient('xoxb-other-instance', { slackApiUrl: t.slack.apiUrl }).views.publish({
        user_id: AM2,
        view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'older' } }] },
      });
      await t.driver.openHome(AM2);
      await t.slack.waitFor(
        () => t.slack.hashConflicts.length === 1 && JSON.stringify(t.slack.homeOf(AM2)!.view).includes('Pipeline'),
        'a rebuilt Home after the conflict',
      );
    });
  });

  describe('Home views go as JSON bodies, through Slack’s rate limits and failures', () => {
    it('sends the view as JSON with the bot token in the Authorization header', async () => {
      await t.driver.openHome(AM);
      const [publish] = await t.slack.waitForCalls('views.publish');
      expect(publish!.contentType).toMatch(/^application\/json/);
      expect(publish!.authorization).toBe(`Bearer ${t.config.SLACK_BOT_TOKEN}`);
      expect(publish!.args).toMatchObject({ user_id: AM, view: { type: 'home' } });
      expect(visibleText(t.slack.homeOf(AM)!.view)).toContain('Gulf Traders');
    });

    it('waits as long as a 429 on views.publish says (Retry-After), then publishes', async () => {
      t.slack.rateLimit('views.publish', 1);
      await t.driver.openHome(MANAGER);
      const [limited, retried] = await t.slack.waitForCalls('views.publish', 2);
      expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(1000);
      await t.slack.waitFor(() => t.slack.homeOf(MANAGER), 'the Home view stored');
      expect(visibleText(t.slack.homeOf(MANAGER)!.view)).toContain('Gulf Traders');
    });

    it('tries a views.publish that failed (HTTP 500, a dropped connection) again', async () => {
      t.slack.serverError('views.publish');
      t.slack.acceptThenFail('views.publish', 'drop');
      await t.driver.openHome(FRESH[4]!);
      await t.slack.waitForCalls('views.publish', 3);
      await waitForSettled(t);
      expect(t.slack.callsTo('views.publish')).toHaveLength(3);
      expect(visibleText(t.slack.homeOf(FRESH[4]!)!.view)).toContain('Gulf Traders');
    });
  });

  it('gives a manager a "View orders" button on Home rows, which opens the order history', async () => {
    await t.driver.openHome(MANAGER);
    const [publish] = await t.slack.waitForCalls('views.publish');
    const row = publish!.args.view.blocks.find((b: any) => b.block_id === `lead:${att}`);
    expect(row.accessory).toMatchObject({ type: 'button', action_id: ACTION_IDS.viewOrders, value: String(att) });
    await t.driver.blockAction(
      MANAGER,
      { action_id: row.accessory.action_id, value: row.accessory.value, block_id: row.block_id },
      { type: 'view', view_id: t.slack.homeOf(MANAGER)!.id },
    );
    const [open] = await t.slack.waitForCalls('views.open');
    expect(visibleText(open!.args.view)).toContain('Order history');
  });
});
