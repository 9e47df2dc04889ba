import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');

export interface AppProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `node <args>` in `cwd` with only the given environment (plus PATH and HOME). */
export function runNode(args: string[], options: { cwd: string; env: Record<string, string> }): AppProcess {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Waits until the output matches, or the process ends without it. */
export async function waitForOutput(app: AppProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = app.output().match(pattern);
    if (m) return m;
    if (app.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`no output matching ${pattern} (exit ${app.child.exitCode}); output:\n${app.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Brings the clone's install, Prisma clients and dist/ up to date, as `npm start` does first. */
export async function prepareCompiledApp(): Promise<string> {
  const app = runNode([join(repoRoot, 'scripts', 'prepare.mjs'), '--build'], {
    cwd: repoRoot,
    env: { ...process.env } as Record<string, string>,
  });
  const code = await app.exited;
  if (code !== 0) throw new Error(`scripts/prepare.mjs --build failed:\n${app.output()}`);
  return app.output();
}

/** A loopback port nothing listens on (yet). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
