import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, prepareCompiledApp, repoRoot, runCompiledApp, startScript } from '../support/app-process';
import { tempSqliteUrl } from '../support/databases';
import { FakeSlack, startFakeSlack } from '../support/fake-slack';
import { startFakeSocketMode } from '../support/fake-socket-mode';
import { SlackDriver, SocketDriver } from '../support/slack-driver';

/**
 * The app as a real process: the compiled code `npm start` runs (`node [its flags] dist/index.js`,
 * brought up to date first as `npm start` does), each run in a working folder of its own with only the
 * environment given, on a SQLite file of its own. The tests run side by side: each has its own
 * fake Slack, so the processes' waits overlap.
 */

// Real processes loading the whole app, several at once: slow on a busy machine. Every wait
// ends when its log line or event comes; this bound only limits a failure.
jest.setTimeout(150_000);

beforeAll(async () => {
  await prepareCompiledApp();
}, 600_000);

const ADMIN = 'U0ADMIN01';

describe('the app as a process', () => {
  it.concurrent('keeps running with the README’s "try it locally" command, says so on /healthz, and recovers when Slack answers', async () => {
    // The command line as the README writes it: its variables, then `npm start`, which brings
    // the clone up to date and runs the compiled src/index.ts.
    const line = /^(SLACK_BOT_TOKEN=\S+(?: [A-Z_]+=\S+)*) npm start$/m.exec(
      readFileSync(join(repoRoot, 'README.md'), 'utf8'),
    );
    expect(line).not.toBeNull();
    const readmeEnv = Object.fromEntries(line![1]!.split(' ').map((a) => a.split('=', 2) as [string, string]));
    expect(readmeEnv).toEqual({
      SLACK_BOT_TOKEN: 'xoxb-dev',
      SLACK_SIGNING_SECRET: 'dev',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
    });
    // `npm start` runs the compiled app (its Node flags are used below too).
    expect(startScript()).toMatchObject({ runner: 'scripts/run-compiled.mjs', entry: 'dist/index.js' });
    // Port 9999 may be taken on this machine: another port where nothing listens, same shape.
    const slackPort = await freePort();
    const db = tempSqliteUrl();
    const app = runCompiledApp({
      ...readmeEnv,
      SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
      PORT: '0',
      DATABASE_URL: db.url,
      CRM_ADMINS: ADMIN,
    });
    let slack: FakeSlack | null = null;
    try {
      const [, port] = await app.waitFor(/"port":(\d+)/);
      // Slack is down: a signed request is still acknowledged (the Home publish fails later, logged).
      const driver = new SlackDriver(`http://127.0.0.1:${port}`, 'dev', new FakeSlack());
      expect((await driver.openHome(ADMIN)).status).toBe(200);
      // Token checks 1 s, 2 s and 4 s apart: three have failed.
      await app.waitFor(/"attempt":3/);
      expect(app.child.exitCode).toBeNull();
      const down = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
      expect(down).toMatchObject({
        ok: true,
        database: { ok: true },
        slack: { mode: 'http', token: { ok: false, error: 'ECONNREFUSED' } },
      });

      // Slack comes up where the app expects it: the next check, the fourth, 7 s after the
      // first (past the 6 s the process used to die at), succeeds.
      slack = await new FakeSlack().start(slackPort);
      await app.waitFor(/Slack accepted the bot token/);
      const up = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { slack: unknown };
      expect(up.slack).toMatchObject({ token: { ok: true, attempts: 4 } });

      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      expect(app.output()).not.toContain('xoxb-dev');
      expect(app.output()).not.toMatch(/unhandled|\n\s+at /i);
    } finally {
      app.child.kill('SIGKILL');
      await slack?.close();
      await db.cleanup();
    }
  });

  it.concurrent('Socket Mode with Slack unreachable: says where /healthz listens, takes its backup while the socket is down, and exits 0 on SIGTERM', async () => {
    const slackPort = await freePort();
    const db = tempSqliteUrl();
    const app = runCompiledApp(
      {
        SLACK_BOT_TOKEN: 'xoxb-process-test',
        SLACK_APP_TOKEN: 'xapp-1-A0FAKE-1-processtest',
        SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
        PORT: '0',
        DATABASE_URL: db.url,
        CRM_ADMINS: ADMIN,
        // The backup job (every minute) also runs as soon as the scheduler starts it.
        RUN_AT_ONCE: 'backup',
      },
      { preload: [join(repoRoot, 'test/support/run-jobs-at-once.cjs')] },
    );
    try {
      const [line, port] = await app.waitFor(/^.*"port":(\d+).*$/m);
      expect(JSON.parse(line!).msg).toBe('listening (Socket Mode: GET /healthz on this port; connecting to Slack)');
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Record<string, any>;
      expect(health).toMatchObject({ ok: true, slack: { mode: 'socket' } });
      expect(['connecting', 'reconnecting']).toContain(health.slack.connection);

      // The schedules run without the socket: the backup job takes the first backup.
      await app.waitFor(/backup taken and verified/);
      const after = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Record<string, any>;
      expect(after.backup.lastGoodAt).toEqual(expect.any(String));
      expect(after.slack.connection).not.toBe('connected');

      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      expect(app.output()).toMatch(/"signal":"SIGTERM"[^\n]*shutting down/);
      expect(app.output()).toContain('"msg":"stopped"');
      expect(app.output()).not.toContain('xapp-1-A0FAKE-1-processtest');
    } finally {
      app.child.kill('SIGKILL');
      await db.cleanup();
    }
  });

  it.concurrent('Socket Mode: connects, answers /healthz with the socket state, serves an event, and on SIGTERM finishes the work in flight, closes the socket and exits 0', async () => {
    const slack = await startFakeSlack();
    const socket = await startFakeSocketMode(slack);
    const db = tempSqliteUrl();
    const app = runCompiledApp({
      SLACK_BOT_TOKEN: 'xoxb-process-test',
      SLACK_APP_TOKEN: socket.appToken,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      DATABASE_URL: db.url,
      CRM_ADMINS: ADMIN,
    });
    try {
      const [, port] = await app.waitFor(/"port":(\d+)[^\n]*listening \(Socket Mode: GET \/healthz/);
      await app.waitFor(/Socket Mode connected/);
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Record<string, any>;
      expect(health).toMatchObject({ ok: true, slack: { mode: 'socket', connection: 'connected' } });

      // The first publish is rate limited for a second: the work is still running when SIGTERM comes.
      slack.rateLimit('views.publish', 1, 1);
      const driver = new SocketDriver(socket, slack);
      expect((await driver.openHome(ADMIN)).status).toBe(200);
      await slack.waitForCalls('views.publish', 1);
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);

      const publishes = slack.callsTo('views.publish');
      expect(publishes).toHaveLength(2);
      expect(publishes[1]!.args.user_id).toBe(ADMIN);
      // The fake records a close when its side of the socket ends, which can come after the
      // process has exited: wait for it. Each connection, the last one included, ended with the
      // app's close frame (1000), none by a drop. There may be more than one: the socket client
      // replaces a connection whose pong is 5 s late, which happens when this busy test process
      // answers late (it closes the old one the same way).
      await socket.waitForNoConnection();
      expect(socket.connections.length).toBeGreaterThan(0);
      expect(socket.connections).toEqual(
        socket.connections.map(() => expect.objectContaining({ closedBy: 'app', closeCode: 1000 })),
      );
      expect(socket.protocolErrors).toEqual([]);
      expect(app.output()).toContain('"msg":"stopped"');
      expect(app.output()).not.toContain(socket.appToken);
    } finally {
      app.child.kill('SIGKILL');
      await socket.close();
      await slack.close();
      await db.cleanup();
    }
  });

  it.concurrent('HTTP mode: migrates, answers /healthz, publishes Home for a signed app_home_opened, and exits 0 on SIGTERM', async () => {
    const slack = await startFakeSlack();
    const db = tempSqliteUrl();
    const app = runCompiledApp({
      SLACK_BOT_TOKEN: 'xoxb-process-test',
      SLACK_SIGNING_SECRET: 'process-secret',
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      DATABASE_URL: db.url,
      CRM_ADMINS: ADMIN,
    });
    try {
      const [, port] = await app.waitFor(/"port":(\d+)/);
      expect(app.output()).toContain('database migrated');
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, database: { ok: true } });

      const driver = new SlackDriver(`http://127.0.0.1:${port}`, 'process-secret', slack);
      expect((await driver.openHome(ADMIN)).status).toBe(200);
      const [publish] = await slack.waitForCalls('views.publish', 1);
      expect(publish!.args.user_id).toBe(ADMIN);

      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      expect(app.output()).toContain('"msg":"stopped"');
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    } finally {
      app.child.kill('SIGKILL');
      await slack.close();
      await db.cleanup();
    }
  });

  it.concurrent('logs a promise rejection nothing handled, without the token, and keeps serving', async () => {
    const slack = await startFakeSlack();
    const db = tempSqliteUrl();
    const app = runCompiledApp(
      {
        SLACK_BOT_TOKEN: 'xoxb-process-test',
        SLACK_SIGNING_SECRET: 'process-secret',
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        DATABASE_URL: db.url,
      },
      { preload: [join(repoRoot, 'test/support/reject-once.cjs')] },
    );
    try {
      const [, port] = await app.waitFor(/"port":(\d+)/);
      await app.waitFor(/unhandled promise rejection: logged, still serving/);
      expect(app.output()).toContain('simulated_bug');
      expect(app.output()).not.toContain('xoxb-process-test');
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    } finally {
      app.child.kill('SIGKILL');
      await slack.close();
      await db.cleanup();
    }
  });

  it.concurrent('Socket Mode: stops with status 0 on SIGINT sent while it is still starting, before the socket connects', async () => {
    const slackPort = await freePort();
    const db = tempSqliteUrl();
    const app = runCompiledApp({
      SLACK_BOT_TOKEN: 'xoxb-process-test',
      SLACK_APP_TOKEN: 'xapp-1-A0FAKE-1-processtest',
      SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
      PORT: '0',
      DATABASE_URL: db.url,
    });
    try {
      // The first line a fresh database gets, before the app listens.
      await app.waitFor(/database migrated/);
      app.child.kill('SIGINT');
      expect(await app.exited).toBe(0);
      expect(app.output()).toMatch(/"signal":"SIGINT"[^\n]*shutting down/);
      expect(app.output()).not.toMatch(/Socket Mode connected|\n\s+at /);
    } finally {
      app.child.kill('SIGKILL');
      await db.cleanup();
    }
  });

  it.concurrent('Socket Mode: stops with one clear message when Slack refuses the app-level token', async () => {
    const slack = await startFakeSlack();
    const socket = await startFakeSocketMode(slack);
    const db = tempSqliteUrl();
    const app = runCompiledApp({
      SLACK_BOT_TOKEN: 'xoxb-process-test',
      SLACK_APP_TOKEN: 'xapp-1-A0FAKE-1-revoked',
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      DATABASE_URL: db.url,
    });
    try {
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain(
        'Failed to start: Slack refused to open a Socket Mode connection (invalid_auth): check SLACK_APP_TOKEN',
      );
      expect(app.output()).not.toContain('xapp-1-A0FAKE-1-revoked');
    } finally {
      app.child.kill('SIGKILL');
      await socket.close();
      await slack.close();
      await db.cleanup();
    }
  });

  it.concurrent('stops with one clear configuration message and no stack trace when nothing is configured', async () => {
    const app = runCompiledApp({});
    const code = await app.exited;
    expect(code).toBe(1);
    expect(app.output()).toContain('Configuration error');
    expect(app.output()).toContain('SLACK_BOT_TOKEN is required');
    expect(app.output()).not.toMatch(/\n\s+at /);
  });
});
