import pino, { type Logger, type DestinationStream } from 'pino';

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

/** Slack tokens (bot, user, app, config) and bearer credentials, wherever they appear in a string. */
const SECRET_IN_TEXT = /\bxox[a-z]-[A-Za-z0-9-]+|\bxapp-[A-Za-z0-9-]+|\bBearer\s+[^\s"',;]+/gi;

export function scrubSecrets(text: string): string {
  return text.replace(SECRET_IN_TEXT, '[redacted]');
}

/** Error fields kept in logs; anything else (an HTTP client's `config`, `request`, `original`) may carry credentials. */
const KEPT_ERROR_FIELDS = new Set(['type', 'message', 'stack', 'code', 'data', 'statusCode', 'retryAfter', 'meta', 'name', 'field', 'cause']);

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(v, depth + 1)]));
}

/**
 * Errors as logged: pino's standard fields and a few known-safe ones (a Slack error's
 * `code` and `data`, a status code), every string scrubbed of tokens. A Web API request
 * error carries the HTTP client's request, headers included (`Authorization: Bearer
 * xoxb-…`): that part is never logged.
 */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: scrubSecrets(typeof err === 'string' ? err : JSON.stringify(err) ?? String(err)) };
  const standard = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(standard)) {
    if (!KEPT_ERROR_FIELDS.has(key)) continue;
    out[key] = key === 'cause' && value instanceof Error ? serializeError(value) : scrubValue(value);
  }
  return out;
}

export function createLogger(level: string = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      serializers: { err: serializeError },
      base: { app: 'slack-crm' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
