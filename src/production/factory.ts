import type { MetabaseConfig } from '../config';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { createProductionReader } from './metabase-client';
import type { ProductionReader } from './types';

/** Builds the Metabase-backed reader from the validated configuration. */
export function createProductionReaderFromConfig(config: MetabaseConfig, logger: Logger, clock: Clock): ProductionReader | null {
  return createProductionReader(config, logger, clock);
}
