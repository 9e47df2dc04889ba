import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { LEAD_BLOCKS } from '../../src/slack/views/lead-card';
import { startTestApp, type TestApp } from '../support/harness';
import { ADMIN, AM, addRosterUsers, crm, GUEST, MANAGER, ROSTER_ENV, STRANGER, visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';

const SECRET_NAME = 'Secret Customer LLC';
const REFUSALS = {
  stranger: 'not on the CRM roster',
  guest: 'not available to guest accounts',
  manager: 'can read the pipeline but not change leads',
};

describe('who may do what with leads', () => {
  let t: TestApp;
  let leadId: number;
  beforeAll(async () => {
    t = await startTestApp({ env: ROSTER_ENV });
    addRosterUsers(t);
    leadId = await seedLead(t.deps.db.prisma, { customerId: 'Z-1', name: SECRET_NAME });
  });
  afterAll(async () => t.stop());
  beforeEach(() => t.slack.reset());

  const onMessage = { type: 'message', is_ephemeral: true };

  describe.each([
    ['a non-member', STRANGER, REFUSALS.stranger],
    ['a Slack guest on the roster', GUEST, REFUSALS.guest],
  ])('%s', (_label, user, refusal) => {
    it('gets a polite refusal and no customer data from commands', async () => {
      for (const command of ['find secret', 'lead Z-1', 'uncontacted', 'mine', 'note Z-1 hi', 'stage Z-1 contacted']) {
        const text = visibleText(await crm(t, user, command));
        expect(text).toContain(refusal);
        expect(text).not.toContain('Secret');
      }
    });

    it('gets a refusal from card buttons and the Home overflow, and no modal with data', async () => {
      await t.driver.blockAction(user, { action_id: ACTION_IDS.viewOrders, value: String(leadId) }, onMessage);
      const [answer] = await t.slack.waitForResponse(1);
      expect(answer!.body.text).toContain(refusal);
      await t.driver.blockAction(user, {
        type: 'overflow',
        action_id: ACTION_IDS.leadOverflow,
        selected_option: { value: `stage:${leadId}` },
      });
      const [open] = await t.slack.waitForCalls('views.open');
      expect(open!.args.view.callback_id).toBeUndefined();
      expect(visibleText(open!.args.view)).toContain(refusal);
      expect(visibleText(open!.args.view)).not.toContain('Secret');
      await t.driver.blockAction(user, { action_id: ACTION_IDS.leadHistoryPage, value: `${leadId}:1` }, onMessage);
      const responses = await t.slack.waitForResponse(2);
      expect(visibleText(responses[1]!.body)).toContain(refusal);
    });

    it('cannot submit a lead modal or search leads', async () => {
      const res = await t.driver.submitView(user, {
        callback_id: 'stage_change',
        private_metadata: JSON.stringify({ leadId, version: 1 }),
        values: {
          [LEAD_BLOCKS.stage]: {
            [ACTION_IDS.stageSelect]: { type: 'static_select', selected_option: { value: 'contacted' } },
          },
        },
      });
      expect(res.json.errors[LEAD_BLOCKS.stage]).toContain(refusal);
      expect((await t.driver.suggestion(user, ACTION_IDS.leadSelect, 'secret')).json).toEqual({ options: [] });
      expect((await t.deps.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).stage).toBe('lead');
    });
  });

  describe('a manager', () => {
    it('reads leads but cannot open edit modals, assign or submit', async () => {
      expect(visibleText(await crm(t, MANAGER, 'lead Z-1'))).toContain(SECRET_NAME);
      expect(visibleText(await crm(t, MANAGER, 'find secret'))).toContain(SECRET_NAME);
      for (const actionId of [
        ACTION_IDS.openStageModal,
        ACTION_IDS.openNoteModal,
        ACTION_IDS.openContactModal,
        ACTION_IDS.openOwnerModal,
        ACTION_IDS.assignToMe,
      ]) {
        t.slack.reset();
        await t.driver.blockAction(MANAGER, { action_id: actionId, value: String(leadId) }, onMessage);
        const [answer] = await t.slack.waitForResponse(1);
        expect(answer!.body.text).toContain(REFUSALS.manager);
      }
      expect(t.slack.callsTo('views.open')).toHaveLength(0);
      const res = await t.driver.submitView(MANAGER, {
        callback_id: 'lead_note',
        private_metadata: JSON.stringify({ leadId, version: 1 }),
        values: { [LEAD_BLOCKS.note]: { [ACTION_IDS.noteText]: { type: 'plain_text_input', value: 'x' } } },
      });
      expect(res.json.errors[LEAD_BLOCKS.note]).toContain(REFUSALS.manager);
      expect(await t.deps.db.prisma.activity.count({ where: { leadId } })).toBe(0);
    });
  });

  describe.each([
    ['an account manager', AM],
    ['an admin', ADMIN],
  ])('%s', (_label, user) => {
    it('opens the edit modals and changes leads', async () => {
      await t.driver.blockAction(user, { action_id: ACTION_IDS.openNoteModal, value: String(leadId) }, onMessage);
      const [open] = await t.slack.waitForCalls('views.open');
      expect(open!.args.view.callback_id).toBe('lead_note');
      expect(visibleText(await crm(t, user, `note Z-1 from ${user}`))).toContain('Note saved');
    });
  });
});
