// `npm test`: the set-up, the static checks and jest, on both cores. The set-up (the install,
// the Prisma clients and the build into dist/, each only when out of date) comes first:
// everything needs it. Then jest starts, and beside it the type check (the longest check, one
// core) and the migration of ./data, lint, format and import checks (one after the other): the
// checks fill the time jest's workers spend waiting on processes, servers and timers, instead
// of jest waiting for them. Each check prints one line with its time, and its output when it
// fails; a failed check stops jest at once and fails the whole (exit status 1) with the failed
// checks named. Otherwise the exit status is jest's. Arguments are passed on to jest.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { prepareOrExit, recordTypeCheck, root, typeCheckInputs } from './prepare.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Where the type check's outcome is written when it ends (`passed` or `failed`), for the test
 * that runs `npm start` (test/support/app-process.ts): its `--check` waits for it rather than
 * type-checking src/ a second time beside this one.
 */
const TYPE_CHECK_RESULT = join(root, 'node_modules', '.cache', 'crm-typecheck-result');
const TYPE_CHECK_RESULT_ENV = 'CRM_TYPECHECK_RESULT';

/** Runs a step (an npm script's name) with its output kept; resolves to the output and whether it passed. */
function runStep(step) {
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', '--silent', step], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (d) => chunks.push(d));
    child.stderr.on('data', (d) => chunks.push(d));
    child.on('error', (err) => resolve({ ok: false, output: `${err.message}\n` }));
    child.on('close', (code) => resolve({ ok: code === 0, output: Buffer.concat(chunks).toString() }));
  });
}

/** Runs the steps of one lane in order, stopping at the first that fails. */
async function lane(steps) {
  for (const step of steps) {
    const name = `npm run ${step}`;
    const started = Date.now();
    const { ok, output } = await runStep(step);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(`${ok ? '✔' : '✘'} ${name} (${seconds} s)\n${ok ? '' : output}`);
    if (!ok) return [name];
  }
  return [];
}

/**
 * Jest, with the arguments `npm test` was given, in a process group of its own so that a failed
 * check can stop it with every process its tests started; Ctrl-C and the like are passed on.
 */
function startJest() {
  const child = spawn(
    process.execPath,
    [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
      detached: true,
      env: { ...process.env, [TYPE_CHECK_RESULT_ENV]: TYPE_CHECK_RESULT },
    },
  );
  const exited = new Promise((resolve) => {
    child.on('error', (err) => {
      process.stderr.write(`jest could not be started: ${err.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  let running = true;
  exited.then(() => {
    running = false;
  });
  const stop = (signal) => {
    if (!running) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
  return { exited, stop };
}

prepareOrExit({ build: true });
const sourceChecked = typeCheckInputs();
rmSync(TYPE_CHECK_RESULT, { force: true });
const jest = startJest();
/** A lane's failures stop jest at once. */
const stopJestIfFailed = (failed) => {
  if (failed.length) jest.stop('SIGTERM');
  return failed;
};
const [typeFailed, otherFailed] = await Promise.all([
  lane(['typecheck']).then((failed) => {
    // src/ passed the type check: `npm start` after `npm test` has nothing left to check.
    if (failed.length === 0) recordTypeCheck(sourceChecked);
    mkdirSync(dirname(TYPE_CHECK_RESULT), { recursive: true });
    writeFileSync(TYPE_CHECK_RESULT, failed.length ? 'failed' : 'passed');
    return stopJestIfFailed(failed);
  }),
  lane(['db:migrate', 'lint', 'format:check', 'deps:check']).then(stopJestIfFailed),
]);
const jestStatus = await jest.exited;
const failed = [...typeFailed, ...otherFailed];
if (failed.length) {
  process.stderr.write(`\nFailed: ${failed.join(', ')}. Jest was stopped.\n`);
  process.exit(1);
}
process.exit(jestStatus);
