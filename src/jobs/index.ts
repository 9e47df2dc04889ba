import { backupJob } from './backup';
import { digestJob } from './digest-job';
import { followUpJob } from './follow-up-job';
import { morningAgendaJob } from './morning-agenda';
import type { Job } from './scheduler';

/** Every scheduled job of the app. Features add theirs here. */
export function allJobs(): Job[] {
  return [digestJob, followUpJob(), morningAgendaJob(), backupJob];
}
