import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack';
import { SlackDriver } from '../support/slack-driver';
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

        const driver = new SlackDriver(`http://127.0.0.1:${port}`, 'process-secret', slack);
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
});
