import { blockKitBuilderUrl, type Preview } from './surfaces';

/**
 * preview/index.html: every surface as its picture, with its JSON file and a Block Kit
 * Builder link (the Builder needs a Slack sign-in; the pictures do not).
 */

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const KIND_HEADING = { home: 'Home tab', message: 'Messages', modal: 'Modals' } as const;

export function previewIndexHtml(previews: Preview[], digestAltText: string): string {
  const sections = (['home', 'message', 'modal'] as const).map((kind) => {
    const items = previews
      .filter((p) => p.kind === kind)
      .map((p) => {
        const name = escapeHtml(p.name);
        return `<figure id="${name}">
<figcaption><strong>${escapeHtml(p.title)}</strong> · <a href="${name}.json">${name}.json</a> · <a href="${escapeHtml(blockKitBuilderUrl(p.payload))}">open in Block Kit Builder</a></figcaption>
<img src="${name}.png" alt="${escapeHtml(p.title)}" loading="lazy">
</figure>`;
      });
    return `<h2>${KIND_HEADING[kind]}</h2>\n${items.join('\n')}`;
  });
  const contents = previews.map((p) => `<a href="#${escapeHtml(p.name)}">${escapeHtml(p.title)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>CRM previews</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 900px; padding: 0 1rem; color: #1d1c1d; }
figure { margin: 2rem 0; }
figcaption { margin-bottom: .5rem; }
img { max-width: 100%; border: 1px solid #ddd; border-radius: 6px; }
</style>
<h1>CRM previews</h1>
<p>Every surface of the app, built from the demo data by the app's own view builders and drawn by <code>npm run preview</code>. Each has its JSON file; the Block Kit Builder link opens it in Slack's builder (sign in to Slack first; if a link is cut short, paste the JSON file instead).</p>
<p>${contents}</p>
${sections.join('\n')}
<h2>Digest picture</h2>
<figure id="digest-chart">
<figcaption><strong>The picture posted with the digest</strong></figcaption>
<img src="digest-chart.png" alt="${escapeHtml(digestAltText)}">
</figure>
</html>
`;
}
