import { ConfigError, loadConfig, metabaseConfig } from '../../src/config';

const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'shh' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('configuration from the environment', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({
      PORT: 3000,
      DATABASE_URL: 'file:./data/crm.db',
      CRM_SYNC_DAYS: 120,
      CRM_TIMEZONE: 'UTC',
      LOG_LEVEL: 'info',
    });
    expect(c.CRM_ADMINS).toEqual([]);
    expect(metabaseConfig(c)).toBeNull();
  });

  it('names the missing token and the missing signing secret together', () => {
    const problems = problemsOf({});
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SLACK_BOT_TOKEN is required/),
        expect.stringMatching(/^SLACK_SIGNING_SECRET is required/),
      ]),
    );
  });

  it('does not need a signing secret in Socket Mode', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toEqual([]);
  });

  it('names each malformed variable without echoing secrets', () => {
    const problems = problemsOf({
      ...base,
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      PORT: 'eighty',
      CRM_ADMINS: 'U123,bob',
      CRM_TIMEZONE: 'Mars/Olympus',
      DATABASE_URL: 'mysql://x',
    });
    const names = problems.map((p) => p.split(' ')[0]);
    expect(names).toEqual(
      expect.arrayContaining(['SLACK_BOT_TOKEN', 'PORT', 'CRM_ADMINS', 'CRM_TIMEZONE', 'DATABASE_URL']),
    );
    expect(problems.join('\n')).not.toContain('xoxp-user-token');
  });

  it('keeps a password inside a malformed URL out of the message', () => {
    const problems = problemsOf({ ...base, DATABASE_URL: 'mysql://crm:hunter2@db.internal/crm' });
    expect(problems).toEqual([
      expect.stringMatching(/^DATABASE_URL must be .*\(got "mysql:\/\/\[redacted\]@db\.internal\/crm"\)$/),
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('requires the card ids and a credential with METABASE_URL', () => {
    const problems = problemsOf({ ...base, METABASE_URL: 'http://mb.local' });
    expect(problems.map((p) => p.split(' ')[0])).toEqual(
      expect.arrayContaining(['METABASE_API_KEY', 'METABASE_CUSTOMERS_CARD_ID', 'METABASE_ORDERS_CARD_ID']),
    );
  });

  it('builds the Metabase settings for key or session auth', () => {
    const key = loadConfig({
      ...base,
      METABASE_URL: 'http://mb.local/',
      METABASE_API_KEY: 'k',
      METABASE_CUSTOMERS_CARD_ID: '12',
      METABASE_ORDERS_CARD_ID: '13',
    });
    expect(metabaseConfig(key)).toMatchObject({
      url: 'http://mb.local',
      auth: { kind: 'apiKey', apiKey: 'k' },
      customersCardId: 12,
      ordersCardId: 13,
    });
    const session = loadConfig({
      ...base,
      METABASE_URL: 'http://mb.local',
      METABASE_USERNAME: 'u',
      METABASE_PASSWORD: 'p',
      METABASE_CUSTOMERS_CARD_ID: '1',
      METABASE_ORDERS_CARD_ID: '2',
    });
    expect(metabaseConfig(session)?.auth).toEqual({ kind: 'session', username: 'u', password: 'p' });
  });

  it('parses the roster lists', () => {
    const c = loadConfig({ ...base, CRM_ADMINS: ' U0ADMIN1 , U0ADMIN2', CRM_MANAGERS: 'W0MGR1' });
    expect(c.CRM_ADMINS).toEqual(['U0ADMIN1', 'U0ADMIN2']);
    expect(c.CRM_MANAGERS).toEqual(['W0MGR1']);
  });
});
