import type { Subcommand } from './types';
import { syncSubcommand } from './sync';
import { digestSubcommand } from './digest';

/** Every /crm subcommand, in the order `/crm help` lists them. Features add theirs here. */
export const SUBCOMMANDS: Subcommand[] = [digestSubcommand, syncSubcommand];

export function findSubcommand(name: string): Subcommand | undefined {
  return SUBCOMMANDS.find((s) => s.name === name.toLowerCase());
}
