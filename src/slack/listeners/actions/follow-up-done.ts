import type { AppContext } from '../../../app-context';
import type { ButtonListener } from '../listener-types';
import { resolveFollowUp } from './follow-up-resolve';

/** "Done" on a follow-up DM. */
export function followUpDone(deps: AppContext): ButtonListener {
  return resolveFollowUp(deps, 'done');
}
