import type { App } from '@slack/bolt';
import type { AppContext } from '../../app-context';
import { registerEvents } from './events';
import { registerCommands } from './commands';
import { registerActions } from './actions';
import { registerViews } from './views';
import { registerShortcuts } from './shortcuts';
import { registerOptions } from './options';

export function registerListeners(app: App, deps: AppContext): void {
  registerEvents(app, deps);
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerShortcuts(app, deps);
  registerOptions(app, deps);
}
