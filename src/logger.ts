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

export function createLogger(level: string = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      base: { app: 'slack-crm' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
