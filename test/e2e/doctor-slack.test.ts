/**
 * The setup check in Slack: `/crm doctor` and *Check setup* on the admin's Home, through
 * the real Bolt app, with the fake Slack and a fake Metabase.
 */
import { readManifestBotScopes } from '../../src/doctor/manifest-scopes';
import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { type FakeMetabase, startFakeMetabase } from '../support/fake-metabase';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { startTestApp, type TestApp } from '../support/harness';
import { ADMIN, addRosterUsers, MANAGER, ROSTER_ENV, visibleText } from '../support/lead-e2e';

const MB_KEY = 'mb-slack-doctor-key';

describe('the setup check in Slack', () => {
  let t: TestApp;
  let slack: FakeSlack;
  let mb: FakeMetabase;
  beforeAll(async () => {
    slack = await startFakeSlack();
    mb = await startFakeMetabase({ apiKey: MB_KEY, customersCardId: 51, ordersCardId: 52 });
    mb.setCustomers([
      {
        customer_id: 'C1',
        customer_name: 'ACME',
        market: 'AE',
        currency: 'AED',
        order_count: 1,
        lifetime_total: '5.00',
        last_order_at: new Date(),
        first_order_at: new Date(),
      },
    ]);
    mb.setOrders('C1', [
      { order_id: 1, created_at: new Date(), market: 'AE', currency: 'AED', total: '5.00', status: 'delivered' },
    ]);
    t = await startTestApp({
      slack,
      env: {
        ...ROSTER_ENV,
        METABASE_URL: mb.url,
        METABASE_API_KEY: MB_KEY,
        METABASE_CUSTOMERS_CARD_ID: '51',
        METABASE_ORDERS_CARD_ID: '52',
      },
    });
    addRosterUsers(t);
  });
  afterAll(async () => {
    await t.stop();
    await slack.close();
    await mb.close();
  });
  beforeEach(() => {
    slack.reset();
    slack.grantedScopes = readManifestBotScopes().map((s) => s.name);
    mb.setLatency(0);
  });

  /** The report's sections by check, as the admin reads them. */
  const sectionsOf = (blocks: any[]) =>
    Object.fromEntries(
      blocks.filter((b) => String(b.block_id).startsWith('doctor:')).map((b) => [b.block_id, visibleText(b)]),
    );

  it('/crm doctor answers the ack at once, then "checking", then the report', async () => {
    // Metabase holds its answers: the report cannot be ready when the command is acknowledged.
    const releaseMetabase = mb.holdAnswers();
    const res = await t.driver.crm(ADMIN, 'doctor');
    expect(res.status).toBe(200);
    expect(slack.responses.some((r) => JSON.stringify(r.body).includes('doctor:config'))).toBe(false);
    releaseMetabase();
    const [checking, report] = await slack.waitForResponse(2);
    expect(checking!.body.text).toMatch(/^:hourglass_flowing_sand: Checking the configuration/);
    expect(report!.body.response_type).toBe('ephemeral');
    expect(report!.body.text).toBe('Setup check: Everything checked is in order.');
    const sections = sectionsOf(report!.body.blocks);
    expect(sections['doctor:config']).toMatch(
      /^:white_check_mark: \*Configuration\*: valid: HTTP mode, SQLite database, Metabase saved questions 51 and 52/,
    );
    expect(sections['doctor:slack_token']).toBe(
      ':white_check_mark: *Slack bot token*: works: bot @crm (UBOT0001) in workspace Fake (T0FAKE)',
    );
    expect(sections['doctor:socket_mode']).toBe(
      ':heavy_minus_sign: *Socket Mode*: not used: SLACK_APP_TOKEN is unset, the app runs in HTTP mode',
    );
    expect(sections['doctor:customers_card']).toMatch(
      /^:white_check_mark: \*Customers card\*: saved question 51 returns every column/,
    );
    expect(sections['doctor:orders_card']).toMatch(/^:white_check_mark: \*Orders card\*/);
    // Admins have not chosen a digest channel in this app: not checked, said so.
    expect(sections['doctor:digest_channel']).toMatch(/^:heavy_minus_sign: \*Digest channel\*: none chosen/);
    expect(JSON.stringify(report!.body)).not.toContain(MB_KEY);
  });

  it('shows a problem with its fix: a missing scope', async () => {
    slack.grantedScopes = readManifestBotScopes()
      .map((s) => s.name)
      .filter((s) => s !== 'users:read');
    await t.driver.crm(ADMIN, 'doctor');
    const [, report] = await slack.waitForResponse(2);
    expect(report!.body.text).toBe('Setup check: 1 problem to fix.');
    expect(sectionsOf(report!.body.blocks)['doctor:slack_scopes']).toBe(
      [
        ':x: *Slack scopes*: missing users:read',
        '• users:read: users.info: time zone, guest status, deactivated users',
        "_Fix:_ Add users:read under OAuth &amp; Permissions → Scopes → Bot Token Scopes in the app's settings at https://api.slack.com/apps, then reinstall the app (Install App → Reinstall to Workspace).",
      ].join('\n'),
    );
  });

  it('/crm doctor is for admins only', async () => {
    await t.driver.crm(MANAGER, 'doctor');
    const [reply] = await slack.waitForResponse(1);
    expect(reply!.body.text).toContain('Only CRM admins');
    expect(slack.callsTo('auth.test')).toEqual([]);
  });

  it('Check setup on Home opens a modal at once and fills it with the report', async () => {
    await t.driver.openHome(ADMIN);
    const [publish] = await slack.waitForCalls('views.publish');
    const button = publish!.args.view.blocks.find((b: any) => b.block_id === 'admin:check_setup');
    expect(button.elements[0]).toMatchObject({ action_id: ACTION_IDS.adminCheckSetup, text: { text: 'Check setup' } });

    await t.driver.blockAction(
      ADMIN,
      { action_id: ACTION_IDS.adminCheckSetup, block_id: 'admin:check_setup' },
      { type: 'view', view_id: 'VHOME' },
    );
    const [open] = await slack.waitForCalls('views.open');
    expect(open!.args.view.title.text).toBe('Setup check');
    expect(visibleText(open!.args.view)).toContain('Checking the configuration, the database, Slack and Metabase');
    const [update] = await slack.waitForCalls('views.update', 1);
    expect(update!.args.view_id).toMatch(/^V\d+$/);
    const sections = sectionsOf(update!.args.view.blocks);
    expect(Object.keys(sections)).toEqual([
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
    expect(sections['doctor:metabase']).toMatch(
      /^:white_check_mark: \*Metabase\*: 127\.0\.0\.1:\d+ answers and accepts the API key$/,
    );
  });

  it('Check setup refuses anyone but an admin, and shows them no button', async () => {
    await t.driver.openHome(MANAGER);
    const [publish] = await slack.waitForCalls('views.publish');
    expect(JSON.stringify(publish!.args.view)).not.toContain(ACTION_IDS.adminCheckSetup);
    await t.driver.blockAction(MANAGER, { action_id: ACTION_IDS.adminCheckSetup, block_id: 'admin:check_setup' });
    const [open] = await slack.waitForCalls('views.open');
    expect(visibleText(open!.args.view)).toContain('Only CRM admins');
    expect(slack.callsTo('auth.test')).toEqual([]);
  });
});
