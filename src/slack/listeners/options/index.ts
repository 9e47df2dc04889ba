import type { App } from '@slack/bolt';
import type { AppContext } from '../../../app-context';
import { ACTION_IDS } from '../../views/action-ids';
import { leadSelectOptions } from './lead-select-options';

/** External select menus' options (block_suggestion), by action id. */
export function registerOptions(app: App, deps: AppContext): void {
  app.options<'block_suggestion'>(ACTION_IDS.leadSelect, leadSelectOptions(deps));
}
