import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Runs `npm run preview -- --out <dir>` as a user would (minus npm): a real process, no Slack, no Metabase. */
function runPreview(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'src/preview/cli.ts', ...args], {
      cwd: root,
      // No Slack or Metabase settings at all: the preview must not need them.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run preview as a process', () => {
  let out: string;
  let run: Awaited<ReturnType<typeof runPreview>>;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'crm-preview-test-'));
    run = await runPreview(['--out', out]);
  }, 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes every surface as JSON, the digest picture and an index, and exits 0', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = readdirSync(out).sort();
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(21);
    expect(files).toEqual(
      expect.arrayContaining([
        'home-account-manager.json',
        'home-manager.json',
        'home-admin.json',
        'home-no-access.json',
        'lead-card.json',
        'order-history.json',
        'modal-admin_currency_rates.json',
        'modal-log-to-crm.json',
        'message-follow-up-dm.json',
        'message-digest.json',
        'digest-chart.png',
        'index.html',
      ]),
    );
    for (const f of files.filter((x) => x.endsWith('.json'))) {
      const payload = JSON.parse(readFileSync(join(out, f), 'utf8'));
      if (f.startsWith('home-')) expect(payload.type).toBe('home');
      else if (f.startsWith('modal-')) expect(payload.type).toBe('modal');
      else expect(Object.keys(payload)).toEqual(['blocks']);
    }
    expect(readFileSync(join(out, 'digest-chart.png')).subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it("prints a Block Kit Builder link per file whose fragment is that file's JSON, and says the file is the fallback", () => {
    const links = run.stdout
      .split('\n')
      .filter((l) => l.trim().startsWith('https://app.slack.com/block-kit-builder/#'));
    expect(links).toHaveLength(21);
    const home = JSON.parse(readFileSync(join(out, 'home-account-manager.json'), 'utf8'));
    const decoded = links.map((l) => JSON.parse(decodeURIComponent(l.trim().split('#')[1]!)));
    expect(decoded).toContainEqual(home);
    expect(run.stdout).toContain('paste the JSON file into the Builder instead');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('href="https://app.slack.com/block-kit-builder/#');
  });

  it('the previews committed under docs/preview are what the command writes today', () => {
    for (const f of readdirSync(join(root, 'docs', 'preview'))) {
      expect(existsSync(join(out, f))).toBe(true);
      expect(readFileSync(join(root, 'docs', 'preview', f), 'utf8')).toBe(readFileSync(join(out, f), 'utf8'));
    }
  });

  it('refuses --out without a folder, saying how to use it', async () => {
    const bad = await runPreview(['--out']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--out needs a folder');
  }, 30_000);
});
