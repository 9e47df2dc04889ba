/**
 * The Docker image's runtime stage without Docker: the same files (compiled code, production
 * dependencies only, generated clients, migrations), started the way the image starts them,
 * `node dist/index.js`, against the test Slack.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareCompiledApp, repoRoot, runNode, waitForOutput } from '../support/app-process';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { assembleRuntimeImage, packagesRequiredBy, type RuntimeImage } from '../support/runtime-image';
import { SlackDriver } from '../support/slack-driver';

// Copying the file set and loading the whole app in a new process: slow on a busy machine.
jest.setTimeout(150_000);

describe('the runtime image file set', () => {
  let image: RuntimeImage;
  let slack: FakeSlack;
  beforeAll(async () => {
    await prepareCompiledApp();
    image = assembleRuntimeImage();
    slack = await startFakeSlack();
  }, 600_000);
  afterAll(async () => {
    image?.remove();
    await slack?.close();
  });

  it('holds none of the build tools: no TypeScript, tsx, Prisma CLI or @prisma/client', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    for (const tool of ['typescript', 'tsx', 'esbuild', 'prisma', '@prisma/client', 'effect', 'jest']) {
      expect({ tool, inImage: image.packages.includes(`node_modules/${tool}`) }).toEqual({ tool, inImage: false });
      expect({ tool, runtimeDependency: tool in pkg.dependencies }).toEqual({ tool, runtimeDependency: false });
    }
  });

  it('resolves every package the compiled code requires from the production dependencies alone', () => {
    const required = packagesRequiredBy(join(image.dir, 'dist'));
    expect(required.size).toBeGreaterThan(10);
    // Named in the source the worker threads are given when the app runs from TypeScript (tsx;
    // src/worker-source.ts); compiled, they load sync-worker.js and sqlite-read-worker.js directly.
    expect(required.get('tsx/cjs/api')).toEqual(['worker-source.js']);
    required.delete('tsx/cjs/api');
    // Resolved by a Node process in the image's folder, as the app would at run time.
    const script = `
      const missing = [];
      for (const specifier of JSON.parse(process.argv[1])) {
        try { require.resolve(specifier, { paths: [${JSON.stringify(join(image.dir, 'dist'))}] }); }
        catch { missing.push(specifier); }
      }
      process.stdout.write(JSON.stringify(missing));`;
    const out = execFileSync(process.execPath, ['-e', script, JSON.stringify([...required.keys()])], {
      cwd: image.dir,
      env: { PATH: process.env.PATH ?? '' },
    });
    const missing = JSON.parse(String(out)) as string[];
    expect(Object.fromEntries(missing.map((m) => [m, required.get(m)]))).toEqual({});
  });

  it('starts with `node dist/index.js`: migrates, answers /healthz 200 and a signed request, and exits 0 on SIGTERM', async () => {
    const app = runNode(['dist/index.js'], {
      cwd: image.dir,
      env: {
        NODE_ENV: 'production',
        SLACK_BOT_TOKEN: 'xoxb-runtime-image',
        SLACK_SIGNING_SECRET: 'runtime-image-secret',
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        DATABASE_URL: `file:${join(image.dir, 'data', 'crm.db')}`,
        CRM_ADMINS: 'U0IMAGE01',
      },
    });
    try {
      const [, port] = await waitForOutput(app, /"port":(\d+)/);
      expect(app.output()).toContain('database migrated');
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, database: { ok: true, provider: 'sqlite' } });

      const driver = new SlackDriver(`http://127.0.0.1:${port}`, 'runtime-image-secret', slack);
      expect((await driver.openHome('U0IMAGE01')).status).toBe(200);
      const [publish] = await slack.waitForCalls('views.publish', 1);
      expect(publish!.args.user_id).toBe('U0IMAGE01');

      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      expect(app.output()).toContain('"msg":"stopped"');
      expect(app.output()).not.toMatch(/Cannot find module|\n\s+at /);
    } finally {
      app.child.kill('SIGKILL');
    }
  });
});
