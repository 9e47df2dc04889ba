import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { LEAD_BLOCKS } from '../../src/slack/views/lead-card';
import { startTestApp, type TestApp, waitForSettled } from '../support/harness';
import { AM, AM2, addRosterUsers, ROSTER_ENV } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';
import { coverageRecorder } from './coverage';
import { printTrace } from './print';

/** Stage change from the lead card: click, modal, submit, the card and the Homes back. */
it('stage change from the lead card', async () => {
  const t: TestApp = await startTestApp({ env: ROSTER_ENV });
  addRosterUsers(t);
  const rec = await coverageRecorder();
  let seq = 0;
  async function stageChange(): Promise<void> {
    seq += 1;
    const id = await seedLead(t.deps.db.prisma, { customerId: `T-${seq}`, name: `Trace ${seq}`, ownerId: AM2 });
    t.slack.reset();
    await waitForSettled(t);
    await rec.start();
    await t.driver.blockAction(
      AM,
      { action_id: ACTION_IDS.openStageModal, value: String(id) },
      { type: 'message', is_ephemeral: true, channel_id: 'C0GENERAL', message_ts: '1.1' },
    );
    const [opened] = await t.slack.waitForCalls('views.open', 1);
    await t.driver.submitView(AM, {
      callback_id: 'stage_change',
      private_metadata: opened!.args.view.private_metadata,
      values: {
        [LEAD_BLOCKS.stage]: {
          [ACTION_IDS.stageSelect]: { type: 'static_select', selected_option: { value: 'contacted' } },
        },
      },
    });
    await t.slack.waitForResponse(1);
    await waitForSettled(t);
  }
  await stageChange(); // warm-up
  await stageChange();
  printTrace('Stage change from the lead card', await rec.files());
  await rec.stop();
  await t.stop();
});
