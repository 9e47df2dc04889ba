import type { Subcommand } from './types';

/** Every /crm subcommand, in the order `/crm help` lists them. Features add theirs here. */
export const SUBCOMMANDS: Subcommand[] = [];

export function findSubcommand(name: string): Subcommand | undefined {
  return SUBCOMMANDS.find((s) => s.name === name.toLowerCase());
}
