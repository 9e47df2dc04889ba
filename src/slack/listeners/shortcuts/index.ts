import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { registerLogToCrmShortcut } from './log-to-crm';
import { registerLeadSelectOptions } from './lead-select-options';

export function registerShortcuts(app: App, deps: AppDeps): void {
  // Listeners of this kind are registered here, one file per callback.
  registerLogToCrmShortcut(app, deps);
  registerLeadSelectOptions(app, deps);
}
