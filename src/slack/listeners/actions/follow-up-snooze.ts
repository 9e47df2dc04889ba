import type { AppContext } from '../../../app-context';
import type { SnoozeLength } from '../../../domain/follow-ups/follow-ups';
import type { ButtonListener } from '../listener-types';
import { resolveFollowUp } from './follow-up-resolve';

/** "Snooze 1 day" / "Snooze 1 week" on a follow-up DM. */
export function followUpSnooze(deps: AppContext, length: SnoozeLength): ButtonListener {
  return resolveFollowUp(deps, length);
}
