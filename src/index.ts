// Entry point: environment -> config -> dependencies -> Bolt app -> schedules.
// The only module that reads process.env.
import { ConfigError, loadConfig } from './config';
import { createLogger, describeError, maskSecrets, secretsOf } from './logger';
import { type RunningServer, startServer } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee README.md, section "Configuration".\n`);
      process.exit(1);
    }
    throw err;
  }
  const secrets = secretsOf(config);
  const logger = createLogger(config.LOG_LEVEL, undefined, { secrets });
  // Last resort: Node would print the whole error object (request headers and bodies
  // included) to stderr. A stray rejection is logged and the app keeps serving; an
  // uncaught exception leaves unknown state, so it is logged and the process exits.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  let server: RunningServer;
  try {
    server = await startServer({ config, logger });
  } catch (err) {
    logger.fatal({ err }, 'failed to start');
    // The error's own words, without what it carried (URLs with passwords, request bodies).
    process.stderr.write(`Failed to start: ${maskSecrets(describeError(err), secrets)}\n`);
    process.exit(1);
  }

  let signals = 0;
  const shutdown = (signal: string) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    logger.info({ signal }, 'shutting down: finishing in-flight work');
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Failed to start: ${maskSecrets(describeError(err), [])}\n`);
  process.exit(1);
});
