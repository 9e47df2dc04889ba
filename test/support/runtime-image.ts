import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from './app-process';

/**
 * The file set of the Dockerfile's runtime stage, put together from this clone: the compiled
 * code (dist/, with the generated clients and their runtime), the migrations of both providers,
 * package.json and manifest.yml, and node_modules holding only what `npm prune --omit=dev`
 * keeps, by the lockfile's flags. It lives outside the clone, so Node cannot find the
 * clone's other packages by walking up the folders.
 */
export interface RuntimeImage {
  dir: string;
  /** The packages copied, as lockfile paths (`node_modules/@slack/bolt`). */
  packages: string[];
  remove(): void;
}

interface LockEntry {
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
}

/** Top-level packages `npm ci --omit=dev` installs (nested ones come inside their parent's folder). */
export function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !entry.dev)
    .map(([path]) => path)
    .filter((path) => existsSync(join(repoRoot, path))); // optional ones for other platforms are absent
}

/** Hard links where the file system allows (fast), else a copy. */
function copyTree(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    execFileSync('cp', ['-al', from, to], { stdio: 'ignore' });
  } catch {
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
}

export function assembleRuntimeImage(): RuntimeImage {
  const dir = mkdtempSync(join(tmpdir(), 'crm-runtime-image-'));
  copyTree(join(repoRoot, 'dist'), join(dir, 'dist'));
  for (const migrations of ['prisma/migrations', 'prisma/postgres/migrations'])
    copyTree(join(repoRoot, migrations), join(dir, migrations));
  for (const file of ['package.json', 'manifest.yml']) cpSync(join(repoRoot, file), join(dir, file));
  const packages = productionPackages();
  for (const path of packages) copyTree(join(repoRoot, path), join(dir, path));
  return { dir, packages, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const builtins = new Set(builtinModules);

/** Every package the compiled code names in `require("…")` or `require.resolve("…")`, by file. */
export function packagesRequiredBy(distDir: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/require(?:\.resolve)?\(\s*["']([^"'.][^"']*)["']/g)) {
          const specifier = m[1]!;
          if (specifier.startsWith('node:') || builtins.has(specifier.split('/')[0]!)) continue;
          found.set(specifier, [...(found.get(specifier) ?? []), path.slice(distDir.length + 1)]);
        }
      }
    }
  };
  walk(distDir);
  return found;
}
