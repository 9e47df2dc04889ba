import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { registerAppHomeOpened } from './app-home-opened';

export function registerEvents(app: App, deps: AppDeps): void {
  registerAppHomeOpened(app, deps);
}
