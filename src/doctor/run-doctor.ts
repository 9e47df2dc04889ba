import type { WebClient } from '@slack/web-api';
import { backupSettings } from '../backup/backup-settings';
import type { Clock } from '../clock';
import { type CheckResult, type DoctorReport, skipped, withoutSecrets } from '../common/doctor-report';
import type { AppConfig } from '../config';
import { metabaseConfig } from '../config';
import type { CrmPrisma } from '../db/client';
import { getSetting } from '../domain/settings';
import type { ProductionReader } from '../production/types';
import { secretsOf } from '../secret-masking';
import { checkDatabase, describeDatabase } from './check-database';
import { checkDigestChannel } from './check-digest-channel';
import { checkMetabase } from './check-metabase';
import { checkBotToken, compareScopes } from './check-slack-token';
import { checkAppToken } from './check-socket-mode';
import type { ManifestScope } from './manifest-scopes';

export interface DoctorDeps {
  /** A valid configuration (an invalid one is reported by `checkConfig` alone). */
  config: AppConfig;
  /** A Web API client with SLACK_BOT_TOKEN. */
  slack: WebClient;
  /** The Metabase reader; null when METABASE_URL is unset. */
  production: ProductionReader | null;
  /**
   * The CRM database, for the settings the checks need (digest channel, sync window).
   * Called only once the database answers and is migrated, so a check never creates one.
   */
  crmDatabase(): CrmPrisma;
  /** The bot scopes the app's manifest asks for (`readManifestBotScopes`), or why they could not be read. */
  requiredScopes: ManifestScope[] | Error;
  clock: Clock;
}

/** What a valid configuration amounts to, in one line. */
export function configSummary(config: AppConfig): CheckResult {
  const mode = config.SLACK_APP_TOKEN ? 'Socket Mode' : 'HTTP mode';
  const database = describeDatabase(config.DATABASE_URL).split(' ')[0];
  const mb = metabaseConfig(config);
  const metabase = mb ? `Metabase saved questions ${mb.customersCardId} and ${mb.ordersCardId}` : 'no Metabase';
  return {
    id: 'config',
    title: 'Configuration',
    status: 'ok',
    finding: `valid: ${mode}, ${database} database, ${metabase}`,
  };
}

/**
 * Runs every check on a valid configuration and returns the report, in display order. A
 * check that cannot run because an earlier one failed says so instead of guessing. Never
 * throws for what it finds: an unreachable service is a failed check.
 */
export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  const { config } = deps;
  const checkedAt = deps.clock.now();
  const backups = backupSettings(config);
  const db = await checkDatabase(config.DATABASE_URL, backups.mode === 'sqlite' ? backups.dir : null);

  let settings: { digestChannel: string | null; syncDays: number } | null = null;
  let prisma: CrmPrisma | null = null;
  let settingsProblem = 'the settings cannot be read before the database is created and migrated';
  if (db.readable) {
    try {
      prisma = deps.crmDatabase();
      const [digestChannel, syncDays] = await Promise.all([
        getSetting(prisma, config, 'digest_channel'),
        getSetting(prisma, config, 'sync_days'),
      ]);
      settings = { digestChannel, syncDays };
    } catch (err) {
      settingsProblem = `the settings could not be read (${(err as Error).message.split('\n')[0]})`;
    }
  }

  const slackChecks = (async (): Promise<CheckResult[]> => {
    const token = await checkBotToken(deps.slack);
    const noToken = 'not checked: the bot token does not work';
    const scopes =
      deps.requiredScopes instanceof Error
        ? ({
            id: 'slack_scopes',
            title: 'Slack scopes',
            status: 'warn',
            finding: `not compared: manifest.yml could not be read (${deps.requiredScopes.message})`,
          } as const)
        : token.bot
          ? compareScopes(token.grantedScopes, deps.requiredScopes)
          : skipped('slack_scopes', 'Slack scopes', noToken);
    const socket = await checkAppToken(deps.slack, config.SLACK_APP_TOKEN);
    const channel = !token.bot
      ? skipped('digest_channel', 'Digest channel', noToken)
      : settings
        ? await checkDigestChannel(deps.slack, settings.digestChannel, token.bot)
        : skipped('digest_channel', 'Digest channel', `not checked: ${settingsProblem}`);
    return [token.result, scopes, socket, channel];
  })();

  const metabaseChecks = checkMetabase(deps.production, metabaseConfig(config), {
    syncDays: settings?.syncDays ?? config.CRM_SYNC_DAYS,
    fallbackCustomerId: async () => {
      if (!prisma) return null;
      const latest = await prisma.customerFigures.findFirst({
        orderBy: { lastOrderAt: 'desc' },
        select: { customerId: true },
      });
      return latest?.customerId ?? null;
    },
  });

  const [slack, metabase] = await Promise.all([slackChecks, metabaseChecks]);
  const report: DoctorReport = {
    checkedAt,
    checks: [configSummary(config), db.database, db.migrations, ...slack, ...metabase],
  };
  return withoutSecrets(report, secretsOf(config));
}
