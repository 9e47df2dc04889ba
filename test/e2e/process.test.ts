import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempSqliteUrl } from '../support/databases';
import { FakeSlack, startFakeSlack } from '../support/fake-slack';
import { type FakeSocketMode, startFakeSocketMode } from '../support/fake-socket-mode';
import { SlackDriver, SocketDriver } from '../support/slack-driver';

const root = join(__dirname, '..', '..');

/**
 * Runs src/index.ts as the real process would (`npm start` runs the same code compiled), in a
 * working folder of its own, so a `.env` in the clone is not read.
 */
function runApp(
  env: Record<string, string>,
  preload: string[] = [],
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const cwd = mkdtempSync(join(tmpdir(), 'crm-process-'));
  const child = spawn(
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), ...preload.flatMap((p) => ['--require', p]), join(root, 'src/index.ts')],
    {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve(code);
    }),
  );
  return { child, output: () => out, exited };
}

/** A loopback port nothing listens on (yet). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Each test starts real processes that load the whole app: on a busy machine that alone can take
// many seconds. The waits below end as soon as the line appears; their bound only limits a failure.
jest.setTimeout(150_000);

async function waitForLog(output: () => string, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
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

        const driver = new SlackDriver(`http://127.0.0.1:${port}`, 'process-secret', slack);
        expect((await driver.openHome('U0ADMIN01')).status).toBe(200);
        const [publish] = await slack.waitForCalls('views.publish', 1);
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

  describe('when Slack is unreachable or misbehaves', () => {
    const db = tempSqliteUrl();
    afterAll(async () => {
      await db.cleanup();
    });

    it('keeps running with the README’s "try it locally" command, says so on /healthz, and recovers when Slack answers', async () => {
      // The command line as the README writes it: its variables, then `npm start`, which brings
      // the clone up to date and runs the compiled src/index.ts (run here from source).
      const line = /^(SLACK_BOT_TOKEN=\S+(?: [A-Z_]+=\S+)*) npm start$/m.exec(
        readFileSync(join(root, 'README.md'), 'utf8'),
      );
      expect(line).not.toBeNull();
      const readmeEnv = Object.fromEntries(line![1]!.split(' ').map((a) => a.split('=', 2) as [string, string]));
      expect(readmeEnv).toEqual({
        SLACK_BOT_TOKEN: 'xoxb-dev',
        SLACK_SIGNING_SECRET: 'dev',
        SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      });
      expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start).toBe(
        'exec node scripts/run-compiled.mjs dist/index.js',
      );
      // Port 9999 may be taken on this machine: another port where nothing listens, same shape.
      const slackPort = await freePort();
      const app = runApp({
        ...readmeEnv,
        SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
        PORT: '0',
        DATABASE_URL: db.url,
        CRM_ADMINS: 'U0ADMIN01',
      });
      let slack: FakeSlack | null = null;
      try {
        const [, port] = await waitForLog(app.output, /"port":(\d+)/);
        // Slack is down: a signed request is still acknowledged (the Home publish fails later, logged).
        const driver = new SlackDriver(`http://127.0.0.1:${port}`, 'dev', new FakeSlack());
        expect((await driver.openHome('U0ADMIN01')).status).toBe(200);
        // Checks 1 s, 2 s and 4 s apart: the fourth comes after the 6 s the process used to die at.
        await waitForLog(app.output, /"attempt":4/);
        expect(app.child.exitCode).toBeNull();
        const down = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
        expect(down).toMatchObject({
          ok: true,
          database: { ok: true },
          slack: { mode: 'http', token: { ok: false, error: 'ECONNREFUSED' } },
        });

        // Slack comes up where the app expects it: the next check succeeds.
        slack = await new FakeSlack().start(slackPort);
        await waitForLog(app.output, /Slack accepted the bot token/);
        const up = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { slack: unknown };
        expect(up.slack).toMatchObject({ token: { ok: true } });

        app.child.kill('SIGTERM');
        expect(await app.exited).toBe(0);
        expect(app.output()).not.toContain('xoxb-dev');
        expect(app.output()).not.toMatch(/unhandled|\n\s+at /i);
      } finally {
        app.child.kill('SIGKILL');
        await slack?.close();
      }
    });

    it('logs a promise rejection nothing handled, without the token, and keeps serving', async () => {
      const slack = await startFakeSlack();
      const app = runApp(
        {
          SLACK_BOT_TOKEN: 'xoxb-process-test',
          SLACK_SIGNING_SECRET: 'process-secret',
          SLACK_API_URL: slack.apiUrl,
          PORT: '0',
          DATABASE_URL: db.url,
        },
        [join(root, 'test/support/reject-once.cjs')],
      );
      try {
        const [, port] = await waitForLog(app.output, /"port":(\d+)/);
        await waitForLog(app.output, /unhandled promise rejection: logged, still serving/);
        expect(app.output()).toContain('simulated_bug');
        expect(app.output()).not.toContain('xoxb-process-test');
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
        app.child.kill('SIGTERM');
        expect(await app.exited).toBe(0);
      } finally {
        app.child.kill('SIGKILL');
        await slack.close();
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
        const [, port] = await waitForLog(app.output, /"port":(\d+)[^\n]*listening \(Socket Mode: GET \/healthz/);
        await waitForLog(app.output, /Socket Mode connected/);
        const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Record<string, any>;
        expect(health).toMatchObject({ ok: true, slack: { mode: 'socket', connection: 'connected' } });

        // The first publish is rate limited for a second: the work is still running when SIGTERM comes.
        slack.rateLimit('views.publish', 1, 1);
        const driver = new SocketDriver(socket, slack);
        expect((await driver.openHome('U0ADMIN01')).status).toBe(200);
        await slack.waitForCalls('views.publish', 1);
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

    it('with Slack unreachable: says where /healthz listens, takes its backup while the socket is down, and exits 0 on SIGTERM', async () => {
      const slackPort = await freePort();
      const app = runApp({ ...env(socket.appToken), SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/` });
      try {
        const [line, port] = await waitForLog(app.output, /^.*"port":(\d+).*$/m);
        expect(JSON.parse(line!).msg).toBe('listening (Socket Mode: GET /healthz on this port; connecting to Slack)');
        const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Record<string, any>;
        expect(health).toMatchObject({ ok: true, slack: { mode: 'socket' } });
        expect(['connecting', 'reconnecting']).toContain(health.slack.connection);

        // The schedules run without the socket: the backup job (every minute) takes the first backup.
        await waitForLog(app.output, /backup taken and verified/, 90_000);
        const after = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Record<string, any>;
        expect(after.backup.lastGoodAt).toEqual(expect.any(String));
        expect(after.slack.connection).not.toBe('connected');

        app.child.kill('SIGTERM');
        expect(await app.exited).toBe(0);
        expect(app.output()).toMatch(/"signal":"SIGTERM"[^\n]*shutting down/);
        expect(app.output()).toContain('"msg":"stopped"');
        expect(app.output()).not.toContain(socket.appToken);
      } finally {
        app.child.kill('SIGKILL');
      }
    });

    it('stops with status 0 on SIGINT sent while it is still starting, before the socket connects', async () => {
      const slackPort = await freePort();
      const fresh = tempSqliteUrl();
      const app = runApp({
        ...env(socket.appToken),
        SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
        DATABASE_URL: fresh.url,
      });
      try {
        // The first line a fresh database gets, before the app listens.
        await waitForLog(app.output, /database migrated/);
        app.child.kill('SIGINT');
        expect(await app.exited).toBe(0);
        expect(app.output()).toMatch(/"signal":"SIGINT"[^\n]*shutting down/);
        expect(app.output()).not.toMatch(/Socket Mode connected|\n\s+at /);
      } finally {
        app.child.kill('SIGKILL');
        await fresh.cleanup();
      }
    });

    it('stops with one clear message when Slack refuses the app-level token', async () => {
      const app = runApp(env('xapp-1-A0FAKE-1-revoked'));
      try {
        expect(await app.exited).toBe(1);
        expect(app.output()).toContain(
          'Failed to start: Slack refused to open a Socket Mode connection (invalid_auth): check SLACK_APP_TOKEN',
        );
        expect(app.output()).not.toContain('xapp-1-A0FAKE-1-revoked');
      } finally {
        app.child.kill('SIGKILL');
      }
    });
  });
});
