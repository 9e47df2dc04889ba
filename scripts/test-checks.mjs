// `npm test` before jest: the set-up and the static checks, on both cores. The set-up's
// install and Prisma generation come first (everything else needs them); then the type
// check (the longest step, one core) runs beside the build, the migration of ./data and
// lint, format and import checks (one after the other, on the other core). Each lane's
// output is printed when it ends; any step failing fails the whole (exit status 1), after
// both lanes have ended, with the failed steps named.
import { spawn } from 'node:child_process';
import { prepareOrExit, recordTypeCheck, root, typeCheckInputs } from './prepare.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** A step: an npm script's name, or a command line. */
const SETUP_BUILD = {
  name: 'build (scripts/prepare.mjs --build)',
  command: [process.execPath, 'scripts/prepare.mjs', '--build'],
};

/** Runs a step with its output kept; resolves to the output and whether it passed. */
function runStep(step) {
  const [command, ...args] = typeof step === 'string' ? [npm, 'run', '--silent', step] : step.command;
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
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
    const name = typeof step === 'string' ? `npm run ${step}` : step.name;
    const started = Date.now();
    const { ok, output } = await runStep(step);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(`${ok ? '✔' : '✘'} ${name} (${seconds} s)\n${ok ? '' : output}`);
    if (!ok) return [name];
  }
  return [];
}

prepareOrExit();
const sourceChecked = typeCheckInputs();
const [typeFailed, otherFailed] = await Promise.all([
  lane(['typecheck']),
  lane([SETUP_BUILD, 'db:migrate', 'lint', 'format:check', 'deps:check']),
]);
// src/ passed the type check: `npm start` after `npm test` has nothing left to check.
if (typeFailed.length === 0) recordTypeCheck(sourceChecked);
const failed = [...typeFailed, ...otherFailed];
if (failed.length) {
  process.stderr.write(`\nFailed: ${failed.join(', ')}. Jest was not started.\n`);
  process.exit(1);
}
