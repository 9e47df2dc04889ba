import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { registerHomeFilter } from './home-filter';
import { registerHomePaging } from './home-paging';
import { registerHomeRefresh } from './home-refresh';

export function registerActions(app: App, deps: AppDeps): void {
  // Listeners of this kind are registered here, one file per callback.
  registerHomeFilter(app, deps);
  registerHomePaging(app, deps);
  registerHomeRefresh(app, deps);
}
