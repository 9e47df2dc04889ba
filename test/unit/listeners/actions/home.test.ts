import { listOpenAdminNotices, raiseAdminNotice } from '../../../../src/domain/admin-notices';
import { DEFAULT_HOME_FILTER, loadHomeFilter } from '../../../../src/domain/home-filter';
import { listRoster } from '../../../../src/domain/roster';
import { getAllSettings } from '../../../../src/domain/settings';
import { adminCheckSetup } from '../../../../src/slack/listeners/actions/admin-check-setup';
import { adminNoticeResolve } from '../../../../src/slack/listeners/actions/admin-notice-resolve';
import { adminOpenSetting } from '../../../../src/slack/listeners/actions/admin-open-setting';
import { digestViewInCrm } from '../../../../src/slack/listeners/actions/digest-view-in-crm';
import { homeFilter } from '../../../../src/slack/listeners/actions/home-filter-select';
import { homePaging } from '../../../../src/slack/listeners/actions/home-paging';
import { homeRefresh } from '../../../../src/slack/listeners/actions/home-refresh';
import { ACTION_IDS } from '../../../../src/slack/views/action-ids';
import {
  buildAdminMessageModal,
  buildRosterModal,
  buildSyncWindowModal,
} from '../../../../src/slack/views/admin-modals';
import { buildDoctorModal } from '../../../../src/slack/views/doctor-report-blocks';
import { buildNoAccessHome } from '../../../../src/slack/views/pipeline-home';
import {
  ADMIN,
  AM,
  blockAction,
  fakes,
  GUEST,
  type ListenerDeps,
  MANAGER,
  openListenerDeps,
  published,
  publishedView,
  STRANGER,
  TRIGGER_ID,
  viewerOf,
  visibleText,
} from '../../../support/listener-kit';
import { seedLead } from '../../../support/seed-leads';
import { customerRow, StaticProductionReader } from '../../../support/static-production';

let t: ListenerDeps;
beforeAll(async () => {
  t = await openListenerDeps();
  await seedLead(t.deps.db.prisma, { customerId: 'C100', name: 'ACME', stage: 'contacted', ownerId: AM });
});
afterAll(() => t.cleanup());

const NO_ROSTER = 'Sorry, you are not on the CRM roster yet. Ask a CRM admin to add you.';

describe('homeFilter', () => {
  it('saves the chosen stage for the user and publishes their Home with it, after the ack', async () => {
    const f = fakes();
    await homeFilter(t.deps)(
      blockAction(f, { userId: AM, actionId: ACTION_IDS.homeFilterStage, selected: 'contacted' }),
    );
    expect(f.calls[0]).toBe('ack');
    expect((await loadHomeFilter(t.deps.db.prisma, AM)).stage).toBe('contacted');
    expect(f.client.views.publish).toHaveBeenCalledTimes(1);
    expect(f.client.views.publish).toHaveBeenCalledWith(
      published(AM, await t.deps.homePublisher.buildFor(viewerOf(AM, 'account_manager'))),
    );
  });

  it('saves the owner choice; choosing a number of days switches to the uncontacted view', async () => {
    await homeFilter(t.deps)(
      blockAction(fakes(), { userId: MANAGER, actionId: ACTION_IDS.homeFilterOwner, selected: 'unowned' }),
    );
    expect((await loadHomeFilter(t.deps.db.prisma, MANAGER)).owner).toBe('unowned');
    await homeFilter(t.deps)(
      blockAction(fakes(), { userId: MANAGER, actionId: ACTION_IDS.homeFilterUncontactedDays, selected: '30' }),
    );
    const saved = await loadHomeFilter(t.deps.db.prisma, MANAGER);
    expect({ owner: saved.owner, uncontactedDays: saved.uncontactedDays }).toEqual({
      owner: 'uncontacted',
      uncontactedDays: 30,
    });
  });

  it('ignores a value it does not offer, and still republishes the unchanged Home', async () => {
    const f = fakes();
    await homeFilter(t.deps)(
      blockAction(f, { userId: ADMIN, actionId: ACTION_IDS.homeFilterStage, selected: 'bogus' }),
    );
    expect(await loadHomeFilter(t.deps.db.prisma, ADMIN)).toEqual(DEFAULT_HOME_FILTER);
    expect(f.client.views.publish).toHaveBeenCalledTimes(1);
  });

  it('saves nothing for someone outside the roster and publishes the no-access Home', async () => {
    const f = fakes();
    await homeFilter(t.deps)(
      blockAction(f, { userId: STRANGER, actionId: ACTION_IDS.homeFilterStage, selected: 'lead' }),
    );
    expect(await loadHomeFilter(t.deps.db.prisma, STRANGER)).toEqual(DEFAULT_HOME_FILTER);
    expect(f.client.views.publish).toHaveBeenCalledWith(published(STRANGER, buildNoAccessHome(NO_ROSTER)));
  });
});

describe('homePaging', () => {
  it('remembers the stage page and publishes Home', async () => {
    const f = fakes();
    await homePaging(t.deps)(blockAction(f, { userId: AM, actionId: ACTION_IDS.homeShowMore, value: 'contacted:1' }));
    expect(f.calls[0]).toBe('ack');
    expect((await loadHomeFilter(t.deps.db.prisma, AM)).pages).toEqual({ contacted: 1 });
    expect(f.client.views.publish).toHaveBeenCalledWith(
      published(AM, await t.deps.homePublisher.buildFor(viewerOf(AM, 'account_manager'))),
    );
  });

  it('ignores a malformed value', async () => {
    const f = fakes();
    await homePaging(t.deps)(
      blockAction(f, { userId: MANAGER, actionId: ACTION_IDS.homeShowMore, value: 'nowhere:abc' }),
    );
    expect((await loadHomeFilter(t.deps.db.prisma, MANAGER)).pages).toEqual({});
    expect(f.client.views.publish).toHaveBeenCalledTimes(1);
  });

  it('gives a guest the no-access Home', async () => {
    const f = fakes();
    await homePaging(t.deps)(blockAction(f, { userId: GUEST, actionId: ACTION_IDS.homeShowMore, value: 'lead:1' }));
    expect(await loadHomeFilter(t.deps.db.prisma, GUEST)).toEqual(DEFAULT_HOME_FILTER);
    expect(f.client.views.publish).toHaveBeenCalledWith(
      published(GUEST, buildNoAccessHome('Sorry, the CRM is not available to guest accounts.')),
    );
  });
});

describe('homeRefresh', () => {
  it('without production: publishes Home once', async () => {
    const f = fakes();
    await homeRefresh(t.deps)(blockAction(f, { userId: AM, actionId: ACTION_IDS.homeRefresh, value: 'refresh' }));
    expect(f.calls[0]).toBe('ack');
    expect(f.shown()).toEqual(['views.publish']);
  });

  it('with production: publishes at once, syncs, and publishes again when the sync brought a new lead', async () => {
    const reader = new StaticProductionReader([customerRow({ customerId: 'C900', customerName: 'Fresh Imports' })]);
    const local = await openListenerDeps({ production: reader });
    try {
      const f = fakes();
      await homeRefresh(local.deps)(
        blockAction(f, { userId: ADMIN, actionId: ACTION_IDS.homeRefresh, value: 'refresh' }),
      );
      expect(reader.calls).toHaveLength(1);
      expect(f.shown()).toEqual(['views.publish', 'views.publish']);
      const [first, second] = f.client.views.publish.mock.calls.map((c) => visibleText(publishedView(c[0])));
      expect(first).not.toContain('Fresh Imports');
      expect(second).toContain('Fresh Imports');
    } finally {
      await local.cleanup();
    }
  });

  it('with production: a stranger gets the no-access Home and starts no sync', async () => {
    const reader = new StaticProductionReader([customerRow({ customerId: 'C901' })]);
    const local = await openListenerDeps({ production: reader });
    try {
      const f = fakes();
      await homeRefresh(local.deps)(
        blockAction(f, { userId: STRANGER, actionId: ACTION_IDS.homeRefresh, value: 'refresh' }),
      );
      expect(reader.calls).toHaveLength(0);
      expect(f.client.views.publish.mock.calls).toEqual([[published(STRANGER, buildNoAccessHome(NO_ROSTER))]]);
    } finally {
      await local.cleanup();
    }
  });
});

describe('digestViewInCrm', () => {
  it("acks, then publishes the clicker's Home so it is fresh when it opens", async () => {
    const f = fakes();
    await digestViewInCrm(t.deps)(
      blockAction(f, { userId: MANAGER, actionId: ACTION_IDS.digestViewInCrm, value: 'home', from: 'message' }),
    );
    expect(f.calls[0]).toBe('ack');
    expect(f.client.views.publish.mock.calls).toEqual([
      [published(MANAGER, await t.deps.homePublisher.buildFor(viewerOf(MANAGER, 'manager')))],
    ]);
  });
});

describe('adminNoticeResolve', () => {
  async function raise(): Promise<number> {
    await raiseAdminNotice(
      t.deps.db.prisma,
      { kind: 'digest_not_posted', frequency: 'weekly', channelId: 'C0SALES01', error: 'not_in_channel' },
      t.clock.now(),
    );
    const { notices } = await listOpenAdminNotices(t.deps.db.prisma, 50);
    return notices[notices.length - 1]!.id;
  }

  it('an admin dismisses the notice; their Home is republished without it', async () => {
    const id = await raise();
    const f = fakes();
    await adminNoticeResolve(t.deps)(
      blockAction(f, { userId: ADMIN, actionId: ACTION_IDS.adminNoticeResolve, value: String(id) }),
    );
    expect(f.calls[0]).toBe('ack');
    expect((await listOpenAdminNotices(t.deps.db.prisma, 50)).notices.map((n) => n.id)).not.toContain(id);
    expect(f.client.views.publish.mock.calls).toEqual([
      [published(ADMIN, await t.deps.homePublisher.buildFor(viewerOf(ADMIN, 'admin')))],
    ]);
  });

  it('a manager (e.g. a demoted admin on a stale Home) is told why; the notice stays open', async () => {
    const id = await raise();
    const f = fakes();
    await adminNoticeResolve(t.deps)(
      blockAction(f, { userId: MANAGER, actionId: ACTION_IDS.adminNoticeResolve, value: String(id) }),
    );
    expect((await listOpenAdminNotices(t.deps.db.prisma, 50)).notices.map((n) => n.id)).toContain(id);
    expect(f.client.views.publish).not.toHaveBeenCalled();
    expect(f.client.views.open.mock.calls).toEqual([
      [{ trigger_id: TRIGGER_ID, view: buildAdminMessageModal('Only CRM admins can do that.') }],
    ]);
  });
});

describe('adminOpenSetting', () => {
  it("opens the setting's modal filled with its current value", async () => {
    const f = fakes();
    await adminOpenSetting(t.deps)(
      blockAction(f, { userId: ADMIN, actionId: ACTION_IDS.adminOpenSetting, value: 'sync_window' }),
    );
    const settings = await getAllSettings(t.deps.db.prisma, t.deps.config);
    expect(f.calls[0]).toBe('ack');
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildSyncWindowModal(settings.sync_days),
    });
  });

  it('the roster modal lists the roster', async () => {
    const f = fakes();
    await adminOpenSetting(t.deps)(
      blockAction(f, { userId: ADMIN, actionId: ACTION_IDS.adminOpenSetting, value: 'roster' }),
    );
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildRosterModal(await listRoster(t.deps.db.prisma)),
    });
  });

  it.each([
    [MANAGER, 'Only CRM admins can do that.'],
    [STRANGER, NO_ROSTER],
  ])('refuses %s with a message modal', async (userId, refusal) => {
    const f = fakes();
    await adminOpenSetting(t.deps)(blockAction(f, { userId, actionId: ACTION_IDS.adminOpenSetting, value: 'roster' }));
    expect(f.client.views.open.mock.calls).toEqual([
      [{ trigger_id: TRIGGER_ID, view: buildAdminMessageModal(refusal) }],
    ]);
  });

  it('ignores an unknown setting', async () => {
    const f = fakes();
    await adminOpenSetting(t.deps)(
      blockAction(f, { userId: ADMIN, actionId: ACTION_IDS.adminOpenSetting, value: 'launch_codes' }),
    );
    expect(f.shown()).toEqual([]);
  });
});

describe('adminCheckSetup', () => {
  it('acks, opens the "checking" modal at once, then fills that modal with the report', async () => {
    const f = fakes();
    await adminCheckSetup(t.deps)(blockAction(f, { userId: ADMIN, actionId: ACTION_IDS.adminCheckSetup }));
    expect(f.calls[0]).toBe('ack');
    expect(f.client.views.open.mock.calls).toEqual([[{ trigger_id: TRIGGER_ID, view: buildDoctorModal('running') }]]);
    expect(f.indexOf('views.open')).toBeLessThan(f.indexOf('auth.test'));
    expect(f.client.views.update).toHaveBeenCalledTimes(1);
    const { view_id, view } = f.client.views.update.mock.calls[0]![0];
    expect(view_id).toBe('V0MODAL01');
    expect(view.title.text).toBe('Setup check');
    expect(view.blocks.map((b: { block_id: string }) => b.block_id)).toEqual([
      'doctor:config',
      'doctor:database',
      'doctor:migrations',
      'doctor:slack_token',
      'doctor:slack_scopes',
      'doctor:socket_mode',
      'doctor:digest_channel',
      'doctor:metabase',
      'doctor:customers_card',
      'doctor:orders_card',
      'doctor:summary',
    ]);
  });

  it.each([
    [MANAGER, 'Only CRM admins can do that.'],
    [STRANGER, NO_ROSTER],
  ])('refuses %s with a message modal and checks nothing', async (userId, refusal) => {
    const f = fakes();
    await adminCheckSetup(t.deps)(blockAction(f, { userId, actionId: ACTION_IDS.adminCheckSetup }));
    expect(f.client.views.open.mock.calls).toEqual([
      [{ trigger_id: TRIGGER_ID, view: buildAdminMessageModal(refusal) }],
    ]);
    expect(f.client.auth.test).not.toHaveBeenCalled();
    expect(f.client.views.update).not.toHaveBeenCalled();
  });
});
