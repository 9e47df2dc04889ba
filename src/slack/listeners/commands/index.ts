import type { App } from '@slack/bolt';
import type { AppContext } from '../../../app-context';
import { crmCommand } from './crm';

/** The slash commands; `/crm` routes to one file per subcommand (subcommands.ts lists them). */
export function registerCommands(app: App, deps: AppContext): void {
  app.command('/crm', crmCommand(deps));
}
