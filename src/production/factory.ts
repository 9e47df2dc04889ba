import type { MetabaseConfig } from '../config';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { ProductionReader } from './types';

/** Builds the Metabase-backed reader. Replaced by the real client once it lands. */
export function createProductionReaderFromConfig(_config: MetabaseConfig, _logger: Logger, _clock: Clock): ProductionReader | null {
  return null;
}
