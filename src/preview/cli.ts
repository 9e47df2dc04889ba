import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { buildDemoWorld } from './demo-world';
import { previewIndexHtml } from './index-page';
import { DOCS_SURFACES, previewPictures } from './pictures';
import { buildPreviews } from './surfaces';

/**
 * `npm run preview`: every surface of the app from the demo book (src/preview/demo-data.ts),
 * without Slack or Metabase, as JSON and PNG, with the digest picture and an index.html
 * that shows them all. `--update-docs` also refreshes the pictures the docs show.
 */

const USAGE = `Usage: npm run preview [-- [--out <folder>] [--update-docs]]

Draws every Slack surface of the app (Home tab per role, lead card, order history,
modals, follow-up DM, digest) from made-up demo data, without Slack or Metabase.

  --out <folder>   where to write (default: preview/, git-ignored)
  --update-docs    also copy the pictures and JSON the docs show into docs/images/ and docs/preview/
  -h, --help       show this help

Writes <surface>.json and <surface>.png for each surface, digest-chart.png and index.html
(every picture, with links to its JSON and to Block Kit Builder).
`;

interface Options {
  out: string;
  updateDocs: boolean;
  help: boolean;
}

class UsageError extends Error {}

const DOCS = join(__dirname, '..', '..', 'docs');

function parseOptions(argv: string[]): Options {
  const options: Options = { out: resolve('preview'), updateDocs: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--update-docs') options.updateDocs = true;
    else if (arg === '--out') {
      const value = argv[++i];
      if (!value || value.startsWith('-')) throw new UsageError('--out needs a folder, e.g. --out /tmp/crm-preview');
      options.out = resolve(value);
    } else throw new UsageError(`unknown option ${arg}`);
  }
  return options;
}

async function main(options: Options): Promise<void> {
  const world = await buildDemoWorld();
  try {
    const { previews, digestPicture } = await buildPreviews(world);
    const pictures = previewPictures(previews);
    const { out } = options;
    mkdirSync(out, { recursive: true });
    for (const p of previews) {
      writeFileSync(join(out, `${p.name}.json`), `${JSON.stringify(p.payload, null, 2)}\n`);
      writeFileSync(join(out, `${p.name}.png`), pictures.get(p.name)!);
    }
    writeFileSync(join(out, 'digest-chart.png'), digestPicture.png);
    writeFileSync(join(out, 'index.html'), previewIndexHtml(previews, digestPicture.altText));
    const fromHere = relative(process.cwd(), out);
    const shown = fromHere.startsWith('..') ? out : fromHere || '.';
    const lines = [
      `${previews.length} surfaces from the demo data (no Slack, no Metabase): a .json and a .png each, in ${shown}/`,
      `plus the digest picture (digest-chart.png). Open ${join(shown, 'index.html')} to see them all.`,
    ];
    if (options.updateDocs) {
      for (const name of DOCS_SURFACES) {
        const p = previews.find((x) => x.name === name)!;
        writeFileSync(join(DOCS, 'images', `${name}.png`), pictures.get(name)!);
        writeFileSync(join(DOCS, 'preview', `${name}.json`), `${JSON.stringify(p.payload, null, 2)}\n`);
      }
      lines.push(`Updated ${DOCS_SURFACES.length} pictures in docs/images/ and their JSON in docs/preview/.`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await world.close();
  }
}

function run(): void {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`preview: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(1);
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  main(options).catch((err: unknown) => {
    process.stderr.write(`preview failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

run();
