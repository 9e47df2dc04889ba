import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { runBackupTick } from '../../src/jobs/backup';
import { createLogger } from '../../src/logger';
import { startServer } from '../../src/server';
import { tempPostgresUrl } from '../support/databases';
import { startFakeSlack } from '../support/fake-slack';
import { startTestApp, type TestApp } from '../support/harness';

const ADMIN = 'U0ADMIN001';
const AM = 'U0AMGR0001';

async function health(t: TestApp): Promise<Record<string, any>> {
  const res = await fetch(`${t.baseUrl}/healthz`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

describe('backups on /healthz and on the admins’ Home tab', () => {
  let t: TestApp;
  let dir: string;
  const clock = new ManualClock('2026-11-25T00:01:00Z');
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-backup-e2e-'));
    t = await startTestApp({
      clock,
      env: { CRM_ADMINS: ADMIN, CRM_ACCOUNT_MANAGERS: AM, CRM_BACKUP_DIR: join(dir, 'backups') },
    });
  });
  afterAll(async () => {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the age of the last good backup, with no path in it', async () => {
    expect((await health(t)).backup).toEqual({
      mode: 'sqlite',
      lastGoodAt: null,
      ageSeconds: null,
      stale: false,
      intervalHours: 24,
    });
    expect(await runBackupTick(t.deps)).toBe('good');
    clock.advance(90 * 60_000);
    const body = await health(t);
    expect(body.backup).toEqual({
      mode: 'sqlite',
      lastGoodAt: '2026-11-25T00:01:00.000Z',
      ageSeconds: 5400,
      stale: false,
      intervalHours: 24,
    });
    expect(JSON.stringify(body)).not.toContain(dir);
    expect(JSON.stringify(body)).not.toContain('crm-backup-');
  });

  it('shows admins, and only admins, a notice on Home once the last good backup is more than two periods old', async () => {
    // The backup folder becomes unusable (a file stands where it should be).
    rmSync(join(dir, 'backups'), { recursive: true });
    writeFileSync(join(dir, 'backups'), 'in the way');
    clock.set('2026-11-27T00:02:00Z');
    expect(await runBackupTick(t.deps)).toBe('failed');
    expect((await health(t)).backup).toMatchObject({ stale: true, lastGoodAt: '2026-11-25T00:01:00.000Z' });

    await t.driver.openHome(ADMIN);
    const home = await t.slack.waitFor(() => t.slack.callsTo('views.publish').find((c) => c.args.user_id === ADMIN));
    const notice = home.args.view.blocks.find((b: any) => String(b.block_id).startsWith('admin_notice:'));
    expect(notice.text.text).toContain(
      'No good backup of the CRM database since 2026-11-25 00:01 UTC (one is due every 24 h).',
    );
    expect(notice.text.text).not.toContain(dir);

    await t.driver.openHome(AM);
    const amHome = await t.slack.waitFor(() => t.slack.callsTo('views.publish').find((c) => c.args.user_id === AM));
    expect(JSON.stringify(amHome.args.view.blocks)).not.toContain('No good backup');

    // Fixed: the next attempt succeeds and the notice goes away by itself.
    rmSync(join(dir, 'backups'));
    clock.advance(20 * 60_000);
    expect(await runBackupTick(t.deps)).toBe('good');
    t.slack.reset();
    await t.driver.openHome(ADMIN);
    const after = await t.slack.waitFor(() => t.slack.callsTo('views.publish').find((c) => c.args.user_id === ADMIN));
    expect(JSON.stringify(after.args.view.blocks)).not.toContain('No good backup');
    expect((await health(t)).backup).toMatchObject({ stale: false, ageSeconds: 0 });
  });
});

describe('backups on PostgreSQL', () => {
  it('are external: the app says so at start and on /healthz, and takes none', async () => {
    const slack = await startFakeSlack();
    const db = tempPostgresUrl();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-t',
      SLACK_SIGNING_SECRET: 's',
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      DATABASE_URL: db.url,
    });
    const server = await startServer({
      config,
      logger: createLogger('info', sink),
      clock: new ManualClock(),
      schedules: false,
    });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(((await res.json()) as Record<string, any>).backup).toEqual({ mode: 'external' });
      expect(lines.map((l) => JSON.parse(l).msg)).toContain(
        'backups: the app takes none on PostgreSQL; back the database up with pg_dump or WAL archiving (see docs/operations.md)',
      );
      expect(await runBackupTick(server.deps)).toBe('not_sqlite');
    } finally {
      await server.stop();
      await slack.close();
      await db.cleanup();
    }
  });
});
