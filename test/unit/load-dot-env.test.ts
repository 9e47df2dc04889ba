import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const source = join(__dirname, '..', '..', 'src', 'load-dot-env.ts');

/**
 * Runs loadDotEnv in a Node process of its own: Node's loader writes the real environment,
 * which jest's sandbox only copies. Prints what it returned (or threw) and the environment.
 */
function loadIn(file: string, env: Record<string, string>): { outcome: string; env: Record<string, string> } {
  const script = `
    const { loadDotEnv } = require(${JSON.stringify(source)});
    let outcome;
    try { outcome = loadDotEnv(${JSON.stringify(file)}); } catch (err) { outcome = err.name + ': ' + err.message; }
    process.stdout.write(JSON.stringify({ outcome, env: process.env }));`;
  const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return JSON.parse(String(out));
}

describe('loadDotEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-dotenv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds the variables of the file; one already in the environment keeps its value, even empty', () => {
    const file = join(dir, '.env');
    writeFileSync(
      file,
      ['# a comment', 'FROM_FILE=file', 'IN_BOTH=file', 'EMPTY_IN_ENV=file', 'QUOTED="two words"'].join('\n'),
    );
    const { outcome, env } = loadIn(file, { IN_BOTH: 'environment', EMPTY_IN_ENV: '' });
    expect(outcome).toBe('loaded');
    expect(env).toMatchObject({ FROM_FILE: 'file', QUOTED: 'two words', IN_BOTH: 'environment', EMPTY_IN_ENV: '' });
  });

  it('is quiet when there is no file', () => {
    expect(loadIn(join(dir, 'none.env'), {}).outcome).toBe('absent');
  });

  it('names the file it cannot read, without its contents', () => {
    const folder = join(dir, 'a-folder.env');
    mkdirSync(folder);
    expect(loadIn(folder, {}).outcome).toBe(`DotEnvError: Could not read ${folder}: not a file`);
  });
});
