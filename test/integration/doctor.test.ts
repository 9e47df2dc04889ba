/**
 * `npm run doctor` in-process, against the fake Slack, the fake Metabase and a real SQLite
 * file: a healthy set-up, then one thing broken at a time, each with the line an admin
 * reads, the fix, and whether the exit status fails.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock';
import { type CheckId, type CheckResult, type DoctorReport, summarise } from '../../src/common/doctor-report';
import { knownMigrations } from '../../src/db/migrate';
import { formatDoctorReport } from '../../src/doctor/format-text';
import { doctorFromEnvironment } from '../../src/doctor/from-environment';
import {
  CUSTOMERS_CARD_ID,
  DOCTOR_NOW,
  type DoctorWorld,
  healthyWorld,
  ORDERS_CARD_ID,
  SECRETS,
} from '../support/doctor-setup';

let world: DoctorWorld;
/** The card ids the doctor was configured with in this test. */
let cardIds: string[];

beforeEach(async () => {
  world = await healthyWorld();
  cardIds = [String(CUSTOMERS_CARD_ID), String(ORDERS_CARD_ID)];
});

afterEach(async () => {
  try {
    // The doctor reads Metabase only through the configured saved questions, like the app.
    const allowed = new Set(['POST /api/session', ...cardIds.map((id) => `POST /api/card/${id}/query/json`)]);
    expect(world.mb.requests.map((r) => `${r.method} ${r.path}`).filter((r) => !allowed.has(r))).toEqual([]);
  } finally {
    await world.close();
  }
});

async function doctor(
  env: Record<string, string | undefined> = world.env,
): Promise<{ report: DoctorReport; text: string; check(id: CheckId): CheckResult }> {
  cardIds = [env.METABASE_CUSTOMERS_CARD_ID ?? '', env.METABASE_ORDERS_CARD_ID ?? ''];
  const report = await doctorFromEnvironment(env, { clock: new ManualClock(DOCTOR_NOW) });
  const text = formatDoctorReport(report);
  // Whatever the outcome, no secret reaches the report.
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  return { report, text, check: (id) => report.checks.find((c) => c.id === id)! };
}

const statuses = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.id, c.status]));

describe('the doctor on a healthy set-up', () => {
  it('passes every check and says what it found', async () => {
    const { report, text, check } = await doctor();
    expect(statuses(report)).toEqual({
      config: 'ok',
      database: 'ok',
      migrations: 'ok',
      slack_token: 'ok',
      slack_scopes: 'ok',
      socket_mode: 'ok',
      digest_channel: 'ok',
      metabase: 'ok',
      customers_card: 'ok',
      orders_card: 'ok',
    });
    expect(summarise(report)).toEqual({ failures: 0, warnings: 0, ok: true });
    expect(check('slack_token').finding).toBe('works: bot @crm (UBOT0001) in workspace Fake (T0FAKE)');
    expect(check('slack_scopes').finding).toBe(
      'the token has every scope manifest.yml asks for: commands, chat:write, users:read, channels:read, groups:read, files:write, im:write, im:history, channels:history, groups:history',
    );
    expect(check('digest_channel').finding).toBe('#sales-digest: the bot is a member, the channel is internal');
    expect(check('customers_card').finding).toBe(
      'saved question 41 returns every column of the contract (1 row read: customers who ordered in the last 7 days)',
    );
    expect(check('orders_card').finding).toBe(
      'saved question 42 returns every column of the contract (1 row read: orders of one customer)',
    );
    expect(text).toContain(
      '✓ Socket Mode      SLACK_APP_TOKEN opens Socket Mode connections (the test connection was not used)',
    );
    expect(text.trimEnd().split('\n').pop()).toBe('Everything checked is in order.');
    // The app token was tried once, and only where Slack takes it.
    expect(world.slack.callsTo('apps.connections.open').map((c) => c.authorization)).toEqual([`Bearer ${SECRETS.app}`]);
  });
});

describe('the doctor finds what is broken', () => {
  it('a refused bot token: the token line fails with the fix, the checks that need it are not run', async () => {
    world.slack.failWith('auth.test', 'invalid_auth');
    const { report, text, check } = await doctor();
    expect(check('slack_token')).toMatchObject({
      status: 'fail',
      finding: 'Slack refused SLACK_BOT_TOKEN (invalid_auth)',
    });
    expect(check('slack_token').fix).toMatch(
      /^Copy the Bot User OAuth Token \(xoxb-…\) again from OAuth & Permissions/,
    );
    expect(check('slack_scopes')).toMatchObject({
      status: 'skip',
      finding: 'not checked: the bot token does not work',
    });
    expect(check('digest_channel').status).toBe('skip');
    expect(text).toContain('✗ Slack bot token  Slack refused SLACK_BOT_TOKEN (invalid_auth)');
    expect(summarise(report).ok).toBe(false);
  });

  it('a missing scope: named, with what it is for and how to add it', async () => {
    world.slack.grantedScopes = world.slack.grantedScopes!.filter((s) => s !== 'groups:read');
    const { report, text, check } = await doctor();
    expect(check('slack_scopes')).toEqual({
      id: 'slack_scopes',
      title: 'Slack scopes',
      status: 'fail',
      finding: 'missing groups:read',
      fix: "Add groups:read under OAuth & Permissions → Scopes → Bot Token Scopes in the app's settings at https://api.slack.com/apps, then reinstall the app (Install App → Reinstall to Workspace).",
      details: ['groups:read: conversations.info on the digest channel (private)'],
    });
    expect(text).toContain('✗ Slack scopes     missing groups:read');
    expect(summarise(report).ok).toBe(false);
  });

  it('an extra scope is a warning, not a failure', async () => {
    world.slack.grantedScopes = [...world.slack.grantedScopes!, 'users:read.email'];
    const { report, check } = await doctor();
    expect(check('slack_scopes')).toMatchObject({
      status: 'warn',
      finding: 'more access than the app needs: extra (not in manifest.yml): users:read.email',
    });
    expect(summarise(report)).toEqual({ failures: 0, warnings: 1, ok: true });
  });

  it('the bot not in the digest channel: fails with the /invite to type', async () => {
    world.slack.botChannels.clear();
    const { report, text, check } = await doctor();
    expect(check('digest_channel')).toMatchObject({
      status: 'fail',
      finding: 'the bot is not a member of #sales-digest, so digests cannot be posted there',
      fix: 'Type /invite @crm in #sales-digest.',
    });
    expect(text).toContain('✗ Digest channel   the bot is not a member of #sales-digest');
    expect(summarise(report).ok).toBe(false);
  });

  it('a digest channel shared with another organisation is a warning', async () => {
    world.slack.channels.set('CDIGEST01', {
      id: 'CDIGEST01',
      name: 'sales-digest',
      is_shared: true,
      is_ext_shared: true,
    });
    const { report, check } = await doctor();
    expect(check('digest_channel')).toMatchObject({
      status: 'warn',
      finding:
        "#sales-digest is shared with another organisation (Slack Connect): they would read the digest's customer names and figures",
    });
    expect(summarise(report).ok).toBe(true);
  });

  it('a deleted digest channel fails', async () => {
    world.slack.channels.clear();
    world.slack.channels.set('COTHER', { id: 'COTHER', name: 'other' });
    const { check } = await doctor();
    expect(check('digest_channel')).toMatchObject({
      status: 'fail',
      finding: 'channel CDIGEST01 was not found: deleted, or private without the bot in it',
    });
  });

  it('a refused app token in Socket Mode', async () => {
    world.slack.failWith('apps.connections.open', 'invalid_auth');
    const { report, check } = await doctor();
    expect(check('socket_mode')).toMatchObject({
      status: 'fail',
      finding: 'Slack refused SLACK_APP_TOKEN (invalid_auth)',
    });
    expect(check('socket_mode').fix).toContain('App-Level Tokens');
    expect(summarise(report).ok).toBe(false);
  });

  it('HTTP mode has no app token to check', async () => {
    const { SLACK_APP_TOKEN: _unused, ...http } = world.env;
    const { check } = await doctor({ ...http, SLACK_SIGNING_SECRET: 'doctor-signing-secret' });
    expect(check('socket_mode')).toMatchObject({
      status: 'skip',
      finding: 'not used: SLACK_APP_TOKEN is unset, the app runs in HTTP mode',
    });
    expect(world.slack.callsTo('apps.connections.open')).toEqual([]);
  });

  it('Metabase down: a failed line with the reason, the cards not checked, and no crash', async () => {
    await world.mb.close();
    const { report, text, check } = await doctor();
    const host = new URL(world.mb.url).host;
    expect(check('metabase')).toMatchObject({
      status: 'fail',
      finding: `could not reach ${host} (connection refused)`,
    });
    expect(check('metabase').fix).toBe(
      'Check METABASE_URL, and that Metabase is running and reachable from this machine.',
    );
    expect(check('customers_card')).toMatchObject({ status: 'skip', finding: 'not checked: Metabase did not answer' });
    expect(text).toContain(`✗ Metabase         could not reach ${host} (connection refused)`);
    expect(summarise(report).ok).toBe(false);
  });

  it('a refused Metabase key', async () => {
    const { check } = await doctor({ ...world.env, METABASE_API_KEY: 'not-the-key' });
    expect(check('metabase')).toMatchObject({
      status: 'fail',
      finding: `${new URL(world.mb.url).host} refused the API key (HTTP 401)`,
    });
  });

  it('a refused Metabase login (session auth)', async () => {
    const { METABASE_API_KEY: _key, ...rest } = world.env;
    const { text, check } = await doctor({
      ...rest,
      METABASE_USERNAME: 'crm@example.com',
      METABASE_PASSWORD: 'wrong-password-secret',
    });
    expect(check('metabase')).toMatchObject({
      status: 'fail',
      finding: `${new URL(world.mb.url).host} refused the login (HTTP 401)`,
    });
    expect(check('metabase').fix).toBe(
      'Check METABASE_USERNAME and METABASE_PASSWORD (log in to Metabase with them to be sure).',
    );
    expect(text).not.toContain('wrong-password-secret');
  });

  it('a card id with no saved question behind it', async () => {
    const { check } = await doctor({ ...world.env, METABASE_ORDERS_CARD_ID: '99' });
    expect(check('metabase').status).toBe('ok');
    expect(check('orders_card')).toMatchObject({ status: 'fail', finding: 'Metabase has no saved question 99' });
    expect(check('orders_card').fix).toContain('METABASE_ORDERS_CARD_ID');
  });

  it('a renamed card column: the missing column and the new name are both named', async () => {
    world.mb.setCustomers([]);
    world.mb.setRawRows('customers', [
      {
        customer_id: 'C1',
        client_name: 'ACME',
        company: null,
        email: null,
        phone: null,
        market: 'AE',
        currency: 'AED',
        order_count: 2,
        lifetime_total: 10,
        last_order_at: '2026-11-20T00:00:00Z',
      },
    ]);
    const { report, text, check } = await doctor();
    expect(check('customers_card')).toMatchObject({
      status: 'fail',
      finding:
        'saved question 41 lacks the column customer_name (it has client_name, which the contract does not name)',
    });
    expect(check('customers_card').fix).toMatch(/^Edit saved question 41 in Metabase so it returns customer_name/);
    expect(text).toContain('✗ Customers card   saved question 41 lacks the column customer_name');
    // No usable customer row and none cached: the Orders card cannot be asked.
    expect(check('orders_card').status).toBe('skip');
    expect(summarise(report).ok).toBe(false);
  });

  it('rows whose values do not fit: a warning with the reasons, never the values', async () => {
    world.mb.setRawRows('customers', [
      {
        customer_id: 'C2',
        customer_name: 'Beta',
        company: null,
        email: 'secret@beta.example',
        phone: null,
        market: 'AE',
        currency: 'AED',
        order_count: 1,
        lifetime_total: 'lots',
        last_order_at: '2026-11-21T00:00:00Z',
      },
    ]);
    const { text, check } = await doctor();
    expect(check('customers_card')).toMatchObject({
      status: 'warn',
      details: ['lifetime_total: must be a plain decimal number'],
    });
    expect(text).not.toContain('secret@beta.example');
  });

  it('no customer in the last week: asks the sync window, then checks the columns', async () => {
    world.mb.setCustomers([
      {
        customer_id: 'C1',
        customer_name: 'ACME',
        market: 'AE',
        currency: 'AED',
        order_count: 2,
        lifetime_total: '10.00',
        last_order_at: '2026-10-01T00:00:00Z',
        first_order_at: '2026-09-01T00:00:00Z',
      },
    ]);
    const { check } = await doctor();
    const days = world.mb.requests
      .filter((r) => r.path === `/api/card/${CUSTOMERS_CARD_ID}/query/json`)
      .map((r) => (r.parameters as { value: number }[])[0]!.value);
    expect(days).toEqual([7, 120]);
    expect(check('customers_card')).toMatchObject({
      status: 'ok',
      finding:
        'saved question 41 returns every column of the contract (1 row read: customers who ordered in the last 120 days)',
    });
  });

  it('a card without the optional first_order_at: a warning that order rhythm is unknown, everything else ok', async () => {
    world.mb.setCustomers([
      {
        customer_id: 'C1',
        customer_name: 'ACME',
        market: 'AE',
        currency: 'AED',
        order_count: 2,
        lifetime_total: '10.00',
        last_order_at: '2026-11-20T00:00:00Z',
      },
    ]);
    const { report, check } = await doctor();
    expect(check('customers_card')).toMatchObject({
      status: 'warn',
      finding:
        'saved question 41 returns every required column (1 row read: customers who ordered in the last 7 days) but not the optional first_order_at, so order rhythm (due, overdue, at risk) is unknown',
    });
    expect(summarise(report).ok).toBe(true);
  });

  it('no customer in the whole window: the columns cannot be seen, a warning', async () => {
    world.mb.setCustomers([]);
    const { report, check } = await doctor();
    expect(check('customers_card')).toMatchObject({
      status: 'warn',
      finding:
        'saved question 41 ran, but returned no rows (customers who ordered in the last 120 days), so its columns could not be checked',
    });
    expect(summarise(report).ok).toBe(true);
  });

  it('a pending migration is a warning: the app applies it at start', async () => {
    world.sql("DELETE FROM _prisma_migrations WHERE migration_name = '20261125161933_init'");
    const { report, text, check } = await doctor();
    const applied = knownMigrations('sqlite').length - 1;
    expect(check('migrations')).toMatchObject({
      status: 'warn',
      finding: `${applied} migrations applied; 1 migration pending (20261125161933_init)`,
    });
    expect(check('migrations').fix).toBe(
      'The app applies pending migrations when it starts; to apply them now, run `npm run db:migrate`.',
    );
    expect(text).toContain(
      `! Migrations       ${applied} migrations applied; 1 migration pending (20261125161933_init)`,
    );
    expect(summarise(report)).toMatchObject({ failures: 0, ok: true });
  });

  it('an edited migration fails: the app would refuse to start', async () => {
    world.sql(
      "UPDATE _prisma_migrations SET checksum = ? WHERE migration_name = '20261125161933_init'",
      '0'.repeat(64),
    );
    const { report, check } = await doctor();
    expect(check('migrations')).toMatchObject({
      status: 'fail',
      finding: '1 applied migration changed since applied (20261125161933_init): the app will refuse to start',
    });
    expect(summarise(report).ok).toBe(false);
  });

  it('no database file yet: said so, and not created by the doctor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-doctor-'));
    try {
      const path = join(dir, 'crm.db');
      const { check } = await doctor({ ...world.env, DATABASE_URL: `file:${path}` });
      expect(check('database')).toMatchObject({ status: 'warn', finding: `SQLite file ${path} does not exist yet` });
      expect(check('digest_channel')).toMatchObject({
        status: 'skip',
        finding: 'not checked: the settings cannot be read before the database is created and migrated',
      });
      expect(existsSync(path)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad configuration: every bad variable named, no secret repeated, nothing contacted', async () => {
    const { report, text, check } = await doctor({
      ...world.env,
      SLACK_BOT_TOKEN: 'xoxp-a-user-token-secret',
      METABASE_API_KEY: '',
      CRM_ADMINS: 'bob',
    });
    expect(check('config').status).toBe('fail');
    expect(check('config').details).toEqual([
      'SLACK_BOT_TOKEN must be a bot token starting with xoxb- (got "[redacted]")',
      'CRM_ADMINS must be a comma-separated list of Slack user ids (U…/W…) (got "bob")',
      'METABASE_API_KEY is required with METABASE_URL (or METABASE_USERNAME and METABASE_PASSWORD)',
    ]);
    expect(report.checks.filter((c) => c.id !== 'config').every((c) => c.status === 'skip')).toBe(true);
    expect(text).not.toContain('xoxp-a-user-token-secret');
    expect(world.slack.calls).toEqual([]);
    expect(world.mb.requests).toEqual([]);
    expect(summarise(report).ok).toBe(false);
  });
});
