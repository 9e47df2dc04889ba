import { digestSubcommand } from './digest';
import { doctorSubcommand } from './doctor';
import { exportCommand } from './export';
import { findCommand } from './find';
import { leadCommand } from './lead';
import { mineCommand } from './mine';
import { noteCommand } from './note';
import { ordersCommand } from './orders';
import { remindCommand } from './remind';
import { stageCommand } from './stage';
import type { Subcommand } from './subcommand';
import { syncSubcommand } from './sync';
import { todayCommand } from './today';
import { uncontactedCommand } from './uncontacted';

/** Every /crm subcommand, in the order `/crm help` lists them. Features add theirs here. */
export const SUBCOMMANDS: Subcommand[] = [
  todayCommand,
  findCommand,
  leadCommand,
  ordersCommand,
  uncontactedCommand,
  mineCommand,
  stageCommand,
  noteCommand,
  remindCommand,
  digestSubcommand,
  exportCommand,
  syncSubcommand,
  doctorSubcommand,
];

export function findSubcommand(name: string): Subcommand | undefined {
  return SUBCOMMANDS.find((s) => s.name === name.toLowerCase());
}
