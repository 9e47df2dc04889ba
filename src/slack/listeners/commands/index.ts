import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { registerCrmCommand } from './crm';

export function registerCommands(app: App, deps: AppDeps): void {
  registerCrmCommand(app, deps);
}
