import { z } from 'zod';
import { isValidTimeZone } from './common/zoned-time';

const slackUserIdList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .refine((ids) => ids.every((id) => /^[UW][A-Z0-9]{2,}$/.test(id)), {
    message: 'must be a comma-separated list of Slack user ids (U…/W…)',
  });

const optionalString = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() !== '' ? s.trim() : undefined));

/** A whole number in [min, max]; unset or blank means the default (a blank must not read as 0). */
const wholeNumber = (min: number, max: number, fallback: number) =>
  optionalString
    .pipe(
      z.coerce
        .number<string | undefined>({ message: `must be a whole number from ${min} to ${max}` })
        .int()
        .min(min)
        .max(max)
        .optional(),
    )
    .transform((v) => v ?? fallback);

const cardId = z.coerce.number<string | undefined>().int().positive();

export const configSchema = z.object({
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'must be a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.refine((t) => t === undefined || t.startsWith('xapp-'), {
    message: 'must be an app-level token starting with xapp-',
  }),
  SLACK_API_URL: optionalString.pipe(z.url().optional()),
  SLACK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  PORT: z.coerce.number({ message: 'must be a port number (0-65535)' }).int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .default('file:./data/crm.db')
    .refine((u) => /^(file:|postgres(ql)?:\/\/)/.test(u), {
      message: 'must be file:<path> (SQLite) or postgres://… (PostgreSQL)',
    }),
  METABASE_URL: optionalString.pipe(z.url().optional()),
  METABASE_API_KEY: optionalString,
  METABASE_USERNAME: optionalString,
  METABASE_PASSWORD: optionalString,
  METABASE_CUSTOMERS_CARD_ID: optionalString.pipe(cardId.optional()),
  METABASE_ORDERS_CARD_ID: optionalString.pipe(cardId.optional()),
  METABASE_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  CRM_ADMINS: slackUserIdList,
  CRM_MANAGERS: slackUserIdList,
  CRM_ACCOUNT_MANAGERS: slackUserIdList,
  CRM_SYNC_DAYS: z.coerce.number().int().min(1).max(3650).default(120),
  CRM_TIMEZONE: z
    .string()
    .default('UTC')
    .refine(isValidTimeZone, { message: 'must be an IANA time zone, e.g. Asia/Dubai' }),
  CRM_BACKUP: optionalString
    .pipe(z.enum(['on', 'off', 'true', 'false', '1', '0'], { message: 'must be on or off' }).optional())
    .transform((v) => v === undefined || v === 'on' || v === 'true' || v === '1'),
  CRM_BACKUP_DIR: optionalString,
  CRM_BACKUP_INTERVAL_HOURS: wholeNumber(1, 24 * 7, 24),
  CRM_BACKUP_KEEP_DAILY: wholeNumber(0, 3660, 7),
  CRM_BACKUP_KEEP_WEEKLY: wholeNumber(0, 520, 4),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

const present = (v: string | undefined) => v !== undefined && v.trim() !== '';

/** Rules across variables, checked on the raw environment so they are reported with the others. */
function crossVariableProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (!present(env.SLACK_APP_TOKEN) && !present(env.SLACK_SIGNING_SECRET)) {
    problems.push('SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (present(env.METABASE_URL)) {
    if (!present(env.METABASE_API_KEY) && !(present(env.METABASE_USERNAME) && present(env.METABASE_PASSWORD))) {
      problems.push('METABASE_API_KEY is required with METABASE_URL (or METABASE_USERNAME and METABASE_PASSWORD)');
    }
    if (!present(env.METABASE_CUSTOMERS_CARD_ID))
      problems.push('METABASE_CUSTOMERS_CARD_ID is required with METABASE_URL');
    if (!present(env.METABASE_ORDERS_CARD_ID)) problems.push('METABASE_ORDERS_CARD_ID is required with METABASE_URL');
  }
  if (present(env.METABASE_USERNAME) !== present(env.METABASE_PASSWORD)) {
    problems.push('METABASE_PASSWORD and METABASE_USERNAME go together: set both or neither');
  }
  return problems;
}

export type AppConfig = z.infer<typeof configSchema>;

export interface MetabaseConfig {
  url: string;
  auth: { kind: 'apiKey'; apiKey: string } | { kind: 'session'; username: string; password: string };
  customersCardId: number;
  ordersCardId: number;
  timeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration error:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = configSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '(environment)');
        const missing = env[name] === undefined || env[name]?.trim() === '';
        return `${name} ${missing ? 'is required' : `${issue.message} (got "${redactValue(name, env[name]!)}")`}`;
      });
  problems.push(...crossVariableProblems(env));
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

/** Secrets never appear in an error message: nor does a password inside a URL (`scheme://user:pw@host`). */
function redactValue(name: string, value: string): string {
  return /TOKEN|SECRET|KEY|PASSWORD/.test(name)
    ? '[redacted]'
    : value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/i, '$1[redacted]@').slice(0, 60);
}

/** The Metabase settings, or null when production reading is off (no METABASE_URL). */
export function metabaseConfig(config: AppConfig): MetabaseConfig | null {
  if (!config.METABASE_URL || !config.METABASE_CUSTOMERS_CARD_ID || !config.METABASE_ORDERS_CARD_ID) return null;
  const auth = config.METABASE_API_KEY
    ? ({ kind: 'apiKey', apiKey: config.METABASE_API_KEY } as const)
    : ({ kind: 'session', username: config.METABASE_USERNAME!, password: config.METABASE_PASSWORD! } as const);
  return {
    url: config.METABASE_URL.replace(/\/+$/, ''),
    auth,
    customersCardId: config.METABASE_CUSTOMERS_CARD_ID,
    ordersCardId: config.METABASE_ORDERS_CARD_ID,
    timeoutMs: config.METABASE_TIMEOUT_MS,
  };
}
