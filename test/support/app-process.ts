import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackWait } from './pending-waits';

export const repoRoot = join(__dirname, '..', '..');

export interface AppProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output: () => string;
  /** Resolves with the exit status once the process has ended and its output is all read. */
  exited: Promise<number | null>;
  /**
   * Resolves when the output matches, rejects when the process ends without it. No deadline of
   * its own: jest's test timeout bounds it (a test that ends first says what it waited for).
   */
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
}

/** Starts `node <args>` in `cwd` with only the given environment (plus PATH and HOME). */
export function runNode(args: string[], options: { cwd: string; env: Record<string, string> }): AppProcess {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let ended = false;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  const read = (d: Buffer) => {
    out += d;
    notify();
  };
  child.stdout!.on('data', read);
  child.stderr!.on('data', read);
  // 'close' comes after 'exit', once stdout and stderr are read to their end.
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      ended = true;
      notify();
      resolve(code);
    }),
  );
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const stop = () => {
        waiters.delete(check);
        untrack();
      };
      const check = () => {
        const m = out.match(pattern);
        if (m) {
          stop();
          resolve(m);
        } else if (ended) {
          stop();
          reject(new Error(`the process ended (exit ${child.exitCode}) with no output matching ${pattern}:\n${out}`));
        }
      };
      const untrack = trackWait({
        describe: () => `output matching ${pattern}; output so far:\n${out}`,
        abandon: () => {
          stop();
          reject(new Error(`the test ended while waiting for output matching ${pattern}`));
        },
      });
      waiters.add(check);
      check();
    });
  return { child, output: () => out, exited, waitFor };
}

/** Waits until the output matches; rejects if the process ends without it. See AppProcess.waitFor. */
export function waitForOutput(app: AppProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return app.waitFor(pattern);
}

/** package.json's `start`: `exec node [flags] scripts/run-compiled.mjs dist/index.js`, in parts. */
export function startScript(): {
  line: string;
  env: Record<string, string>;
  nodeFlags: string[];
  runner: string;
  entry: string;
} {
  const line = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts.start as string;
  const m = /^((?:[A-Z_]+=\S+ )*)exec node((?: --\S+)*) (scripts\/run-compiled\.mjs) (dist\/index\.js)$/.exec(line);
  if (!m)
    throw new Error(
      `package.json's start script is not "[NAME=value …] exec node [flags] scripts/run-compiled.mjs dist/index.js": ${line}`,
    );
  return {
    line,
    env: startScriptEnv(m[1]!),
    nodeFlags: m[2]!.trim().split(' ').filter(Boolean),
    runner: m[3]!,
    entry: m[4]!,
  };
}

/** The start script's variable assignments; `NAME=${NAME:-default}` gives its default. */
export function startScriptEnv(assignments: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const a of assignments.trim().split(' ').filter(Boolean)) {
    const [, name, value] = /^([A-Z_]+)=(.*)$/.exec(a)!;
    env[name!] = /^\$\{[A-Z_]+:-(.*)\}$/.exec(value!)?.[1] ?? value!;
  }
  return env;
}

/**
 * Runs the compiled app as `npm start` runs it once the clone is up to date (`node [its flags]
 * dist/index.js`) with only the given environment, in a working folder of its own (so a `.env`
 * in the clone is not read), removed when the process ends. `preload` modules are loaded first
 * (`node --require`). Call `prepareCompiledApp` once before (in a beforeAll).
 */
export function runCompiledApp(env: Record<string, string>, options: { preload?: string[] } = {}): AppProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'crm-process-'));
  const start = startScript();
  const preload = (options.preload ?? []).flatMap((p) => ['--require', p]);
  const app = runNode([...start.nodeFlags, ...preload, join(repoRoot, start.entry)], {
    cwd,
    env: { ...start.env, ...env },
  });
  app.exited.then(() => rmSync(cwd, { recursive: true, force: true }));
  return app;
}

/**
 * Brings the clone's install, Prisma clients and dist/ up to date (nothing to do after `npm run
 * setup`); with `check`, also the type check of src/ that `npm start` runs first (its own step:
 * `npm test` type-checks the whole tree with `npm run typecheck` instead).
 */
export async function prepareCompiledApp(options: { check?: boolean } = {}): Promise<string> {
  if (options.check) await typeCheckBesideJest();
  const app = runNode([join(repoRoot, 'scripts', 'prepare.mjs'), '--build', ...(options.check ? ['--check'] : [])], {
    cwd: repoRoot,
    env: { ...process.env } as Record<string, string>,
  });
  const code = await app.exited;
  if (code !== 0) throw new Error(`scripts/prepare.mjs --build failed:\n${app.output()}`);
  return app.output();
}

/**
 * `npm test` type-checks the whole tree beside jest (scripts/test-checks.mjs) and records that
 * src/ passed, which is what `--check` looks for: waits until that check has ended (its result
 * file, named in CRM_TYPECHECK_RESULT, exists), so src/ is not type-checked a second time. No
 * deadline of its own: the hook's timeout bounds it. Outside `npm test`, returns at once.
 */
async function typeCheckBesideJest(): Promise<void> {
  const result = process.env.CRM_TYPECHECK_RESULT;
  if (!result || existsSync(result)) return;
  let abandoned = false;
  const untrack = trackWait({
    describe: () => `npm test's type check to end (${result})`,
    abandon: () => {
      abandoned = true;
    },
  });
  try {
    while (!abandoned && !existsSync(result)) await new Promise((r) => setTimeout(r, 200));
  } finally {
    untrack();
  }
}

/** A loopback port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
