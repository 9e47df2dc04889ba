import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DoctorReport, summarise, withoutSecrets } from '../../src/common/doctor-report';
import { describeDatabase } from '../../src/doctor/check-database';
import { compareColumns } from '../../src/doctor/check-metabase';
import { compareScopes } from '../../src/doctor/check-slack-token';
import { formatDoctorReport } from '../../src/doctor/format-text';
import { botScopesFromManifest, readManifestBotScopes } from '../../src/doctor/manifest-scopes';
import { CUSTOMERS_CARD } from '../../src/production/card-schemas';

const root = join(__dirname, '..', '..');

describe('the manifest bot scopes', () => {
  it('are read from both manifests, with what each is for', () => {
    const socket = readManifestBotScopes();
    expect(socket.map((s) => s.name)).toEqual([
      'commands',
      'chat:write',
      'users:read',
      'channels:read',
      'groups:read',
      'files:write',
      'im:write',
      'im:history',
      'channels:history',
      'groups:history',
    ]);
    expect(socket[0]).toEqual({ name: 'commands', purpose: '/crm and the "Log to CRM" shortcut' });
    expect(botScopesFromManifest(readFileSync(join(root, 'manifest.http.yml'), 'utf8'))).toEqual(socket);
  });

  it('are only those under oauth_config.scopes.bot, in any indentation YAML allows', () => {
    const text = [
      'features:',
      '  bot:',
      '    - not-a-scope',
      'oauth_config:',
      '  scopes:',
      '    user:',
      '      - search:read',
      '    bot:',
      '    - "chat:write"',
      '    # a comment line',
      '    - users:read  # why',
      '    redirect: x',
      '  after: y',
      'settings:',
      '  - other',
    ].join('\n');
    expect(botScopesFromManifest(text)).toEqual([{ name: 'chat:write' }, { name: 'users:read', purpose: 'why' }]);
  });

  it('refuse a manifest without bot scopes', () => {
    expect(() => botScopesFromManifest('oauth_config:\n  scopes:\n    user:\n      - a\n')).toThrow(
      'no oauth_config.scopes.bot list',
    );
  });
});

describe('comparing scopes', () => {
  const required = [{ name: 'commands' }, { name: 'chat:write', purpose: 'DMs' }];

  it('passes when the token has exactly the manifest scopes, in any order', () => {
    expect(compareScopes(['chat:write', 'commands'], required).status).toBe('ok');
  });

  it('fails on a missing scope, warns on an extra one, fails on both', () => {
    expect(compareScopes(['commands'], required)).toMatchObject({
      status: 'fail',
      finding: 'missing chat:write',
      details: ['chat:write: DMs'],
    });
    expect(compareScopes(['commands', 'chat:write', 'im:history'], required)).toMatchObject({ status: 'warn' });
    const both = compareScopes(['im:history'], required);
    expect(both).toMatchObject({
      status: 'fail',
      finding: 'missing commands, chat:write; extra (not in manifest.yml): im:history',
    });
    expect(both.fix).toMatch(/^Add commands and chat:write under OAuth & Permissions/);
  });

  it('warns when Slack did not send the scopes', () => {
    expect(compareScopes(null, required).status).toBe('warn');
  });
});

describe('comparing card columns', () => {
  it('reads SQL names and humanised titles alike', () => {
    const titles = [
      'Customer ID',
      'Customer Name',
      'Company',
      'Email',
      'Phone',
      'Market',
      'Currency',
      'Order Count',
      'Lifetime Total',
      'Last Order At',
    ];
    expect(compareColumns(CUSTOMERS_CARD.columns, titles, CUSTOMERS_CARD.optional)).toEqual({
      missing: [],
      missingOptional: ['first_order_at'],
      unknown: [],
    });
  });

  it('names a renamed column on both sides', () => {
    const present = CUSTOMERS_CARD.columns.map((c) => (c === 'lifetime_total' ? 'Lifetime Value' : c));
    expect(compareColumns(CUSTOMERS_CARD.columns, present, CUSTOMERS_CARD.optional)).toEqual({
      missing: ['lifetime_total'],
      missingOptional: [],
      unknown: ['Lifetime Value'],
    });
  });
});

describe('where the database is, without credentials', () => {
  it('names the file or the server, never the password', () => {
    expect(describeDatabase('file:./data/crm.db')).toBe('SQLite file ./data/crm.db');
    expect(describeDatabase('postgres://crm:hunter2@db.internal/crm?schema=sales')).toBe(
      'PostgreSQL db.internal:5432/crm (schema sales)',
    );
  });
});

const report: DoctorReport = {
  checkedAt: new Date('2026-11-25T09:00:00.123Z'),
  checks: [
    { id: 'config', title: 'Configuration', status: 'ok', finding: 'valid' },
    {
      id: 'slack_scopes',
      title: 'Slack scopes',
      status: 'fail',
      finding: 'missing groups:read',
      fix: 'Add it.',
      details: ['groups:read: private channels'],
    },
    { id: 'digest_channel', title: 'Digest channel', status: 'warn', finding: 'shared', fix: 'Choose another.' },
    { id: 'socket_mode', title: 'Socket Mode', status: 'skip', finding: 'not used' },
  ],
};

describe('the terminal report', () => {
  it('shows a mark, the name and the finding on one line, details and fix under it, and a summary', () => {
    expect(formatDoctorReport(report)).toBe(
      [
        'CRM doctor, 2026-11-25T09:00:00Z',
        '',
        '✓ Configuration   valid',
        '✗ Slack scopes    missing groups:read',
        '                  - groups:read: private channels',
        '                  fix: Add it.',
        '! Digest channel  shared',
        '                  fix: Choose another.',
        '– Socket Mode     not used',
        '',
        '1 problem to fix, 1 warning.',
        '',
      ].join('\n'),
    );
  });

  it('colours the marks only when asked', () => {
    expect(formatDoctorReport(report)).not.toContain('\x1b[');
    expect(formatDoctorReport(report, { colour: true })).toContain('\x1b[31m✗\x1b[0m Slack scopes');
  });

  it('counts failures and warnings', () => {
    expect(summarise(report)).toEqual({ failures: 1, warnings: 1, ok: false });
  });

  it('blanks any secret value that reached a finding, fix or detail', () => {
    const leaky: DoctorReport = {
      ...report,
      checks: [
        {
          id: 'metabase',
          title: 'Metabase',
          status: 'fail',
          finding: 'key sk-123456 refused',
          fix: 'replace sk-123456',
          details: ['sk-123456'],
        },
      ],
    };
    expect(withoutSecrets(leaky, ['sk-123456', undefined]).checks[0]).toMatchObject({
      finding: 'key [redacted] refused',
      fix: 'replace [redacted]',
      details: ['[redacted]'],
    });
  });
});
