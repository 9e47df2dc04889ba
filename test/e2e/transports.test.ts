import { DEFAULT_FOLLOW_UP_DELIVERY, followUpJob } from '../../src/jobs/follow-up-job';
import { ACTION_IDS, LOG_TO_CRM_SHORTCUT } from '../../src/slack/views/action-ids';
import { LEAD_BLOCKS } from '../../src/slack/views/lead-card';
import { LOG_TO_CRM_BLOCKS } from '../../src/slack/views/log-to-crm-modal';
import { seedFollowUp } from '../support/follow-up-fixtures';
import type { TestApp } from '../support/harness';
import { AM, type HomeApp, leadNamesInStage, publishedViews, startHomeApp, waitForQuiet } from '../support/home-app';
import { crm, visibleText } from '../support/lead-e2e';
import type { DriverResponse } from '../support/slack-driver';

const A = ACTION_IDS;
const B = LEAD_BLOCKS;
const NOW = '2026-11-25T09:00:00Z';
const job = followUpJob({ ...DEFAULT_FOLLOW_UP_DELIVERY, maxPerSecond: 1000 });

/**
 * The same journeys over HTTP (signed requests, answered in the HTTP response) and over Socket
 * Mode (envelopes on a WebSocket, answered in the acknowledgement): Home, /crm, a lead card
 * button, a modal refused then accepted, the "Log to CRM" shortcut and a follow-up's Done.
 */
describe.each(['http', 'socket'] as const)('the main journeys over %s', (transport) => {
  let app: HomeApp;
  let t: TestApp;
  const lead = (customerId: string) => t.deps.db.prisma.lead.findUniqueOrThrow({ where: { customerId } });

  beforeAll(async () => {
    app = await startHomeApp({
      transport,
      customers: [
        {
          customer_id: 'GT1',
          customer_name: 'Gulf Traders',
          company: 'Gulf Traders LLC',
          market: 'AE',
          currency: 'AED',
          order_count: 3,
          lifetime_total: '9000.00',
          last_order_at: '2026-11-20T10:00:00Z',
        },
        {
          customer_id: 'DR1',
          customer_name: 'Desert Rose',
          market: 'SA',
          currency: 'SAR',
          order_count: 1,
          lifetime_total: '500.00',
          last_order_at: '2026-11-22T10:00:00Z',
        },
      ],
    });
    t = app.t;
  });
  afterAll(async () => app.stop());
  beforeEach(() => {
    t.slack.reset();
    app.clock.set(NOW);
  });

  /** In Socket Mode, the answer is the ack of the very envelope sent, with the same payload. */
  function expectAnsweredInAck(res: DriverResponse, payloadType: string): void {
    if (transport === 'http') {
      expect(res.envelopeId).toBeUndefined();
      return;
    }
    const ack = t.socket!.ackFor(res.envelopeId!);
    expect(ack?.payload).toEqual(res.json);
    expect(t.socket!.deliveriesOf(res.envelopeId!).map((d) => d.envelope.payload.type)).toEqual([payloadType]);
  }

  it('reports on /healthz how Slack reaches the app', async () => {
    const body = (await (await fetch(`${t.baseUrl}/healthz`)).json()) as Record<string, any>;
    expect(body.ok).toBe(true);
    expect(body.slack).toEqual(
      transport === 'http'
        ? { mode: 'http', token: expect.any(Object) }
        : { mode: 'socket', connection: 'connected', since: expect.any(String), token: expect.any(Object) },
    );
  });

  it('Home opened: publishes the pipeline at once, syncs, and publishes the new leads', async () => {
    const res = await t.driver.openHome(AM);
    expect(res.status).toBe(200);
    await waitForQuiet(t);
    const views = publishedViews(t.slack, AM);
    expect(views.length).toBeGreaterThanOrEqual(2);
    expect(leadNamesInStage(views[0]!, 'lead')).toEqual([]);
    expect(leadNamesInStage(views[views.length - 1]!, 'lead')).toEqual(['Gulf Traders', 'Desert Rose']);
    expect(await t.deps.db.prisma.syncRun.count()).toBe(1);
    if (transport === 'socket') {
      // Events are acknowledged before the work: the ack reached Slack before the first publish.
      const ack = t.socket!.ackFor(res.envelopeId!)!;
      expect(ack.payload).toBeUndefined();
      expect(ack.at).toBeLessThanOrEqual(t.slack.callsTo('views.publish')[0]!.at);
    }
  });

  it('/crm find answers through response_url', async () => {
    const answer = visibleText(await crm(t, AM, 'find gulf'));
    expect(answer).toContain('Gulf Traders');
    expect(answer).not.toContain('Desert Rose');
  });

  it('a lead card button opens its modal; the modal is refused with a field error, then accepted', async () => {
    const card = await crm(t, AM, 'lead GT1');
    const button = elementWithActionId(card.blocks, A.openStageModal);
    expect(button.value).toBe(String((await lead('GT1')).id));

    const click = await t.driver.blockAction(
      AM,
      { action_id: A.openStageModal, value: button.value },
      { type: 'message', is_ephemeral: true, channel_id: 'C0GENERAL', message_ts: '1.1' },
    );
    expect(click.status).toBe(200);
    const [open] = await t.slack.waitForCalls('views.open');
    const modal = open!.args.view;
    expect(modal.callback_id).toBe('stage_change');
    // The trigger_id Slack sent with the click (the fake refuses any other).
    expect(open!.args.trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);

    const submit = (stage: string, reason: string) =>
      t.driver.submitView(AM, {
        callback_id: 'stage_change',
        private_metadata: modal.private_metadata,
        values: {
          [B.stage]: { [A.stageSelect]: { type: 'static_select', selected_option: { value: stage } } },
          [B.churnReason]: { [A.churnReason]: { type: 'plain_text_input', value: reason } },
        },
      });
    const refused = await submit('churned', '');
    expect(refused.status).toBe(200);
    expect(refused.json).toEqual({
      response_action: 'errors',
      errors: { [B.churnReason]: 'Moving a lead to Churned needs a reason.' },
    });
    expectAnsweredInAck(refused, 'view_submission');
    expect((await lead('GT1')).stage).toBe('lead');

    const accepted = await submit('churned', 'Went with a competitor');
    expect(accepted.status).toBe(200);
    expect(accepted.json).toBeUndefined();
    expectAnsweredInAck(accepted, 'view_submission');
    expect(await lead('GT1')).toMatchObject({ stage: 'churned', version: 2 });
  });

  it('"Log to CRM": the shortcut opens the modal, the typeahead answers, the note is saved with its link', async () => {
    await t.driver.messageShortcut(
      AM,
      LOG_TO_CRM_SHORTCUT,
      { ts: '1732000000.000100', text: 'They want 50 units' },
      'C0SALES',
    );
    const [open] = await t.slack.waitForCalls('views.open');
    expect(open!.args.view.callback_id).toBe('log_to_crm');
    expect(open!.args.view.blocks[1].element.initial_value).toBe('They want 50 units');

    const desert = await lead('DR1');
    const options = await t.driver.suggestion(AM, A.leadSelect, 'desert');
    expect(options.json.options.map((o: any) => o.value)).toEqual([String(desert.id)]);
    expectAnsweredInAck(options, 'block_suggestion');

    const saved = await t.driver.submitView(AM, {
      callback_id: 'log_to_crm',
      private_metadata: open!.args.view.private_metadata,
      values: {
        [LOG_TO_CRM_BLOCKS.lead]: {
          [A.leadSelect]: { type: 'external_select', selected_option: { value: String(desert.id) } },
        },
        [LOG_TO_CRM_BLOCKS.note]: { [A.noteText]: { type: 'plain_text_input', value: 'They want 50 units' } },
      },
    });
    expect(saved.json).toBeUndefined();
    const note = await t.deps.db.prisma.activity.findFirstOrThrow({ where: { leadId: desert.id, kind: 'note' } });
    expect(note).toMatchObject({
      actorId: AM,
      text: 'They want 50 units',
      permalink: 'https://fake.slack.com/archives/C0SALES/p1732000000000100',
    });
  });

  it('a follow-up DM: Done updates the message in place and completes the follow-up', async () => {
    const desert = await lead('DR1');
    // 14:00 in Dubai is 10:00Z.
    const followUpId = await seedFollowUp(
      t.deps,
      desert.id,
      AM,
      { kind: 'once', startDate: '2026-11-25', timeOfDay: '14:00', timeZone: 'Asia/Dubai' },
      'Send the price list',
    );
    app.clock.set('2026-11-25T10:00:10Z');
    await job.run(t.deps, t.server.built.app.client);
    const delivery = await t.deps.db.prisma.alertDelivery.findFirstOrThrow({ where: { alertId: followUpId } });
    const [dm] = t.slack
      .callsTo('chat.postMessage')
      .filter((c) => JSON.stringify(c.args.blocks).includes('Send the price list'));
    const done = dm!.args.blocks.find((b: any) => b.type === 'actions').elements[0];
    expect(done.action_id).toBe(A.followUpDone);

    const res = await t.driver.blockAction(
      AM,
      { action_id: A.followUpDone, value: done.value },
      { type: 'message', channel_id: delivery.channel, message_ts: delivery.messageTs },
      { channel: { id: delivery.channel }, message: { ts: delivery.messageTs, text: 'x' } },
    );
    expect(res.status).toBe(200);
    expect(res.json).toBeUndefined();
    const [update] = await t.slack.waitForCalls('chat.update');
    expect(update!.args).toMatchObject({ channel: delivery.channel, ts: delivery.messageTs });
    expect(JSON.stringify(update!.args.blocks)).toContain(`Done, marked by <@${AM}>`);
    expect(await t.deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id: followUpId } })).toMatchObject({
      active: false,
      nextDueAt: null,
    });
  });
});

/** The interactive element with this action id, anywhere in the blocks. */
function elementWithActionId(blocks: any[], actionId: string): any {
  const found: any[] = [];
  const walk = (node: any): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    if (node.action_id === actionId) found.push(node);
    Object.values(node).forEach(walk);
  };
  walk(blocks);
  if (found.length !== 1) throw new Error(`expected one element with action id ${actionId}, found ${found.length}`);
  return found[0];
}
