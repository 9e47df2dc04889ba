import type { AppContext } from '../../../app-context';
import type { SnoozeLength } from '../../../domain/alerts/alerts';
import type { ButtonListener } from '../types';
import { resolveFollowUp } from './alert-resolve';

/** "Snooze 1 day" / "Snooze 1 week" on a follow-up DM. */
export function alertSnooze(deps: AppContext, length: SnoozeLength): ButtonListener {
  return resolveFollowUp(deps, length);
}
