import type { Logger as BoltLogger } from '@slack/bolt';
// Not from Bolt's index, which loads receivers this app never uses (see ../app.ts).
import { LogLevel } from '@slack/bolt/dist/App';
import { describeError } from '../../error-serializer';
import type { Logger } from '../../logger';

/** Bolt's logger interface backed by our pino logger, so Bolt's own messages are structured and redacted. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.INFO;
  // Errors as name and message only: their other fields can hold request headers and bodies.
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? describeError(m) : String(m))).join(' ');
  return {
    // Bolt and the Web API client write whole request bodies at debug level: only when asked for.
    debug: (...msg: unknown[]) => {
      if (level === LogLevel.DEBUG) child.debug(text(msg));
    },
    info: (...msg: unknown[]) => child.info(text(msg)),
    warn: (...msg: unknown[]) => child.warn(text(msg)),
    error: (...msg: unknown[]) => child.error(text(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
