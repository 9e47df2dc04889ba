// `npm run backup`: one verified backup of the SQLite database now, into CRM_BACKUP_DIR.

import { systemClock } from '../clock';
import { configSchema } from '../config';
import { loadDotEnvOrExit } from '../load-dot-env';
import { createLogger } from '../logger';
import { backupSettings } from './backup-settings';
import { takeManualBackup } from './manual-backup';

async function main(): Promise<number> {
  loadDotEnvOrExit(2);
  const parsed = configSchema
    .pick({
      DATABASE_URL: true,
      CRM_BACKUP_DIR: true,
      CRM_BACKUP_INTERVAL_HOURS: true,
      CRM_BACKUP_KEEP_DAILY: true,
      CRM_BACKUP_KEEP_WEEKLY: true,
    })
    .safeParse(process.env);
  if (!parsed.success) {
    console.error(
      `Configuration error: ${parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join('; ')}`,
    );
    return 2;
  }
  // CRM_BACKUP=off stops the schedule only: asking for a backup by hand always takes one.
  const settings = backupSettings({ ...parsed.data, CRM_BACKUP: true });
  if (settings.mode !== 'sqlite') {
    console.error(
      'DATABASE_URL points at PostgreSQL: back it up with pg_dump (see docs/operations.md). The CRM takes no PostgreSQL backups itself.',
    );
    return 2;
  }
  const result = await takeManualBackup({
    databaseUrl: parsed.data.DATABASE_URL,
    target: settings,
    clock: systemClock,
    logger: createLogger(process.env.LOG_LEVEL || 'warn'),
  });
  if (result.status === 'failed') {
    console.error(`Backup failed: ${result.error}`);
    return 1;
  }
  // Prisma's migration history is not CRM data.
  const tables = Object.entries(result.manifest.tableCounts).filter(([t]) => !t.startsWith('_'));
  const rows = tables.reduce((n, [, c]) => n + c, 0);
  console.log(`Backup written and verified: ${result.path}`);
  console.log(
    `  ${result.manifest.bytes.toLocaleString('en-US')} bytes, ${rows.toLocaleString('en-US')} rows in ${tables.length} tables, integrity ok, migration ${result.manifest.migration ?? 'none'}`,
  );
  if (result.pruned.length) console.log(`  retention deleted ${result.pruned.length} older backup(s)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`Backup failed: ${err.message}`);
    process.exit(1);
  },
);
