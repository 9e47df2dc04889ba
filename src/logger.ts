import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out: secrets, and customers' personal contact data. */
export const redactedPaths = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'apiKey',
  'password',
  'config.SLACK_BOT_TOKEN',
  'config.SLACK_SIGNING_SECRET',
  'config.SLACK_APP_TOKEN',
  'config.METABASE_API_KEY',
  'config.METABASE_PASSWORD',
  'headers["x-api-key"]',
  'headers["x-metabase-session"]',
  'headers.authorization',
  'email',
  'phone',
  '*.email',
  '*.phone',
  '*.contactEmail',
  '*.contactPhone',
  'customer.email',
  'customer.phone',
  'row.email',
  'row.phone',
];

export const MASK = '[redacted]';

/** Shorter values are not masked by value: masking every "abc" would garble the logs. */
const MIN_MASKED_LENGTH = 6;

/** Slack tokens of any kind (bot, user, app-level, configuration), configured or not. */
const SLACK_TOKEN_PATTERN = /\b(?:xox[a-z]|xapp)-[A-Za-z0-9-]{4,}/g;

/** How deep an error's `cause` chain is followed. */
const MAX_CAUSE_DEPTH = 3;
const MAX_MESSAGE_LENGTH = 1000;
const MAX_STACK_FRAMES = 12;

/** The configured values that must never be written anywhere: tokens, secrets, keys, passwords. */
export function secretsOf(config: {
  SLACK_BOT_TOKEN?: string;
  SLACK_SIGNING_SECRET?: string;
  SLACK_APP_TOKEN?: string;
  METABASE_API_KEY?: string;
  METABASE_PASSWORD?: string;
  DATABASE_URL?: string;
}): string[] {
  return [
    config.SLACK_BOT_TOKEN,
    config.SLACK_SIGNING_SECRET,
    config.SLACK_APP_TOKEN,
    config.METABASE_API_KEY,
    config.METABASE_PASSWORD,
    databasePassword(config.DATABASE_URL),
  ].filter((s): s is string => typeof s === 'string' && s.length >= MIN_MASKED_LENGTH);
}

function databasePassword(url: string | undefined): string | undefined {
  if (!url || !/^postgres(ql)?:\/\//.test(url)) return undefined;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Replaces every occurrence of a secret (as written, and as JSON would escape it) and any
 * Slack token in `text`. One `includes` per secret, so a line without secrets costs little.
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join(MASK);
  }
  return out.includes('xox') || out.includes('xapp-') ? out.replace(SLACK_TOKEN_PATTERN, MASK) : out;
}

/**
 * A log line keeps an error's kind and words, never what it carried: HTTP clients attach
 * request config, headers and bodies (the bot token, customers' e-mails), Prisma prints a
 * failed call's arguments, pg adds the offending row. Kept: name, message (for Prisma, its
 * first and last lines, without the argument dump), code, Slack's `data.error`, HTTP
 * status, Metabase's failure kind, rate-limit delay, stack frames, and the same for causes.
 */
export function serializeError(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const e = value as Record<string, unknown>;
  const name = typeof e.name === 'string' ? e.name : (value.constructor?.name ?? 'Error');
  const out: Record<string, unknown> = { type: name, message: safeMessage(name, e.message) };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  const slackError = (e.data as { error?: unknown } | undefined)?.error;
  if (typeof slackError === 'string') out.data = { error: slackError };
  const status = typeof e.statusCode === 'number' ? e.statusCode : e.status;
  if (typeof status === 'number') out.statusCode = status;
  if (typeof e.kind === 'string') out.kind = e.kind;
  if (typeof e.retryAfter === 'number') out.retryAfter = e.retryAfter;
  if (typeof e.stack === 'string') {
    const frames = e.stack
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .slice(0, MAX_STACK_FRAMES);
    if (frames.length) out.stack = frames.map((f) => f.trim()).join('\n');
  }
  if (e.cause !== undefined && depth < MAX_CAUSE_DEPTH) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

function safeMessage(name: string, message: unknown): string {
  if (typeof message !== 'string') return String(message ?? '');
  let text = message;
  if (name.startsWith('PrismaClient')) {
    const lines = message
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    text = lines.length > 1 ? `${lines[0]} … ${lines[lines.length - 1]}` : (lines[0] ?? '');
  }
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

/** One line for an error where only text fits (stderr, Bolt's string logger). */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return `${err.name}: ${safeMessage(err.name, err.message)}`;
}

export interface LoggerOptions {
  /** Values masked wherever they appear in a line (see `secretsOf`). */
  secrets?: readonly string[];
}

export function createLogger(level = 'info', destination?: DestinationStream, options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= MIN_MASKED_LENGTH);
  const target = destination ?? pino.destination({ dest: 1, sync: true });
  // Masking the finished line covers the message, bindings and every nested field in one pass.
  const masked: DestinationStream = { write: (line: string) => target.write(maskSecrets(line, secrets)) };
  return pino(
    {
      level,
      redact: { paths: redactedPaths, censor: MASK },
      serializers: { err: serializeError, error: serializeError },
      base: { app: 'slack-crm' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    masked,
  );
}
