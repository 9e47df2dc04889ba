/**
 * `npm run doctor` as a real process (the compiled dist/doctor/doctor-cli.js that
 * `npm run doctor` runs once the clone is up to date), against the fake Slack, the fake
 * Metabase and a real SQLite file: its output and its exit status.
 */
import { execFile } from 'node:child_process';
import { prepareCompiledApp, repoRoot } from '../support/app-process';
import { type DoctorWorld, healthyWorld, SECRETS } from '../support/doctor-setup';

let world: DoctorWorld;

beforeAll(async () => {
  await prepareCompiledApp();
}, 600_000);

beforeEach(async () => {
  world = await healthyWorld();
});

afterEach(async () => {
  await world.close();
});

/** Runs the doctor with only the given environment (and PATH), as an admin would from a shell. */
function runDoctorCli(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['dist/doctor/doctor-cli.js'],
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

function expectNoSecrets(output: string): void {
  for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
}

describe('npm run doctor', () => {
  it('prints every check passed and exits 0 on a healthy set-up', async () => {
    const { code, stdout, stderr } = await runDoctorCli(world.env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CRM doctor, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(
      lines
        .filter((l) => /^[✓✗!–] /.test(l))
        .map((l) => l.slice(0, 1))
        .join(''),
    ).toBe('✓'.repeat(10));
    expect(stdout).toContain('✓ Slack bot token  works: bot @crm (UBOT0001) in workspace Fake (T0FAKE)');
    expect(lines[lines.length - 1]).toBe('Everything checked is in order.');
    expectNoSecrets(stdout);
  });

  it('names the problems with their fixes and exits 1 when the bot lacks a scope and Metabase is down', async () => {
    world.slack.grantedScopes = world.slack.grantedScopes!.filter((s) => s !== 'users:read');
    await world.mb.close();
    const { code, stdout, stderr } = await runDoctorCli(world.env);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toContain('✗ Slack scopes     missing users:read\n');
    expect(stdout).toContain('fix: Add users:read under OAuth & Permissions → Scopes → Bot Token Scopes');
    expect(stdout).toMatch(/✗ Metabase {9}could not reach 127\.0\.0\.1:\d+ \(connection refused\)\n/);
    expect(stdout).toContain('– Customers card   not checked: Metabase did not answer');
    expect(stdout.trimEnd().split('\n').pop()).toBe('2 problems to fix.');
    expectNoSecrets(stdout);
  });

  it('exits 1 on a bad configuration, naming the variable without its value', async () => {
    const { code, stdout } = await runDoctorCli({ ...world.env, SLACK_BOT_TOKEN: 'xoxp-not-a-bot-token-secret' });
    expect(code).toBe(1);
    expect(stdout).toContain('✗ Configuration    1 variable needs attention');
    expect(stdout).toContain('- SLACK_BOT_TOKEN must be a bot token starting with xoxb- (got "[redacted]")');
    expect(stdout).not.toContain('xoxp-not-a-bot-token-secret');
    expect(world.slack.calls).toEqual([]);
  });
});
