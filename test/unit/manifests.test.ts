import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SLACK_EVENTS_PATH } from '../../src/slack/app';

/**
 * The two app manifests an admin pastes into Slack: manifest.yml (Socket Mode, the Quick
 * start) and manifest.http.yml (HTTP mode). They must describe the same app, differing only
 * in how Slack reaches it, or one mode would silently lack a scope, event or shortcut.
 */

const root = join(__dirname, '..', '..');
const read = (name: string) => readFileSync(join(root, name), 'utf8');

/** Lines that say what the app is, without comments and without how Slack reaches it. */
function appDefinition(manifest: string): string[] {
  return manifest
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .filter((line) => !/^\s*(url|request_url|message_menu_options_url|socket_mode_enabled):/.test(line))
    .map((line) => line.replace(/\s+#.*$/, ''));
}

const urlLines = (manifest: string) =>
  manifest.split('\n').filter((line) => /^\s*(url|request_url|message_menu_options_url):/.test(line));

describe('Slack app manifests', () => {
  const socket = read('manifest.yml');
  const http = read('manifest.http.yml');

  it('manifest.yml is ready for Socket Mode: Socket Mode on and no request URL', () => {
    expect(socket).toMatch(/^\s*socket_mode_enabled: true$/m);
    expect(urlLines(socket)).toEqual([]);
  });

  it('manifest.http.yml sends events, the command, interactivity and options to the endpoint the app serves', () => {
    expect(http).toMatch(/^\s*socket_mode_enabled: false$/m);
    const urls = urlLines(http).map((line) => line.trim().split(/:\s+/)[0]);
    expect(urls.sort()).toEqual(['message_menu_options_url', 'request_url', 'request_url', 'url']);
    for (const line of urlLines(http))
      expect(line.trim()).toMatch(new RegExp(`^[a-z_]+: https://[^/\\s]+${SLACK_EVENTS_PATH}$`));
  });

  it('both describe the same app: scopes, command, shortcut and events', () => {
    expect(appDefinition(socket)).toEqual(appDefinition(http));
    for (const expected of [
      '- commands',
      '- chat:write',
      '- users:read',
      '- channels:read',
      '- groups:read',
      '- app_home_opened',
      'callback_id: log_to_crm',
      '- command: /crm',
    ]) {
      expect(appDefinition(socket).map((l) => l.trim())).toContain(expected);
    }
  });
});
