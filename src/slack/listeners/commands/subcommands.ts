import type { Subcommand } from './subcommand';
import { syncSubcommand } from './sync';
import { digestSubcommand } from './digest';
import { findCommand } from './find';
import { leadCommand } from './lead';
import { uncontactedCommand } from './uncontacted';
import { mineCommand } from './mine';
import { stageCommand } from './stage';
import { noteCommand } from './note';
import { ordersCommand } from './orders';
import { remindCommand } from './remind';
import { exportCommand } from './export';
import { doctorSubcommand } from './doctor';

/** Every /crm subcommand, in the order `/crm help` lists them. Features add theirs here. */
export const SUBCOMMANDS: Subcommand[] = [
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
