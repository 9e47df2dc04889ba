import type { AppServices } from './app-context';
import type { AppDeps } from './deps';
import { PipelineCache } from './domain/pipeline';
import { SyncCoordinator } from './domain/sync-coordinator';
import { ImportProgressHomes } from './slack/import-progress-homes';
import { HomePublisher } from './slack/publish-home';
import { AppHomeUrl } from './slack/web-api/app-home-url';
import type { ViewsPublish } from './slack/web-api/views-publish';

/**
 * Builds the app-lifetime state once, for one running app (server.ts calls it at start).
 * `viewsPublish`: how Home views are sent (the running app: as JSON, slackViewsPublish).
 */
export function createAppServices(deps: AppDeps, options: { viewsPublish?: ViewsPublish } = {}): AppServices {
  const syncCoordinator = new SyncCoordinator(deps);
  const pipelineCache = new PipelineCache();
  const homePublisher = new HomePublisher(deps, { syncCoordinator, pipelineCache }, options.viewsPublish);
  return {
    syncCoordinator,
    pipelineCache,
    homePublisher,
    importProgressHomes: new ImportProgressHomes(deps, homePublisher, syncCoordinator),
    appHomeUrl: new AppHomeUrl(deps.logger),
  };
}
