import type { EmbeddedPostgres } from './embedded-postgres';
import { EMBEDDED_KEY, SQLITE_TEMPLATE_KEY } from './global-setup';

/**
 * Deletes the SQLite template global-setup.ts migrated, and stops the embedded PostgreSQL
 * server it started, if it did, and deletes its folder.
 */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as typeof globalThis & {
    [EMBEDDED_KEY]?: EmbeddedPostgres;
    [SQLITE_TEMPLATE_KEY]?: { remove(): void };
  };
  holder[SQLITE_TEMPLATE_KEY]?.remove();
  delete holder[SQLITE_TEMPLATE_KEY];
  const server = holder[EMBEDDED_KEY];
  if (!server) return;
  delete holder[EMBEDDED_KEY];
  await server.stop();
}
