import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Fails fast with a helpful message when the Prisma clients were not generated. */
export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '..', '..');
  for (const p of ['src/generated/sqlite/client.ts', 'src/generated/postgres/client.ts']) {
    if (!existsSync(join(root, p))) {
      throw new Error(`${p} is missing: run \`npm test\` (it generates the Prisma clients) or \`npm run generate\``);
    }
  }
}
