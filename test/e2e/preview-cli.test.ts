import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Runs `npm run preview -- <args>` as a user would (minus npm): a real process, no Slack, no Metabase. */
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

const SURFACES = 25;

type Run = Awaited<ReturnType<typeof runPreview>>;

describe('npm run preview as a process', () => {
  let out: string;
  let run: Run;
  let help: Run;
  let bad: Run;
  let unknown: Run;
  // The four runs at once: each process spends seconds loading before it does anything.
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'crm-preview-test-'));
    [run, help, bad, unknown] = await Promise.all([
      runPreview(['--out', out]),
      runPreview(['--out', join(out, 'not-written'), '--help']),
      runPreview(['--out']),
      runPreview(['--outt', out]),
    ]);
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes every surface as JSON and as a PNG, the digest picture and an index, and exits 0', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const files = readdirSync(out).sort();
    const json = files.filter((f) => f.endsWith('.json'));
    expect(json).toHaveLength(SURFACES);
    expect(files).toEqual(
      expect.arrayContaining([
        'home-account-manager.json',
        'home-account-manager.png',
        'home-no-access.png',
        'lead-card.png',
        'order-history.json',
        'modal-admin_currency_rates.png',
        'modal-log-to-crm.json',
        'message-follow-up-dm.png',
        'message-digest.png',
        'digest-chart.png',
        'index.html',
      ]),
    );
    for (const f of json) {
      const payload = JSON.parse(readFileSync(join(out, f), 'utf8'));
      if (f.startsWith('home-')) expect(payload.type).toBe('home');
      else if (f.startsWith('modal-')) expect(payload.type).toBe('modal');
      else expect(Object.keys(payload)).toEqual(['blocks']);
      const png = readFileSync(join(out, f.replace(/\.json$/, '.png')));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
  });

  it('prints a short summary naming the folder and the index, with no Block Kit Builder links', () => {
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(4);
    expect(run.stdout).toContain(`${SURFACES} surfaces`);
    expect(run.stdout).toContain(join(out, 'index.html').replace(`${root}/`, ''));
    expect(run.stdout).not.toContain('block-kit-builder');
  });

  it("index.html shows every surface's picture with links to its JSON and to Block Kit Builder", () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    for (const f of readdirSync(out).filter((x) => x.endsWith('.json'))) {
      const name = f.replace(/\.json$/, '');
      expect(html).toContain(`<img src="${name}.png"`);
      expect(html).toContain(`href="${name}.json"`);
    }
    const builder = [...html.matchAll(/href="https:\/\/app\.slack\.com\/block-kit-builder\/#([^"]+)"/g)];
    expect(builder).toHaveLength(SURFACES);
    const home = JSON.parse(readFileSync(join(out, 'home-account-manager.json'), 'utf8'));
    const decode = (s: string) => JSON.parse(decodeURIComponent(s.replace(/&quot;/g, '"').replace(/&amp;/g, '&')));
    expect(builder.map((m) => decode(m[1]!))).toContainEqual(home);
    expect(html).toContain('<img src="digest-chart.png"');
  });

  it('the pictures and JSON committed under docs/ are byte for byte what the command writes today', () => {
    const pictures = readdirSync(join(root, 'docs', 'images')).filter((f) => f !== 'digest-chart.png');
    expect(pictures).toContain('home-account-manager.png');
    for (const f of pictures) {
      expect({ f, same: readFileSync(join(root, 'docs', 'images', f)).equals(readFileSync(join(out, f))) }).toEqual({
        f,
        same: true,
      });
    }
    for (const f of readdirSync(join(root, 'docs', 'preview'))) {
      expect(existsSync(join(out, f))).toBe(true);
      expect(readFileSync(join(root, 'docs', 'preview', f), 'utf8')).toBe(readFileSync(join(out, f), 'utf8'));
    }
  });

  it('--help prints the usage and writes nothing', () => {
    expect(help.code).toBe(0);
    expect(existsSync(join(out, 'not-written'))).toBe(false);
    expect(help.stdout).toContain('Usage: npm run preview');
    expect(help.stdout).toContain('--out <folder>');
    expect(help.stdout).toContain('--update-docs');
  });

  it('refuses --out without a folder, or an unknown option, saying how to use it', () => {
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--out needs a folder');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown option --outt');
    expect(unknown.stderr).toContain('Usage: npm run preview');
  });
});
