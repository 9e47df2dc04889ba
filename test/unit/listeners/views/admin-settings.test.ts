import { listRates } from '../../../../src/domain/rates';
import { getRole } from '../../../../src/domain/roster';
import { getAllSettings } from '../../../../src/domain/settings';
import { adminSettings } from '../../../../src/slack/listeners/views/admin-settings';
import { ACTION_IDS, adminCallbackId } from '../../../../src/slack/views/action-ids';
import { ADMIN_BLOCKS } from '../../../../src/slack/views/admin-common';
import { buildAdminMessageModal } from '../../../../src/slack/views/admin-modals';
import {
  ADMIN,
  type Fakes,
  fakes,
  input,
  type ListenerDeps,
  MANAGER,
  openListenerDeps,
  published,
  STRANGER,
  select,
  viewerOf,
  viewSubmission,
} from '../../../support/listener-kit';
import { seedLead } from '../../../support/seed-leads';

let t: ListenerDeps;
beforeAll(async () => {
  t = await openListenerDeps();
});
afterAll(() => t.cleanup());

const prisma = () => t.deps.db.prisma;
const settings = () => getAllSettings(prisma(), t.deps.config);

const submit = (f: Fakes, userId: string, setting: string, values: Record<string, Record<string, any>>) =>
  adminSettings(t.deps)(viewSubmission(f, { userId, callbackId: adminCallbackId(setting), values }));

const syncDays = (value: string) => ({ [ADMIN_BLOCKS.syncDays]: { [ACTION_IDS.adminSyncDays]: input(value) } });

/** Saved: a bare ack, then the admin's Home republished with the new value. */
async function expectSaved(f: Fakes): Promise<void> {
  expect(f.ack.mock.calls).toEqual([[]]);
  expect(f.indexOf('ack')).toBeLessThan(f.indexOf('views.publish'));
  expect(f.client.views.publish.mock.calls).toEqual([
    [published(ADMIN, await t.deps.homePublisher.buildFor(viewerOf(ADMIN, 'admin')))],
  ]);
}

describe('adminSettings (view submission)', () => {
  it("saves the sync window and republishes the admin's Home", async () => {
    const f = fakes();
    await submit(f, ADMIN, 'sync_window', syncDays('45'));
    expect((await settings()).sync_days).toBe(45);
    await expectSaved(f);
  });

  it.each([
    ['abc', 'Enter a whole number of days between 1 and 3650.'],
    ['0', 'The window must be at least 1 day.'],
  ])('a window of "%s" is answered under the field, nothing saved', async (value, message) => {
    const before = (await settings()).sync_days;
    const f = fakes();
    await submit(f, ADMIN, 'sync_window', syncDays(value));
    expect(f.ack.mock.calls).toEqual([[{ response_action: 'errors', errors: { [ADMIN_BLOCKS.syncDays]: message } }]]);
    expect(f.shown()).toEqual([]);
    expect((await settings()).sync_days).toBe(before);
  });

  it.each([
    [MANAGER, 'Only CRM admins can do that.'],
    [STRANGER, 'Sorry, you are not on the CRM roster yet. Ask a CRM admin to add you.'],
  ])('refuses %s by replacing the modal with the refusal; nothing saved', async (userId, refusal) => {
    const before = (await settings()).sync_days;
    const f = fakes();
    await submit(f, userId, 'sync_window', syncDays('7'));
    expect(f.ack.mock.calls).toEqual([[{ response_action: 'update', view: buildAdminMessageModal(refusal) }]]);
    expect(f.shown()).toEqual([]);
    expect((await settings()).sync_days).toBe(before);
  });

  it('an unknown setting is answered in the modal', async () => {
    const f = fakes();
    await submit(f, ADMIN, 'launch_codes', {});
    expect(f.ack.mock.calls).toEqual([
      [
        {
          response_action: 'update',
          view: buildAdminMessageModal('That setting does not exist (any more). Open it again from the Home tab.'),
        },
      ],
    ]);
  });

  it('digest channel: refused under the field when the app is not a member, naming the channel', async () => {
    const f = fakes();
    f.client.conversations.info.mockResolvedValueOnce({
      ok: true,
      channel: { id: 'C0SALES01', name: 'sales', is_member: false },
    });
    await submit(f, ADMIN, 'digest_channel', {
      [ADMIN_BLOCKS.digestChannel]: {
        [ACTION_IDS.adminDigestChannel]: { type: 'conversations_select', selected_conversation: 'C0SALES01' },
      },
    });
    expect(f.ack.mock.calls).toEqual([
      [
        {
          response_action: 'errors',
          errors: {
            [ADMIN_BLOCKS.digestChannel]:
              'The CRM app is not a member of #sales. Type /invite @CRM in that channel, then save again.',
          },
        },
      ],
    ]);
    expect((await settings()).digest_channel).toBeNull();
  });

  it('digest channel: saved when the app can post there', async () => {
    const f = fakes();
    await submit(f, ADMIN, 'digest_channel', {
      [ADMIN_BLOCKS.digestChannel]: {
        [ACTION_IDS.adminDigestChannel]: { type: 'conversations_select', selected_conversation: 'C0SALES01' },
      },
    });
    expect(f.client.conversations.info).toHaveBeenCalledWith({ channel: 'C0SALES01' });
    expect((await settings()).digest_channel).toBe('C0SALES01');
    await expectSaved(f);
  });

  it('roster: adds people with a role, and their Home follows at once', async () => {
    const f = fakes();
    await submit(f, ADMIN, 'roster', {
      [ADMIN_BLOCKS.rosterUsers]: {
        [ACTION_IDS.adminRosterUsers]: { type: 'multi_users_select', selected_users: ['U0NEWBIE1'] },
      },
      [ADMIN_BLOCKS.rosterRole]: { [ACTION_IDS.adminRosterRole]: select('manager') },
    });
    expect(await getRole(prisma(), 'U0NEWBIE1')).toBe('manager');
    expect(f.ack.mock.calls).toEqual([[]]);
    expect(f.indexOf('ack')).toBeLessThan(f.indexOf('views.publish'));
    expect(f.client.views.publish.mock.calls).toEqual([
      [published('U0NEWBIE1', await t.deps.homePublisher.buildFor(viewerOf('U0NEWBIE1', 'manager')))],
      [published(ADMIN, await t.deps.homePublisher.buildFor(viewerOf(ADMIN, 'admin')))],
    ]);
  });

  it('roster: the last admin cannot remove themselves', async () => {
    const f = fakes();
    await submit(f, ADMIN, 'roster', {
      [ADMIN_BLOCKS.rosterUsers]: {
        [ACTION_IDS.adminRosterUsers]: { type: 'multi_users_select', selected_users: [ADMIN] },
      },
      [ADMIN_BLOCKS.rosterRole]: { [ACTION_IDS.adminRosterRole]: select('remove') },
    });
    expect(f.ack).toHaveBeenCalledTimes(1);
    const [[answer]] = f.ack.mock.calls;
    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors)).toEqual([ADMIN_BLOCKS.rosterUsers]);
    expect(await getRole(prisma(), ADMIN)).toBe('admin');
  });

  it('currency rates: a bad rate is refused under its field; a good one is saved and lifetime USD follows it', async () => {
    await seedLead(prisma(), { customerId: 'C100', name: 'Rated', lifetimeUsdCents: 272_30n });
    // 1,000.00 AED in orders: $272.30 at the default rate.
    await prisma().customerCurrencyTotal.create({
      data: { customerId: 'C100', currency: 'AED', market: 'AE', orderCount: 1, lifetimeMinor: 1000_00n },
    });
    const lifetime = async () =>
      (await prisma().customerFigures.findUniqueOrThrow({ where: { customerId: 'C100' } })).lifetimeUsdCents;
    const rate = (v: string) => ({ [ADMIN_BLOCKS.rate('AED')]: { [ACTION_IDS.adminRate]: input(v) } });

    const bad = fakes();
    await submit(bad, ADMIN, 'currency_rates', rate('-1'));
    const [[answer]] = bad.ack.mock.calls;
    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors)).toEqual([ADMIN_BLOCKS.rate('AED')]);
    expect((await listRates(prisma())).find((r) => r.currency === 'AED')!.usdPerUnit).toBe('0.2723');
    expect(await lifetime()).toBe(272_30n);

    const f = fakes();
    await submit(f, ADMIN, 'currency_rates', rate('0.3'));
    expect((await listRates(prisma())).find((r) => r.currency === 'AED')!.usdPerUnit).toBe('0.3');
    await expectSaved(f);
    expect(await lifetime()).toBe(300_00n);
  });
});
