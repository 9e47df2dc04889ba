import pino, { type DestinationStream, type Logger } from 'pino';
import { serializeError } from './error-serializer';
import { MASK, MIN_MASKED_LENGTH, maskSecrets } from './secret-masking';

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
