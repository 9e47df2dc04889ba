/**
 * `npm start` as a user runs it: `node [flags] scripts/run-compiled.mjs dist/index.js` (the
 * script package.json names), which brings the clone up to date only where something changed, then
 * runs the compiled app. Each run has a working folder of its own (where `.env` and the default
 * ./data/crm.db live).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareCompiledApp, repoRoot, runNode, startScript, waitForOutput } from '../support/app-process';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { SlackDriver } from '../support/slack-driver';

/** `node [flags] scripts/run-compiled.mjs dist/index.js`, as package.json's start script runs it. */
const { nodeFlags, runner, entry } = startScript();
const START = [...nodeFlags, join(repoRoot, runner), entry];

// Real processes loading the whole app: slow on a busy machine. Waits end when the event comes.
jest.setTimeout(150_000);

describe('npm start', () => {
  let cwd: string;
  beforeAll(async () => {
    // Makes dist/ and the type check of src/ current, so the runs below find nothing to redo.
    await prepareCompiledApp({ check: true });
  }, 600_000);
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'crm-start-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('is the compiled app behind the up-to-date check', () => {
    // A young generation of 1 MB semi-spaces, an old generation of at most 160 MB and one
    // malloc arena keep the process small (docs/benchmarks.md).
    expect(startScript().line).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's default-value expansion, as package.json has it
      'MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-1} exec node --max-semi-space-size=1 --max-old-space-size=160 scripts/run-compiled.mjs dist/index.js',
    );
    expect(startScript().env).toEqual({ MALLOC_ARENA_MAX: '1' });
  });

  it('with no token: one configuration message, exit 1, no install or build redone, and no database created', async () => {
    const app = runNode(START, { cwd, env: {} });
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain('Configuration error');
    expect(app.output()).toContain('SLACK_BOT_TOKEN is required');
    expect(app.output()).not.toMatch(/changed since the last|changed: |\n\s+at /);
    // Checked before anything touches the database: the default ./data/crm.db was not created.
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });

  describe('with a .env file', () => {
    let slack: FakeSlack;
    beforeAll(async () => {
      slack = await startFakeSlack();
    });
    afterAll(async () => slack.close());

    it('uses the values of .env, and a variable set in the environment wins over the file', async () => {
      writeFileSync(
        join(cwd, '.env'),
        [
          '# settings for this test',
          'SLACK_BOT_TOKEN=xoxb-from-dotenv',
          'SLACK_SIGNING_SECRET=secret-from-dotenv',
          `SLACK_API_URL=${slack.apiUrl}`,
          'DATABASE_URL=file:./from-dotenv.db',
          'CRM_ADMINS=U0DOTENV1',
          'PORT=1',
          '',
        ].join('\n'),
      );
      const app = runNode(START, {
        cwd,
        env: { SLACK_SIGNING_SECRET: 'secret-from-environment', PORT: '0' },
      });
      try {
        const [, port] = await waitForOutput(app, /"port":(\d+)/);
        expect(Number(port)).not.toBe(1);
        // The token and the database come from the file.
        await slack.waitForCalls('auth.test', 1);
        expect(slack.callsTo('auth.test')[0]!.authorization).toBe('Bearer xoxb-from-dotenv');
        expect(existsSync(join(cwd, 'from-dotenv.db'))).toBe(true);

        // The signing secret comes from the environment: the file's is refused.
        const base = `http://127.0.0.1:${port}`;
        const withFileSecret = new SlackDriver(base, 'secret-from-dotenv', slack);
        expect((await withFileSecret.openHome('U0DOTENV1')).status).toBe(401);
        const withEnvironmentSecret = new SlackDriver(base, 'secret-from-environment', slack);
        expect((await withEnvironmentSecret.openHome('U0DOTENV1')).status).toBe(200);
        // CRM_ADMINS from the file seeded the roster: the admin gets the dashboard.
        const [publish] = await slack.waitForCalls('views.publish', 1);
        expect(publish!.args.user_id).toBe('U0DOTENV1');

        app.child.kill('SIGTERM');
        expect(await app.exited).toBe(0);
        expect(app.output()).not.toContain('xoxb-from-dotenv');
        expect(app.output()).not.toContain('secret-from-');
      } finally {
        app.child.kill('SIGKILL');
      }
    });
  });
});
