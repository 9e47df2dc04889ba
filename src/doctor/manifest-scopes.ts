import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** manifest.yml at the root of the project (in the Docker image: /app/manifest.yml). */
export const MANIFEST_PATH = join(__dirname, '..', '..', 'manifest.yml');

export interface ManifestScope {
  name: string;
  /** The comment after the scope in the manifest: what the app uses it for. */
  purpose?: string;
}

/**
 * The bot scopes a Slack app manifest asks for: the list under `oauth_config.scopes.bot`,
 * each with its trailing comment. Reads just that list, by indentation, rather than
 * taking a YAML library for one key; throws when the manifest has no such list.
 */
export function botScopesFromManifest(text: string): ManifestScope[] {
  const path = ['oauth_config', 'scopes', 'bot'];
  let depth = 0;
  let parentIndent = -1;
  const scopes: ManifestScope[] = [];
  for (const raw of text.split('\n')) {
    const comment = /\s#\s*(.*)$/.exec(raw);
    const line = raw.replace(/(^|\s)#.*$/, '').trimEnd();
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    if (depth < path.length) {
      if (indent <= parentIndent) break;
      if (line.trim() === `${path[depth]}:`) {
        depth += 1;
        parentIndent = indent;
      }
      continue;
    }
    const item = /^\s*-\s+(\S+)$/.exec(line);
    if (!item || indent < parentIndent) break;
    const purpose = comment?.[1]?.trim();
    scopes.push({ name: item[1]!.replace(/^["']|["']$/g, ''), ...(purpose ? { purpose } : {}) });
  }
  if (scopes.length === 0) throw new Error('the manifest has no oauth_config.scopes.bot list');
  return scopes;
}

export function readManifestBotScopes(path: string = MANIFEST_PATH): ManifestScope[] {
  return botScopesFromManifest(readFileSync(path, 'utf8'));
}
