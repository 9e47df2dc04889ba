// Makes a clone ready to run, doing only what changed since the last time:
//   install   `npm install`, when package.json's dependencies, package-lock.json or Node's ABI changed;
//   generate  the Prisma clients, when the schema, the generator scripts or the install changed;
//   check     the type check of src/ (scripts/build.mjs --check), when a file under src/, a
//             tsconfig or the build script changed (with --check: `npm start`, `npm run doctor`);
//   build     scripts/build.mjs --emit (swc) into dist/, when the same changed (with --build).
// Each step leaves a stamp (a hash of its inputs) next to its output; a missing output or a
// different hash reruns the step. Used by `npm run setup`, `npm start` and `npm run doctor`
// (through run-compiled.mjs). A lock keeps two of them from working on one clone at once.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const STAMPS = {
  install: join(root, 'node_modules', '.crm-install-stamp'),
  generate: join(root, 'src', 'generated', '.crm-generate-stamp'),
  build: join(root, 'dist', '.crm-build-stamp'),
  check: join(root, 'dist', '.crm-check-stamp'),
};

function sha256(...parts) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

const read = (path) => (existsSync(path) ? readFileSync(path) : Buffer.from('(missing)'));

/** What `npm install` depends on: the declared dependencies, the lockfile, and Node's native ABI. */
function installInputs() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const declared = ['dependencies', 'devDependencies', 'optionalDependencies', 'overrides', 'allowScripts'];
  return sha256(
    JSON.stringify(declared.map((k) => pkg[k] ?? null)),
    read(join(root, 'package-lock.json')),
    `${process.platform}-${process.arch}-${process.versions.modules}`,
  );
}

function generateInputs() {
  return sha256(
    ...['prisma/schema.prisma', 'scripts/postgres-schema.cjs', 'scripts/generate-prisma-clients.mjs'].map((f) =>
      read(join(root, f)),
    ),
    read(STAMPS.install),
  );
}

/** Every file under src/ (the generated clients included), by path and content, the tsconfigs and the build script. */
function buildInputs() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.startsWith('.crm-')) files.push(path);
    }
  };
  walk(join(root, 'src'));
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs']) hash.update(read(join(root, f)));
  hash.update(read(STAMPS.install));
  return hash.digest('hex');
}

const stale = (stamp, inputs, outputs) =>
  !outputs.every((o) => existsSync(o)) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== inputs;

function stampDone(stamp, inputs) {
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, inputs);
}

/**
 * For `npm test`, whose type check covers src/ with test/ and bench/: the inputs of src/ as
 * they are before that check starts, and, once it passed, the record that they were checked,
 * so the next `npm start` does not check them again.
 */
export const typeCheckInputs = () => buildInputs();
export const recordTypeCheck = (inputs) => stampDone(STAMPS.check, inputs);

export class PrepareError extends Error {}

function run(command, args, why) {
  const shown = (a) => (a === process.execPath ? 'node' : a.startsWith(root) ? relative(root, a) : a);
  const line = [command, ...args].map(shown).join(' ');
  process.stderr.write(`${why}: ${line}\n`);
  try {
    execFileSync(command, args, { cwd: root, stdio: 'inherit' });
  } catch (err) {
    throw new PrepareError(`${line} failed (${err.status !== null ? `exit status ${err.status}` : err.signal})`);
  }
}

/** Holds a lock file for the clone while `work` runs; waits for another holder that is alive. */
function withLock(work) {
  const lock = join(tmpdir(), `slack-b2b-crm-prepare-${sha256(root).slice(0, 16)}.lock`);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let said = false; ; ) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lock, 'utf8') || 0);
      if (holder && !isAlive(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (!said) process.stderr.write('Waiting for another set-up of this clone to finish…\n');
      said = true;
      Atomics.wait(pause, 0, 0, 200);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Runs the steps that are out of date; `build` adds the build into dist/, `check` the type
 * check of src/ (before the build: a type error stops there). Returns what it ran.
 */
export function prepare({ build = false, check = false } = {}) {
  return withLock(() => {
    const ran = [];
    const install = installInputs();
    if (stale(STAMPS.install, install, [join(root, 'node_modules', '.package-lock.json')])) {
      run(npm, ['install', '--no-audit', '--no-fund'], 'Dependencies changed since the last install');
      // npm may rewrite package-lock.json (metadata only): stamp what is there now.
      stampDone(STAMPS.install, installInputs());
      ran.push('install');
    }
    const generate = generateInputs();
    const clients = ['sqlite/client.ts', 'postgres/client.ts', '@prisma-runtime/client.js'].map((f) =>
      join(root, 'src', 'generated', f),
    );
    if (stale(STAMPS.generate, generate, clients)) {
      run(process.execPath, [join(root, 'scripts', 'generate-prisma-clients.mjs')], 'Prisma schema changed');
      stampDone(STAMPS.generate, generateInputs());
      ran.push('generate');
    }
    const inputs = build || check ? buildInputs() : '';
    if (check && stale(STAMPS.check, inputs, [])) {
      run(
        process.execPath,
        [join(root, 'scripts', 'build.mjs'), '--check'],
        'Source changed since the last type check',
      );
      stampDone(STAMPS.check, inputs);
      ran.push('check');
    }
    if (build && stale(STAMPS.build, inputs, [join(root, 'dist', 'index.js')])) {
      run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--emit'], 'Source changed since the last build');
      stampDone(STAMPS.build, inputs);
      ran.push('build');
    }
    return ran;
  });
}

/** For the command line: runs `prepare`, or says in one line why it could not. */
export function prepareOrExit(options) {
  try {
    return prepare(options);
  } catch (err) {
    if (!(err instanceof PrepareError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ran = prepareOrExit({ build: process.argv.includes('--build'), check: process.argv.includes('--check') });
  process.stderr.write(ran.length ? `Ready (${ran.join(', ')}).\n` : 'Ready: nothing changed.\n');
}
