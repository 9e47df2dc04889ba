import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { registerAdminSettingsSubmissions } from './admin-settings';

export function registerViews(app: App, deps: AppDeps): void {
  // Listeners of this kind are registered here, one file per callback.
  registerAdminSettingsSubmissions(app, deps);
}
