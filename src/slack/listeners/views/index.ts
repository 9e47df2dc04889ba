import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';

export function registerViews(_app: App, _deps: AppDeps): void {
  // Listeners of this kind are registered here, one file per callback.
}
