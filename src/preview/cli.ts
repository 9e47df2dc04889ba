import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { buildDemoWorld } from './demo-world';
import { blockKitBuilderUrl, buildPreviews, type Preview } from './surfaces';

/**
 * `npm run preview [-- --out <folder>]`: renders every surface of the app from the demo
 * book (src/preview/demo-data.ts) without Slack or Metabase, writes each as JSON (default
 * folder preview/, git-ignored) with the digest picture as a PNG and an index.html of
 * links, and prints a Block Kit Builder link per surface.
 */

function outFolder(argv: string[]): string {
  const i = argv.indexOf('--out');
  if (i === -1) return resolve('preview');
  const value = argv[i + 1];
  if (!value || value.startsWith('--')) throw new Error('--out needs a folder, e.g. --out /tmp/crm-preview');
  return resolve(value);
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function indexHtml(previews: Preview[]): string {
  const rows = previews.map(
    (p) =>
      `<li><a href="${escapeHtml(blockKitBuilderUrl(p.payload))}">${escapeHtml(p.title)}</a> (<a href="${escapeHtml(p.name)}.json">${escapeHtml(p.name)}.json</a>)</li>`,
  );
  return `<!doctype html>
<meta charset="utf-8">
<title>CRM previews</title>
<h1>CRM previews</h1>
<p>Each link opens Block Kit Builder with the surface filled in (sign in to Slack first). If a link is cut short, paste the JSON file into the Builder instead.</p>
<ul>
${rows.join('\n')}
</ul>
<h2>Digest picture</h2>
<img src="digest-chart.png" alt="The digest picture" width="720">
`;
}

async function main(): Promise<void> {
  const out = outFolder(process.argv.slice(2));
  const world = await buildDemoWorld();
  try {
    const { previews, digestPicture } = await buildPreviews(world);
    mkdirSync(out, { recursive: true });
    const shown = relative(process.cwd(), out) || '.';
    const lines: string[] = [];
    for (const p of previews) {
      writeFileSync(join(out, `${p.name}.json`), `${JSON.stringify(p.payload, null, 2)}\n`);
      lines.push(`${p.title} (${p.kind})\n  ${join(shown, `${p.name}.json`)}\n  ${blockKitBuilderUrl(p.payload)}`);
    }
    writeFileSync(join(out, 'digest-chart.png'), digestPicture.png);
    writeFileSync(join(out, 'index.html'), indexHtml(previews));
    process.stdout.write(
      [
        `${previews.length} surfaces written to ${shown}/ from the demo data (no Slack, no Metabase).`,
        'Open a link in a browser signed in to Slack to see the surface in Block Kit Builder. Very long links',
        'may be cut short by a browser or terminal: paste the JSON file into the Builder instead.',
        '',
        ...lines,
        '',
        `Digest picture: ${join(shown, 'digest-chart.png')} (${digestPicture.png.length.toLocaleString('en-US')} bytes)`,
        `  alt text: ${digestPicture.altText}`,
        `All links in one page: ${join(shown, 'index.html')}`,
        '',
      ].join('\n'),
    );
  } finally {
    await world.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`preview failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
