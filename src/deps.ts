import type { Clock } from './clock';
import type { AppConfig } from './config';
import type { Database } from './db/client';
import type { Logger } from './logger';
import type { ProductionReader } from './production/types';

/**
 * What the app is given from outside, passed in so a test can build the whole app against
 * a temporary database, fake servers and a controllable clock. Only src/index.ts reads the
 * environment.
 */
export interface AppDeps {
  config: AppConfig;
  db: Database;
  /** Null when METABASE_URL is unset: the app runs, sync is off, the Home tab says so. */
  production: ProductionReader | null;
  clock: Clock;
  logger: Logger;
  /** Identifies this process in leases shared with other instances. */
  instanceId: string;
}
