// Entry point: .env and environment -> config -> dependencies -> Bolt app -> schedules.
// The only module that reads process.env.
import { setFlagsFromString } from 'node:v8';
import { type AppConfig, ConfigError, loadConfig } from './config';
import { describeError } from './error-serializer';
import { DotEnvError, loadDotEnv } from './load-dot-env';
import { createLogger } from './logger';
import { maskSecrets, secretsOf } from './secret-masking';
import type { RunningServer } from './server';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    loadDotEnv();
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DotEnvError) {
      process.stderr.write(`${err.message}\nSee docs/deployment.md, section "Configuration".\n`);
      process.exit(1);
    }
    throw err;
  }
  const secrets = secretsOf(config);
  const logger = createLogger(config.LOG_LEVEL, undefined, { secrets });
  // Last resort: every promise is meant to be handled where it is made. One that is not is a
  // bug to fix, but must not stop a process serving everyone else (Node's default is to exit,
  // printing the whole error object, request headers and bodies included, to stderr). An
  // uncaught exception leaves unknown state, so it is logged and the process exits.
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection: logged, still serving');
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  const failed = (err: unknown) => {
    logger.fatal({ err }, 'failed to start');
    // The error's own words, without what it carried (URLs with passwords, request bodies).
    process.stderr.write(`Failed to start: ${maskSecrets(describeError(err), secrets)}\n`);
    process.exit(1);
  };

  // Signals are handled from here on: while the rest of the app loads, while the database is
  // migrated, before the socket connects. A stop asked for during start-up waits for the start
  // to finish, then stops the same way; one asked for before it began just exits.
  let starting: Promise<RunningServer> | null = null;
  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    logger.info({ signal }, 'shutting down: finishing in-flight work');
    if (!starting) process.exit(0);
    starting
      .then((server) => server.stop())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'error while shutting down');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  // Prisma's query compiler is WebAssembly: compiled by V8's baseline compiler only, it takes
  // about 25 MB less memory than with the optimising tier on top, for about a tenth more time
  // per Prisma query (docs/benchmarks.md). Set before anything compiles it.
  setFlagsFromString('--liftoff-only');
  // Loaded after the handlers are in place: most of the start-up time is spent loading it.
  const { startServer } = require('./server') as typeof import('./server');
  starting = startServer({ config, logger, onFatal: failed });
  await starting.catch(failed);
}

main().catch((err: unknown) => {
  process.stderr.write(`Failed to start: ${maskSecrets(describeError(err), [])}\n`);
  process.exit(1);
});
