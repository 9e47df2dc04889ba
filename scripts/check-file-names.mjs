// File-name rules `npm run deps:check` adds to the import rules: a name says which module it
// is, so two files under src/ never share a name (index.ts excepted: each listeners/ folder
// registers through one, the Bolt layout), and the feature users call "follow-up" has no
// file named "alert".
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const SKIP = new Set(['node_modules', 'generated']);
const SHARED_NAMES = new Set(['index.ts']);

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path) : [path];
  });
}

const problems = [];
const byName = new Map();
for (const file of filesUnder('src')) {
  const name = basename(file);
  if (!SHARED_NAMES.has(name)) byName.set(name, [...(byName.get(name) ?? []), file]);
}
for (const [name, files] of byName) {
  if (files.length > 1) problems.push(`${name} is the name of ${files.length} files: ${files.join(', ')}`);
}
for (const file of ['src', 'test', 'bench'].flatMap(filesUnder)) {
  if (/alert/i.test(basename(file))) problems.push(`${file}: the feature is "follow-up", not "alert"`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('✔ file names: none shared under src/, none named "alert"');
