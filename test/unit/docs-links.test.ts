import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/**
 * The README and docs/ stand alone: every relative link and picture resolves to a file of
 * the repository (and, with a #fragment, to a heading of that file), and nothing points
 * outside the repository.
 */

const root = join(__dirname, '..', '..');
const pages = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsIn(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchorOf(m[1]!)));
}

/** Markdown links and images, and HTML src/href, outside code blocks and code spans. */
function linksIn(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/^```[\s\S]*?^```/gm, '')
    .replace(/`[^`\n]*`/g, '');
  return [
    ...[...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!),
    ...[...text.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!),
  ];
}

const isExternal = (link: string) => /^(https?:|mailto:)/.test(link);

/** The relative links of `file` that do not resolve inside `repoRoot`. */
function brokenLinks(file: string, repoRoot: string): string[] {
  const broken: string[] = [];
  for (const link of linksIn(file).filter((l) => !isExternal(l))) {
    const [path, fragment] = link.split('#') as [string, string | undefined];
    const target = path ? join(dirname(file), decodeURIComponent(path)) : file;
    if (relative(repoRoot, target).startsWith('..') || !existsSync(target)) broken.push(link);
    else if (fragment && statSync(target).isFile() && target.endsWith('.md') && !anchorsIn(target).has(fragment)) {
      broken.push(link);
    }
  }
  return broken;
}

describe('links in the README and docs/', () => {
  it('finds the pages and their links (so the checks below check something)', () => {
    expect(pages).toEqual(expect.arrayContaining(['README.md', 'docs/product.md']));
    expect(linksIn(join(root, 'README.md'))).toEqual(
      expect.arrayContaining(['docs/images/home-account-manager.png', 'docs/product.md']),
    );
  });

  it.each(pages)('%s: every relative link resolves to a file in the repository, and its #heading exists', (page) => {
    expect(brokenLinks(join(root, page), root)).toEqual([]);
  });

  it('the link check catches a missing file, a missing heading and a path outside the repository', () => {
    const fake = mkdtempSync(join(tmpdir(), 'crm-docs-links-'));
    try {
      mkdirSync(join(fake, 'docs'));
      writeFileSync(join(fake, 'docs', 'a.md'), "# Exporting the CRM's data\n");
      writeFileSync(
        join(fake, 'README.md'),
        [
          '[ok](docs/a.md) [ok](docs/a.md#exporting-the-crms-data) <img src="docs/a.md">',
          '[missing](docs/b.md) [no heading](docs/a.md#nope) <img src="docs/c.png">',
          '[outside](../shared/DESIGN.md) [web](https://example.com/x) `[in code](docs/z.md)`',
        ].join('\n'),
      );
      expect(brokenLinks(join(fake, 'README.md'), fake)).toEqual([
        'docs/b.md',
        'docs/a.md#nope',
        '../shared/DESIGN.md',
        'docs/c.png',
      ]);
    } finally {
      rmSync(fake, { recursive: true, force: true });
    }
  });

  it("the README stays a newcomer's page: 250 lines at most, the Home tab pictured near the top", () => {
    const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
    expect(lines.length).toBeLessThanOrEqual(250);
    expect(lines.slice(0, 20).join('\n')).toContain('](docs/images/home-account-manager.png)');
  });

  it.each(pages)('%s: names no folder outside the repository and no tracker issue', (page) => {
    const text = readFileSync(join(root, page), 'utf8');
    expect(text).not.toMatch(/\.\.\/shared\b/);
    expect(text).not.toMatch(/(^|[^&\w/])#\d+\b|\bissues?\s*#?\d+/im);
  });
});
