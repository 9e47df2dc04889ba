import { STAGES, type StageSlug } from '../../../src/common/stages';
import type { AdminHomeData } from '../../../src/domain/home-data';
import type { StoredRate } from '../../../src/domain/rates';
import { DEFAULT_STALE_THRESHOLDS, type SettingValues } from '../../../src/domain/settings';
import { ACTION_IDS, adminCallbackId, isKnownActionId } from '../../../src/slack/views/action-ids';
import {
  ADMIN_BLOCKS,
  ADMIN_SETTINGS,
  describeSchedule,
  describeStaleThresholds,
} from '../../../src/slack/views/admin-common';
import {
  ADMIN_SECTION_MAX_BLOCKS,
  buildAdminHomeSection,
  formatAuditLine,
  formatAuditValue,
} from '../../../src/slack/views/admin-home';
import {
  buildAdminMessageModal,
  buildCurrencyRatesModal,
  buildDigestChannelModal,
  buildDigestScheduleModal,
  buildRosterModal,
  buildStageLabelsModal,
  buildStaleThresholdsModal,
  buildSyncWindowModal,
} from '../../../src/slack/views/admin-modals';
import { actionIds, visibleText } from '../../support/lead-e2e';

const labels = Object.fromEntries(STAGES.map((s) => [s.slug, s.label])) as Record<StageSlug, string>;
const settings: SettingValues = {
  digest_channel: 'C0SALES01',
  digest_schedule: { frequency: 'weekly', weekday: 1, time: '08:30', timeZone: 'Asia/Dubai' },
  sync_days: 90,
  stale_thresholds: DEFAULT_STALE_THRESHOLDS,
  rhythm_factors: { overdue: 1.5, atRisk: 2 },
  agenda_schedule: { time: '08:30', workdays: [1, 2, 3, 4, 5] },
  stage_labels: { ...labels, lead: '<New> & fresh' },
};

const adminData = (partial: Partial<AdminHomeData> = {}): AdminHomeData => ({
  settings,
  rates: {
    count: 11,
    oldestRateDate: new Date('2025-11-24T00:00:00Z'),
    newestRateDate: new Date('2025-11-24T00:00:00Z'),
  },
  rosterCounts: { admin: 1, manager: 2, account_manager: 1 },
  audit: [],
  timeZone: 'UTC',
  ...partial,
});

const rate = (currency: string, partial: Partial<StoredRate> = {}): StoredRate =>
  ({
    currency,
    usdPerUnit: '0.2723',
    units: 2723n,
    scale: 4,
    rateDate: new Date('2025-11-24T00:00:00Z'),
    updatedBy: null,
    updatedAt: new Date('2025-11-24T00:00:00Z'),
    ...partial,
  }) as StoredRate;

describe('describing settings', () => {
  it('a schedule and the stale thresholds read as a sentence', () => {
    expect(describeSchedule(settings.digest_schedule)).toBe('Weekly on Monday at 08:30 (Asia/Dubai)');
    expect(describeSchedule({ ...settings.digest_schedule, frequency: 'daily' })).toBe('Daily at 08:30 (Asia/Dubai)');
    expect(describeStaleThresholds(DEFAULT_STALE_THRESHOLDS, {})).toBe(
      'Lead 14 d · Contacted 14 d · Negotiation 7 d · Trial Order 14 d · Active Account 60 d · Churned off',
    );
  });
});

describe('the Admin section of Home', () => {
  it('one row per setting, each with a Change button naming it, within its block budget', () => {
    const blocks = buildAdminHomeSection(adminData());
    expect(blocks.length).toBeLessThanOrEqual(ADMIN_SECTION_MAX_BLOCKS);
    const buttons = (blocks as any[]).filter((b) => b.accessory).map((b) => b.accessory);
    expect(buttons.map((b) => b.value)).toEqual([...ADMIN_SETTINGS]);
    expect(buttons.every((b) => b.action_id === ACTION_IDS.adminOpenSetting)).toBe(true);
  });

  it('shows the values: channel as a link, labels escaped, counts, the rate date', () => {
    const text = visibleText(buildAdminHomeSection(adminData()));
    expect(text).toContain('<#C0SALES01>');
    expect(text).toContain('&lt;New&gt; &amp; fresh → Contacted');
    expect(text).toContain('Customers with an order in the last 90 days become leads.');
    expect(text).toContain('11 currencies, rates of');
    expect(text).toContain('1 admin · 2 managers · 1 account manager');
    expect(text).toContain('_No changes recorded yet._');
    expect(
      visibleText(buildAdminHomeSection(adminData({ settings: { ...settings, digest_channel: null } }))),
    ).toContain('Not set: no digest is posted.');
  });

  it('the audit list names who changed what, from and to, readable', () => {
    const entry = {
      id: 1,
      actorId: 'U0ADMIN01',
      setting: 'sync_days',
      oldValue: '90',
      newValue: '30',
      createdAt: new Date('2026-11-25T09:00:00Z'),
    };
    expect(formatAuditLine(entry, 'UTC')).toMatch(/ · <@U0ADMIN01> · Sync window: 90 days → 30 days$/);
    expect(formatAuditValue('roster:U1', null)).toBe('(not on the roster)');
    expect(formatAuditValue('roster:U1', 'account_manager')).toBe('Account manager');
    expect(formatAuditValue('digest_channel', '"C0SALES01"')).toBe('<#C0SALES01>');
    expect(formatAuditValue('digest_channel', '"<!channel>"')).toBe('off');
    expect(formatAuditValue('rate:AED', '<b>')).toBe('&lt;b&gt;');
    for (const b of buildAdminHomeSection(
      adminData({ audit: Array.from({ length: 50 }, (_, i) => ({ ...entry, id: i })) }),
    ) as any[]) {
      if (b.text?.type === 'mrkdwn') expect(b.text.text.length).toBeLessThanOrEqual(3000);
    }
  });
});

describe('the admin settings modals', () => {
  const all = () =>
    [
      ['digest_channel', buildDigestChannelModal('C0SALES01')],
      ['digest_schedule', buildDigestScheduleModal(settings.digest_schedule)],
      ['sync_window', buildSyncWindowModal(90)],
      ['stale_thresholds', buildStaleThresholdsModal(DEFAULT_STALE_THRESHOLDS, labels)],
      ['stage_labels', buildStageLabelsModal(settings.stage_labels)],
      ['currency_rates', buildCurrencyRatesModal([rate('AED'), rate('SAR', { updatedBy: 'U0ADMIN01' })], 'UTC')],
      ['roster', buildRosterModal([{ userId: 'U0ADMIN01', role: 'admin' }])],
    ] as const;

  it("each modal submits as admin_<setting>, uses known action ids and fits Slack's limits", () => {
    for (const [setting, view] of all()) {
      expect(view.callback_id).toBe(adminCallbackId(setting));
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      for (const id of actionIds(view.blocks)) expect(isKnownActionId(id)).toBe(true);
    }
  });

  it('is filled with the current values', () => {
    const byBlock = (view: any) =>
      Object.fromEntries(view.blocks.filter((b: any) => b.block_id).map((b: any) => [b.block_id, b.element]));
    expect(byBlock(buildDigestChannelModal('C0SALES01'))[ADMIN_BLOCKS.digestChannel].initial_conversation).toBe(
      'C0SALES01',
    );
    expect(byBlock(buildDigestChannelModal(null))[ADMIN_BLOCKS.digestChannel].initial_conversation).toBeUndefined();
    const schedule = byBlock(buildDigestScheduleModal(settings.digest_schedule));
    expect(schedule[ADMIN_BLOCKS.digestFrequency].initial_option.value).toBe('weekly');
    expect(schedule[ADMIN_BLOCKS.digestWeekday].initial_option.text.text).toBe('Monday');
    expect(schedule[ADMIN_BLOCKS.digestTime].initial_time).toBe('08:30');
    expect(schedule[ADMIN_BLOCKS.digestTimeZone].initial_value).toBe('Asia/Dubai');
    expect(byBlock(buildSyncWindowModal(45))[ADMIN_BLOCKS.syncDays].initial_value).toBe('45');
    const stale = byBlock(buildStaleThresholdsModal(DEFAULT_STALE_THRESHOLDS, labels));
    expect(stale[ADMIN_BLOCKS.staleDays('negotiation')].initial_value).toBe('7');
    expect(stale[ADMIN_BLOCKS.staleDays('churned')].initial_value).toBeUndefined();
    expect(byBlock(buildStageLabelsModal(settings.stage_labels))[ADMIN_BLOCKS.stageLabel('lead')].initial_value).toBe(
      '<New> & fresh',
    );
    expect(byBlock(buildCurrencyRatesModal([rate('AED')], 'UTC'))[ADMIN_BLOCKS.rate('AED')].initial_value).toBe(
      '0.2723',
    );
  });

  it('rates say who set them, or ask to check a default', () => {
    const text = visibleText(buildCurrencyRatesModal([rate('AED'), rate('SAR', { updatedBy: 'U0ADMIN01' })], 'UTC'));
    expect(text).toContain('Default rate of');
    expect(text).toContain('please check it');
    expect(text).toContain('set by <@U0ADMIN01>');
  });

  it('rates end with an optional "Add a currency" pair, naming the currencies that leave figures incomplete', () => {
    const plain = buildCurrencyRatesModal([rate('AED')], 'UTC');
    const inputs = (view: any) => view.blocks.filter((b: any) => b.type === 'input');
    expect(
      inputs(plain)
        .slice(-2)
        .map((b: any) => [b.block_id, b.optional, b.element.action_id]),
    ).toEqual([
      [ADMIN_BLOCKS.newCurrency, true, ACTION_IDS.adminNewCurrency],
      [ADMIN_BLOCKS.newCurrencyRate, true, ACTION_IDS.adminRate],
    ]);
    expect(visibleText(plain)).not.toContain('Customers bought in');
    const waiting = visibleText(
      buildCurrencyRatesModal([rate('AED')], 'UTC', { needRate: ['EUR', 'GBP'], unknownCodes: ['<X>'] }),
    );
    expect(waiting).toContain('Customers bought in EUR, GBP, which have no rate yet');
    expect(waiting).toContain('Production also sends &lt;X&gt;, which is not an ISO 4217 code');
  });

  it('the roster modal lists members by role and offers removal', () => {
    const view = buildRosterModal([
      { userId: 'U0ADMIN01', role: 'admin' },
      { userId: 'U0AMANAGE1', role: 'account_manager' },
    ]);
    const text = visibleText(view);
    expect(text).toContain('*Admins* (1): <@U0ADMIN01>');
    expect(text).toContain('*Managers* (0): _none_');
    const role = (view.blocks as any[]).find((b) => b.block_id === ADMIN_BLOCKS.rosterRole).element;
    expect(role.options.map((o: any) => o.value)).toEqual(['admin', 'manager', 'account_manager', 'remove']);
  });

  it('the message modal escapes what it is given and only closes', () => {
    const view = buildAdminMessageModal('Only <admins> & co');
    expect(visibleText(view)).toContain('Only &lt;admins&gt; &amp; co');
    expect(view.submit).toBeUndefined();
  });
});
