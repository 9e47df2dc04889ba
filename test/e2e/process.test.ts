import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack';
import { SlackDriver, SocketDriver } from '../support/slack-driver';
import { startFakeSocketMode, type FakeSocketMode } from '../support/fake-socket-mode';
import { tempSqliteUrl } from '../support/databases';

const root = join(__dirname, '..', '..');

/** Runs src/index.ts as the real process would (`npm start` minus the install). */
function runApp(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/index.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitForLog(output: () => string, pattern: RegExp, timeoutMs = 15000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = output().match(pattern);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`no log line matching ${pattern}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the app as a process', () => {
  it('stops with one clear configuration message and no stack trace when nothing is configured', async () => {
    const app = runApp({});
    const code = await app.exited;
    expect(code).toBe(1);
    expect(app.output()).toContain('Configuration error');
    expect(app.output()).toContain('SLACK_BOT_TOKEN is required');
    expect(app.output()).not.toMatch(/\n\s+at /);
  });

  describe('with a fake token and SLACK_API_URL pointed at the fake', () => {
    let slack: FakeSlack;
    const db = tempSqliteUrl();
    beforeAll(async () => {
      slack = await startFakeSlack();
    });
    afterAll(async () => {
      await slack.close();
      await db.cleanup();
    });

    it('migrates, answers /healthz, publishes Home for a signed app_home_opened, and exits 0 on SIGTERM', async () => {
      const app = runApp({
        SLACK_BOT_TOKEN: 'xoxb-process-test',
        SLACK_SIGNING_SECRET: 'process-secret',
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        DATABASE_URL: db.url,
        CRM_ADMINS: 'U0ADMIN01',
      });
      try {
        const [, port] = await waitForLog(app.output, /"port":(\d+)/);
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ ok: true, database: { ok: true } });

        const driver = new SlackDriver(`http://127.0.0.1:${port}`, 'process-secret', () => slack.responseUrl());
        expect((await driver.openHome('U0ADMIN01')).status).toBe(200);
        const [publish] = await slack.waitForCalls('views.publish', 1, 10000);
        expect(publish!.args.user_id).toBe('U0ADMIN01');

        app.child.kill('SIGTERM');
        expect(await app.exited).toBe(0);
        expect(app.output()).toContain('"msg":"stopped"');
        await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
      } finally {
        app.child.kill('SIGKILL');
      }
    });
  });

  describe('in Socket Mode, with SLACK_APP_TOKEN and the fake Socket Mode server', () => {
    let slack: FakeSlack;
    let socket: FakeSocketMode;
    const db = tempSqliteUrl();
    beforeAll(async () => {
      slack = await startFakeSlack();
      socket = await startFakeSocketMode(slack);
    });
    afterAll(async () => {
      await socket.close();
      await slack.close();
      await db.cleanup();
    });
    const env = (appToken: string) => ({
      SLACK_BOT_TOKEN: 'xoxb-process-test',
      SLACK_APP_TOKEN: appToken,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      DATABASE_URL: db.url,
      CRM_ADMINS: 'U0ADMIN01',
    });

    it('connects, answers /healthz with the socket state, serves an event, and on SIGTERM finishes the work in flight, closes the socket and exits 0', async () => {
      const app = runApp(env(socket.appToken));
      try {
        const [, port] = await waitForLog(app.output, /"port":(\d+)[^\n]*connected \(Socket Mode/);
        const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Record<string, any>;
        expect(health).toMatchObject({ ok: true, slack: { mode: 'socket', connection: 'connected' } });

        // The first publish is rate limited for a second: the work is still running when SIGTERM comes.
        slack.rateLimit('views.publish', 1, 1);
        const driver = new SocketDriver(socket, () => slack.responseUrl());
        expect((await driver.openHome('U0ADMIN01')).status).toBe(200);
        await slack.waitForCalls('views.publish', 1, 10000);
        app.child.kill('SIGTERM');
        expect(await app.exited).toBe(0);

        const publishes = slack.callsTo('views.publish');
        expect(publishes).toHaveLength(2);
        expect(publishes[1]!.args.user_id).toBe('U0ADMIN01');
        expect(socket.connections).toEqual([expect.objectContaining({ closedBy: 'app', closeCode: 1000 })]);
        expect(socket.protocolErrors).toEqual([]);
        expect(app.output()).toContain('"msg":"stopped"');
        expect(app.output()).not.toContain(socket.appToken);
      } finally {
        app.child.kill('SIGKILL');
      }
    });

    it('stops with one clear message when Slack refuses the app-level token', async () => {
      const app = runApp(env('xapp-1-A0FAKE-1-revoked'));
      try {
        expect(await app.exited).toBe(1);
        expect(app.output()).toContain('Failed to start: Slack refused to open a Socket Mode connection (invalid_auth): check SLACK_APP_TOKEN');
        expect(app.output()).not.toContain('xapp-1-A0FAKE-1-revoked');
      } finally {
        app.child.kill('SIGKILL');
      }
    });
  });
});
