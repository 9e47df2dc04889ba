import { getAllSettings, getSyncDays } from '../../src/domain/settings';
import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { startTestApp, type TestApp } from '../support/harness';
import { seedLead } from '../support/seed-leads';

const ADMIN = 'U0ADMIN01';
const MANAGER = 'U0MGR0001';
const AM = 'U0AM00001';
const NEWCOMER = 'U0NEW0001';
const CHANNEL = 'C0DIGEST1';

describe('admin configuration from the Home tab', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CRM_ADMINS: ADMIN, CRM_MANAGERS: MANAGER, CRM_ACCOUNT_MANAGERS: AM } });
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.reset());

  const settings = () => getAllSettings(t.deps.db.prisma, t.deps.config);
  const submit = (user: string, setting: string, values: Record<string, Record<string, any>>) =>
    t.driver.submitView(user, { callback_id: `admin_${setting}`, values });
  const audit = (setting: string) =>
    t.deps.db.prisma.auditEntry.findMany({ where: { setting }, orderBy: { id: 'asc' } });
  const publishedHomeOf = async (user: string) => {
    const calls = await t.slack.waitFor(() => {
      const c = t.slack.callsTo('views.publish').filter((x) => x.args.user_id === user);
      return c.length ? c : undefined;
    }, `views.publish for ${user}`);
    return calls.at(-1)!.args.view;
  };
  const openSetting = (user: string, name: string) =>
    t.driver.blockAction(user, { action_id: ACTION_IDS.adminOpenSetting, value: name, block_id: `admin:${name}` });

  describe('the Admin section', () => {
    it('is shown to admins with a Change button per setting, and never to managers or account managers', async () => {
      await t.driver.openHome(ADMIN);
      const home = await publishedHomeOf(ADMIN);
      const ids = home.blocks.map((b: any) => b.block_id);
      for (const name of [
        'digest_channel',
        'digest_schedule',
        'sync_window',
        'stale_thresholds',
        'stage_labels',
        'currency_rates',
        'roster',
      ]) {
        expect(ids).toContain(`admin:${name}`);
        const row = home.blocks.find((b: any) => b.block_id === `admin:${name}`);
        expect(row.accessory).toMatchObject({ action_id: ACTION_IDS.adminOpenSetting, value: name });
      }
      expect(ids).toContain('admin:audit');
      for (const user of [MANAGER, AM]) {
        await t.driver.openHome(user);
        const other = await publishedHomeOf(user);
        expect(JSON.stringify(other)).not.toContain('admin_open_setting');
      }
    });

    it('opens the setting modal for an admin, and a refusal for anyone else', async () => {
      await openSetting(ADMIN, 'sync_window');
      const [open] = await t.slack.waitForCalls('views.open');
      expect(open!.args.view.callback_id).toBe('admin_sync_window');
      expect(JSON.stringify(open!.args.view)).toContain('"initial_value":"120"');
      t.slack.reset();
      await openSetting(MANAGER, 'roster');
      const [refused] = await t.slack.waitForCalls('views.open');
      expect(refused!.args.view.callback_id).toBeUndefined();
      expect(JSON.stringify(refused!.args.view)).toContain('Only CRM admins can do that.');
    });
  });

  describe('digest channel', () => {
    it('refuses a channel the app is not in, saying how to invite it', async () => {
      t.slack.channels.set(CHANNEL, { id: CHANNEL, name: 'sales-digest' });
      const res = await submit(ADMIN, 'digest_channel', {
        digest_channel: {
          [ACTION_IDS.adminDigestChannel]: { type: 'conversations_select', selected_conversation: CHANNEL },
        },
      });
      expect(res.json.response_action).toBe('errors');
      expect(res.json.errors.digest_channel).toBe(
        'The CRM app is not a member of #sales-digest. Type /invite @CRM in that channel, then save again.',
      );
      expect((await settings()).digest_channel).toBeNull();
    });

    it('refuses a private channel the app cannot see', async () => {
      const res = await submit(ADMIN, 'digest_channel', {
        digest_channel: {
          [ACTION_IDS.adminDigestChannel]: { type: 'conversations_select', selected_conversation: 'G0SECRET1' },
        },
      });
      expect(res.json.errors.digest_channel).toMatch(/cannot see that channel.*\/invite @CRM/);
    });

    it.each(['is_ext_shared', 'is_shared', 'is_org_shared', 'is_pending_ext_shared'] as const)(
      'refuses a channel with %s (customer data stays inside the company)',
      async (flag) => {
        const shared = `C0SHARED${flag.length}`;
        t.slack.channels.set(shared, { id: shared, name: 'partners', [flag]: true });
        t.slack.botChannels.add(shared);
        const res = await submit(ADMIN, 'digest_channel', {
          digest_channel: {
            [ACTION_IDS.adminDigestChannel]: { type: 'conversations_select', selected_conversation: shared },
          },
        });
        expect(res.json.response_action).toBe('errors');
        expect(res.json.errors.digest_channel).toMatch(/shared outside this workspace.*only your company can read/);
        expect((await settings()).digest_channel).toBeNull();
      },
    );

    it('saves a channel the app is in, audits it and republishes the admin Home', async () => {
      t.slack.botChannels.add(CHANNEL);
      const res = await submit(ADMIN, 'digest_channel', {
        digest_channel: {
          [ACTION_IDS.adminDigestChannel]: { type: 'conversations_select', selected_conversation: CHANNEL },
        },
      });
      expect(res.json?.response_action).toBeUndefined();
      expect((await settings()).digest_channel).toBe(CHANNEL);
      const [entry] = await audit('digest_channel');
      expect(entry).toMatchObject({ actorId: ADMIN, oldValue: 'null', newValue: JSON.stringify(CHANNEL) });
      const home = await publishedHomeOf(ADMIN);
      expect(JSON.stringify(home.blocks.find((b: any) => b.block_id === 'admin:digest_channel'))).toContain(
        `<#${CHANNEL}>`,
      );
    });
  });

  describe('digest schedule', () => {
    const values = (tz: string, time = '08:30') => ({
      digest_frequency: {
        [ACTION_IDS.adminDigestFrequency]: { type: 'static_select', selected_option: { value: 'daily' } },
      },
      digest_weekday: { [ACTION_IDS.adminDigestWeekday]: { type: 'static_select', selected_option: { value: '3' } } },
      digest_time: { [ACTION_IDS.adminDigestTime]: { type: 'timepicker', selected_time: time } },
      digest_time_zone: { [ACTION_IDS.adminDigestTimeZone]: { type: 'plain_text_input', value: tz } },
    });

    it('refuses an unknown time zone on its field', async () => {
      const res = await submit(ADMIN, 'digest_schedule', values('Mars/Olympus'));
      expect(res.json.response_action).toBe('errors');
      expect(res.json.errors.digest_time_zone).toMatch(/"Mars\/Olympus" is not a time zone/);
      expect((await settings()).digest_schedule.timeZone).toBe('UTC');
    });

    it('saves frequency, day, time and zone', async () => {
      const res = await submit(ADMIN, 'digest_schedule', values('Asia/Riyadh'));
      expect(res.json?.response_action).toBeUndefined();
      expect((await settings()).digest_schedule).toEqual({
        frequency: 'daily',
        weekday: 3,
        time: '08:30',
        timeZone: 'Asia/Riyadh',
      });
    });
  });

  describe('sync window', () => {
    const values = (v: string) => ({ sync_days: { [ACTION_IDS.adminSyncDays]: { type: 'number_input', value: v } } });

    it.each([['0'], ['3651'], ['1.5'], ['soon']])('refuses %s days', async (v) => {
      const res = await submit(ADMIN, 'sync_window', values(v));
      expect(res.json.response_action).toBe('errors');
      expect(res.json.errors.sync_days).toMatch(/\bdays?\b/);
      expect(await getSyncDays(t.deps.db.prisma, t.deps.config)).toBe(120);
    });

    it('saves a window the sync then uses, and shows the change in the Audit list', async () => {
      await submit(ADMIN, 'sync_window', values('90'));
      expect(await getSyncDays(t.deps.db.prisma, t.deps.config)).toBe(90);
      const home = await publishedHomeOf(ADMIN);
      const auditText = home.blocks.find((b: any) => b.block_id === 'admin:audit').text.text;
      expect(auditText).toContain(`<@${ADMIN}> · Sync window: 120 days → 90 days`);
    });
  });

  describe('stale thresholds', () => {
    const values = (negotiation: string) => ({
      'stale:lead': { [ACTION_IDS.adminStaleDays]: { type: 'number_input', value: '21' } },
      'stale:contacted': { [ACTION_IDS.adminStaleDays]: { type: 'number_input', value: '10' } },
      'stale:negotiation': { [ACTION_IDS.adminStaleDays]: { type: 'number_input', value: negotiation } },
      'stale:trial_order': { [ACTION_IDS.adminStaleDays]: { type: 'number_input', value: null } },
      'stale:active_account': { [ACTION_IDS.adminStaleDays]: { type: 'number_input', value: '90' } },
      'stale:churned': { [ACTION_IDS.adminStaleDays]: { type: 'number_input', value: null } },
    });

    it('refuses a bad number on its stage field', async () => {
      const res = await submit(ADMIN, 'stale_thresholds', values('-3'));
      expect(Object.keys(res.json.errors)).toEqual(['stale:negotiation']);
    });

    it('saves per-stage days, empty meaning not tracked', async () => {
      await submit(ADMIN, 'stale_thresholds', values('5'));
      expect((await settings()).stale_thresholds).toEqual({
        lead: 21,
        contacted: 10,
        negotiation: 5,
        trial_order: null,
        active_account: 90,
        churned: null,
      });
    });
  });

  describe('stage labels', () => {
    const values = (labels: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(labels).map(([slug, label]) => [
          `label:${slug}`,
          { [ACTION_IDS.adminStageLabel]: { type: 'plain_text_input', value: label } },
        ]),
      );
    const good = {
      lead: 'New',
      contacted: 'Reached out',
      negotiation: 'Negotiating',
      trial_order: 'Trial',
      active_account: 'Customer',
      churned: 'Lost',
    };

    it('refuses empty and duplicate labels on their fields, changing nothing', async () => {
      const res = await submit(
        ADMIN,
        'stage_labels',
        values({ ...good, contacted: '   ', trial_order: 'negotiating' }),
      );
      expect(res.json.errors).toEqual({
        'label:contacted': 'The label must not be empty.',
        'label:trial_order': 'The label is the same as the label of another stage (negotiation).',
      });
      expect((await settings()).stage_labels.lead).toBe('Lead');
    });

    it('renames the stages (slugs unchanged) and the Home tab uses the new labels', async () => {
      await submit(ADMIN, 'stage_labels', values(good));
      expect((await settings()).stage_labels).toEqual(good);
      const home = await publishedHomeOf(ADMIN);
      const heading = home.blocks.find((b: any) => b.block_id === 'stage:contacted');
      expect(JSON.stringify(heading)).toContain('Reached out');
    });
  });

  describe('currency rates', () => {
    it('shows every currency with its rate and who set it', async () => {
      await openSetting(ADMIN, 'currency_rates');
      const [open] = await t.slack.waitForCalls('views.open');
      const blocks = open!.args.view.blocks;
      const inputs = blocks.filter((b: any) => b.type === 'input');
      expect(inputs.map((b: any) => b.block_id)).toEqual(expect.arrayContaining(['rate:AED', 'rate:KWD', 'rate:USD']));
      expect(inputs.find((b: any) => b.block_id === 'rate:AED').element.initial_value).toBe('0.2723');
      expect(JSON.stringify(blocks)).toContain('Default rate of 2025-11-24');
    });

    it('refuses a bad rate on its field and saves none of the others', async () => {
      const res = await submit(ADMIN, 'currency_rates', {
        'rate:AED': { [ACTION_IDS.adminRate]: { type: 'plain_text_input', value: 'abc' } },
        'rate:SAR': { [ACTION_IDS.adminRate]: { type: 'plain_text_input', value: '0.27' } },
      });
      expect(res.json.errors).toEqual({ 'rate:AED': 'The AED rate must be a plain decimal number such as 0.2723.' });
      expect((await t.deps.db.prisma.currencyRate.findUnique({ where: { currency: 'SAR' } }))!.usdPerUnit).toBe(
        '0.2666',
      );
    });

    it('recomputes lifetime USD with a new rate at once, and the admin sees it on Home', async () => {
      const { prisma } = t.deps.db;
      await seedLead(prisma, { customerId: 'KW-REVALUE', name: 'Kuwait Revalue Co', lifetimeUsdCents: 1n });
      await prisma.customerCurrencyTotal.create({
        data: { customerId: 'KW-REVALUE', currency: 'KWD', market: 'KW', orderCount: 2, lifetimeMinor: 1_000_500n },
      });
      await submit(ADMIN, 'currency_rates', {
        'rate:KWD': { [ACTION_IDS.adminRate]: { type: 'plain_text_input', value: '3.25' } },
      });
      const home = await publishedHomeOf(ADMIN);
      // 1,000.500 KWD x 3.25 = 3,251.625 USD, rounded half-up.
      expect(JSON.stringify(home)).toContain('$3,251.63');
      expect(
        (await prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'KW-REVALUE' } })).lifetimeUsdCents,
      ).toBe(325_163n);
    });

    it('saves changed rates with who and when, audited', async () => {
      await submit(ADMIN, 'currency_rates', {
        'rate:AED': { [ACTION_IDS.adminRate]: { type: 'plain_text_input', value: '0.2723' } },
        'rate:SAR': { [ACTION_IDS.adminRate]: { type: 'plain_text_input', value: '0.2700' } },
      });
      const sar = await t.deps.db.prisma.currencyRate.findUnique({ where: { currency: 'SAR' } });
      expect(sar).toMatchObject({ usdPerUnit: '0.27', updatedBy: ADMIN, rateDate: t.clock.now() });
      expect(await audit('rate:SAR')).toEqual([
        expect.objectContaining({ actorId: ADMIN, oldValue: '0.2666', newValue: '0.27' }),
      ]);
      expect(await audit('rate:AED')).toEqual([]);
    });
  });

  describe('adding a currency', () => {
    const newCurrency = (code: string, rate: string) => ({
      rate_new_currency: { [ACTION_IDS.adminNewCurrency]: { type: 'plain_text_input', value: code } },
      rate_new_usd: { [ACTION_IDS.adminRate]: { type: 'plain_text_input', value: rate } },
    });

    it('a GBP sale no longer stays incomplete: the modal names GBP, the admin adds its rate, audited, and figures follow', async () => {
      const { prisma } = t.deps.db;
      // Synced before GBP had a rate: the GBP total is held in pence, the figure marked incomplete.
      await seedLead(prisma, {
        customerId: 'GB-1',
        name: 'London <Imports> & Co',
        lifetimeUsdCents: 272_30n,
        unknownCurrencies: 'GBP',
        currencies: [
          { currency: 'AED', lifetimeMinor: 1_000_00n },
          { currency: 'GBP', lifetimeMinor: 2_000_00n, market: 'GB' },
        ],
      });
      await seedLead(prisma, { customerId: 'ZZ-1', name: 'Odd Data', unknownCurrencies: 'XYZ' });

      await openSetting(ADMIN, 'currency_rates');
      const [open] = await t.slack.waitForCalls('views.open');
      const modal = JSON.stringify(open!.args.view);
      expect(modal).toContain('Customers bought in GBP, which has no rate yet');
      expect(modal).toContain('Production also sends XYZ, which is not an ISO 4217 code');
      const blockIds = open!.args.view.blocks.map((b: any) => b.block_id);
      expect(blockIds).toEqual(expect.arrayContaining(['rate_new_currency', 'rate_new_usd']));

      const refused = async (values: Record<string, Record<string, any>>) =>
        (await submit(ADMIN, 'currency_rates', values)).json.errors;
      expect(await refused(newCurrency('GB', '1.27'))).toEqual({
        rate_new_currency: 'Enter a three-letter ISO 4217 currency code such as GBP (got "GB").',
      });
      expect(await refused(newCurrency('XYZ', '1.27'))).toEqual({
        rate_new_currency:
          'XYZ is not an ISO 4217 currency code this CRM knows, so it cannot be converted. Check the code.',
      });
      expect(await refused(newCurrency('KWD', '3.3'))).toEqual({
        rate_new_currency: 'KWD already has a rate: change it in its own field above.',
      });
      expect(await refused(newCurrency('GBP', '0'))).toEqual({ rate_new_usd: 'The rate must be greater than zero.' });
      expect(await refused(newCurrency('GBP', ''))).toEqual({
        rate_new_usd: 'The rate is needed: the USD value of one unit, e.g. 1.27.',
      });
      expect(await refused(newCurrency('', '1.27'))).toEqual({
        rate_new_currency: 'Enter the currency code this rate is for, e.g. GBP.',
      });
      // A bad field elsewhere in the modal keeps the new currency from being saved too.
      expect(
        await refused({
          ...newCurrency('GBP', '1.27'),
          'rate:AED': { [ACTION_IDS.adminRate]: { type: 'plain_text_input', value: 'x' } },
        }),
      ).toHaveProperty(['rate:AED']);
      expect(await prisma.currencyRate.findUnique({ where: { currency: 'GBP' } })).toBeNull();
      expect(await audit('rate:GBP')).toEqual([]);

      t.slack.reset();
      const saved = await submit(ADMIN, 'currency_rates', newCurrency('gbp', '1.2700'));
      expect(saved.json?.errors).toBeUndefined();
      expect(await prisma.currencyRate.findUnique({ where: { currency: 'GBP' } })).toMatchObject({
        usdPerUnit: '1.27',
        updatedBy: ADMIN,
        rateDate: t.clock.now(),
      });
      expect(await audit('rate:GBP')).toEqual([
        expect.objectContaining({ actorId: ADMIN, oldValue: null, newValue: '1.27' }),
      ]);
      // 1,000.00 AED x 0.2723 + 2,000.00 GBP x 1.27 = 272.30 + 2,540.00, and no longer incomplete.
      // Figures are revalued before the admin's Home is republished.
      await publishedHomeOf(ADMIN);
      expect(await prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'GB-1' } })).toMatchObject({
        lifetimeUsdCents: 2_812_30n,
        unknownCurrencies: '',
      });
      // The next modal lists GBP with its own field and no longer asks for it.
      t.slack.reset();
      await openSetting(ADMIN, 'currency_rates');
      const [again] = await t.slack.waitForCalls('views.open');
      expect(again!.args.view.blocks.map((b: any) => b.block_id)).toContain('rate:GBP');
      expect(JSON.stringify(again!.args.view)).not.toContain('Customers bought in GBP');
    });
  });

  describe('roster', () => {
    const values = (users: string[], role: string | null) => ({
      roster_users: { [ACTION_IDS.adminRosterUsers]: { type: 'multi_users_select', selected_users: users } },
      roster_role: {
        [ACTION_IDS.adminRosterRole]: { type: 'static_select', selected_option: role ? { value: role } : null },
      },
    });
    const roleOf = async (userId: string) =>
      (await t.deps.db.prisma.rosterMember.findUnique({ where: { userId } }))?.role ?? null;

    it('asks for people and a role', async () => {
      expect((await submit(ADMIN, 'roster', values([], 'manager'))).json.errors).toEqual({
        roster_users: 'Choose at least one person.',
      });
      expect((await submit(ADMIN, 'roster', values([NEWCOMER], null))).json.errors).toEqual({
        roster_role: 'Choose a role, or remove from the roster.',
      });
    });

    it('adds a member, changes a role and removes a member, each audited', async () => {
      await submit(ADMIN, 'roster', values([NEWCOMER], 'account_manager'));
      expect(await roleOf(NEWCOMER)).toBe('account_manager');
      await submit(ADMIN, 'roster', values([NEWCOMER], 'manager'));
      expect(await roleOf(NEWCOMER)).toBe('manager');
      await submit(ADMIN, 'roster', values([NEWCOMER], 'remove'));
      expect(await roleOf(NEWCOMER)).toBeNull();
      expect((await audit(`roster:${NEWCOMER}`)).map((e) => [e.oldValue, e.newValue])).toEqual([
        [null, 'account_manager'],
        ['account_manager', 'manager'],
        ['manager', null],
      ]);
    });

    it('republishes the Home of whoever was demoted or removed: read-only, then the no-access view', async () => {
      const who = 'U0HOME001';
      const leadId = await seedLead(t.deps.db.prisma, {
        customerId: 'HOME-ROSTER',
        name: 'Home Roster Co',
        lifetimeUsdCents: 5_000_00n,
      });
      await submit(ADMIN, 'roster', values([who], 'account_manager'));
      const overflowOf = (view: any) =>
        view.blocks.find((b: any) => b.block_id === `lead:${leadId}`)?.accessory.options.map((o: any) => o.value);
      // Added: the dashboard at once, with the lead's change verbs.
      expect(overflowOf(await publishedHomeOf(who))).toContain(`stage:${leadId}`);

      t.slack.reset();
      await submit(ADMIN, 'roster', values([who], 'manager'));
      const readOnly = await publishedHomeOf(who);
      // Read-only: the one action left (View orders) is a button, not a one-item menu.
      const row = readOnly.blocks.find((b: any) => b.block_id === `lead:${leadId}`);
      expect(row.accessory).toMatchObject({ type: 'button', value: String(leadId) });
      expect(row.accessory.text.text).toBe('View orders');

      t.slack.reset();
      await submit(ADMIN, 'roster', values([who], 'remove'));
      const removed = await publishedHomeOf(who);
      expect(removed.blocks.map((b: any) => b.block_id)).toEqual(['home_title', 'no_access']);
      expect(JSON.stringify(removed)).not.toContain('Home Roster Co');
    });

    it('never removes or demotes the last admin', async () => {
      const removed = await submit(ADMIN, 'roster', values([ADMIN], 'remove'));
      expect(removed.json.errors.roster_users).toMatch(/last admin cannot be removed/);
      const demoted = await submit(ADMIN, 'roster', values([ADMIN], 'manager'));
      expect(demoted.json.errors.roster_users).toMatch(/last admin cannot be demoted/);
      expect(await roleOf(ADMIN)).toBe('admin');
    });

    it('changes several people together or not at all: a refused last admin saves nobody', async () => {
      const before = await t.deps.db.prisma.auditEntry.count();
      const res = await submit(ADMIN, 'roster', values([AM, ADMIN], 'manager'));
      expect(res.json.errors.roster_users).toMatch(/last admin cannot be demoted/);
      expect(await roleOf(AM)).toBe('account_manager');
      expect(await roleOf(ADMIN)).toBe('admin');
      expect(await t.deps.db.prisma.auditEntry.count()).toBe(before);
    });
  });

  describe('authorisation', () => {
    it('refuses and logs a forged admin submission from a manager, changing nothing', async () => {
      const warn = jest.spyOn(t.deps.logger, 'warn');
      try {
        const before = await t.deps.db.prisma.auditEntry.count();
        const res = await submit(MANAGER, 'sync_window', {
          sync_days: { [ACTION_IDS.adminSyncDays]: { type: 'number_input', value: '7' } },
        });
        expect(res.json.response_action).toBe('update');
        expect(JSON.stringify(res.json.view)).toContain('Only CRM admins can do that.');
        expect(await getSyncDays(t.deps.db.prisma, t.deps.config)).toBe(90);
        expect(await t.deps.db.prisma.auditEntry.count()).toBe(before);
        expect(warn).toHaveBeenCalledWith(
          expect.objectContaining({ userId: MANAGER, callbackId: 'admin_sync_window' }),
          expect.stringContaining('refused'),
        );
      } finally {
        warn.mockRestore();
      }
    });

    it('refuses a forged roster change from someone outside the roster', async () => {
      const res = await submit('U0STRANGER', 'roster', {
        roster_users: { [ACTION_IDS.adminRosterUsers]: { type: 'multi_users_select', selected_users: ['U0STRANGER'] } },
        roster_role: { [ACTION_IDS.adminRosterRole]: { type: 'static_select', selected_option: { value: 'admin' } } },
      });
      expect(res.json.response_action).toBe('update');
      expect(await t.deps.db.prisma.rosterMember.findUnique({ where: { userId: 'U0STRANGER' } })).toBeNull();
    });
  });
});
