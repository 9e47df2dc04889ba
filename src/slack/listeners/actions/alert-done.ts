import type { AppContext } from '../../../app-context';
import type { ButtonListener } from '../types';
import { resolveFollowUp } from './alert-resolve';

/** "Done" on a follow-up DM. */
export function alertDone(deps: AppContext): ButtonListener {
  return resolveFollowUp(deps, 'done');
}
