import { LogLevel, type Logger as SlackLogger, WebClient } from '@slack/web-api';
import { type Clock, systemClock } from '../clock';
import { type CheckId, type DoctorReport, skipped, withoutSecrets } from '../common/doctor-report';
import { metabaseConfig } from '../config';
import { type Database, openDatabase } from '../db/client';
import { createLogger } from '../logger';
import { createProductionReader } from '../production/metabase-client';
import { secretsOf } from '../secret-masking';
import { checkConfig } from './check-config';
import { MANIFEST_PATH, type ManifestScope, readManifestBotScopes } from './manifest-scopes';
import { runDoctor } from './run-doctor';

export interface EnvironmentDoctorOptions {
  clock?: Clock;
  manifestPath?: string;
  /** Time limit of one Slack call. Default 10 s. */
  slackTimeoutMs?: number;
}

/** The checks that need a valid configuration, listed as not run when it is not. */
const AFTER_CONFIG: [CheckId, string][] = [
  ['database', 'Database'],
  ['migrations', 'Migrations'],
  ['slack_token', 'Slack bot token'],
  ['slack_scopes', 'Slack scopes'],
  ['socket_mode', 'Socket Mode'],
  ['digest_channel', 'Digest channel'],
  ['metabase', 'Metabase'],
  ['customers_card', 'Customers card'],
  ['orders_card', 'Orders card'],
];

/**
 * `npm run doctor`: the whole report for the configuration in `env`, talking to the real
 * services with their own short-lived clients (few retries, so a dead service answers in
 * seconds) and closing them afterwards. Opens the CRM database read-only for its checks.
 */
export async function doctorFromEnvironment(
  env: NodeJS.ProcessEnv,
  options: EnvironmentDoctorOptions = {},
): Promise<DoctorReport> {
  const clock = options.clock ?? systemClock;
  const { config, failure } = checkConfig(env);
  if (!config) {
    const checks = [
      failure!,
      ...AFTER_CONFIG.map(([id, title]) => skipped(id, title, 'not checked: fix the configuration first')),
    ];
    return withoutSecrets({ checkedAt: clock.now(), checks }, secretValuesIn(env));
  }

  const slack = new WebClient(config.SLACK_BOT_TOKEN, {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL.replace(/\/?$/, '/') } : {}),
    // One retry, not the SDK's default of ten over half an hour: the doctor must answer.
    retryConfig: { retries: 1, factor: 1, minTimeout: 300, maxTimeout: 300 },
    timeout: options.slackTimeoutMs ?? 10_000,
    logger: silentLogger(),
  });
  const mb = metabaseConfig(config);
  const production = mb
    ? createProductionReader(mb, createLogger('silent'), clock, { retry: { maxAttempts: 2 } })
    : null;
  let db: Database | null = null;
  let requiredScopes: ManifestScope[] | Error;
  try {
    requiredScopes = readManifestBotScopes(options.manifestPath ?? MANIFEST_PATH);
  } catch (err) {
    requiredScopes = err as Error;
  }
  try {
    const report = await runDoctor({
      config,
      slack,
      production,
      crmDatabase: () => {
        db ??= openDatabase(config.DATABASE_URL);
        return db.prisma;
      },
      requiredScopes,
      clock,
    });
    return withoutSecrets(report, secretValuesIn(env));
  } finally {
    await production?.close();
    await (db as Database | null)?.close();
  }
}

/** The secrets in the environment, read raw so they are guarded even when the configuration is invalid. */
export function secretValuesIn(env: NodeJS.ProcessEnv): (string | undefined)[] {
  const raw = (name: string) => env[name]?.trim() || undefined;
  return secretsOf({
    SLACK_BOT_TOKEN: raw('SLACK_BOT_TOKEN'),
    SLACK_APP_TOKEN: raw('SLACK_APP_TOKEN'),
    SLACK_SIGNING_SECRET: raw('SLACK_SIGNING_SECRET'),
    METABASE_API_KEY: raw('METABASE_API_KEY'),
    METABASE_PASSWORD: raw('METABASE_PASSWORD'),
    DATABASE_URL: raw('DATABASE_URL'),
    METABASE_URL: raw('METABASE_URL'),
  });
}

function silentLogger(): SlackLogger {
  let level = LogLevel.ERROR;
  const quiet = () => undefined;
  const setLevel = (l: LogLevel) => {
    level = l;
  };
  return { debug: quiet, info: quiet, warn: quiet, error: quiet, setLevel, getLevel: () => level, setName: quiet };
}
