import type { AppDeps } from './deps';
import type { PipelineCache } from './domain/pipeline';
import type { SyncCoordinator } from './domain/sync-coordinator';
import type { ImportProgressHomes } from './slack/import-progress-homes';
import type { HomePublisher } from './slack/publish-home';
import type { AppHomeUrl } from './slack/web-api/app-home-url';

/** State that lives as long as the app: built once by `createAppServices` in server.ts. */
export interface AppServices {
  /** Single-flight lead sync for this process. */
  syncCoordinator: SyncCoordinator;
  /** Pipeline results shared between viewers asking the same question of the same data. */
  pipelineCache: PipelineCache;
  /** Publishes Home tabs, in order per user. */
  homePublisher: HomePublisher;
  /** The Home tabs that follow the first sync (an import) as it goes. */
  importProgressHomes: ImportProgressHomes;
  /** The Home tab's deep link, looked up once. */
  appHomeUrl: AppHomeUrl;
}

/** Everything a listener or job gets. */
export type AppContext = AppDeps & AppServices;
