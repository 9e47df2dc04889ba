import type { App } from '@slack/bolt';
import type { AppDeps } from '../../deps';
import { registerEvents } from './events';
import { registerCommands } from './commands';
import { registerActions } from './actions';
import { registerViews } from './views';
import { registerShortcuts } from './shortcuts';

export function registerListeners(app: App, deps: AppDeps): void {
  registerEvents(app, deps);
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerShortcuts(app, deps);
}
