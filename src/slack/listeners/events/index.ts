import type { App } from '@slack/bolt';
import type { AppContext } from '../../../app-context';
import { appHomeOpened } from './app-home-opened';

export function registerEvents(app: App, deps: AppContext): void {
  app.event('app_home_opened', appHomeOpened(deps));
}
