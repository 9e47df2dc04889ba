// `npm run restore -- <file>`: restores a backup (.db) or imports a CRM data export (.json)
// into DATABASE_URL, with every check first. See docs/operations.md.
import { loadDotEnvOrExit } from '../load-dot-env';
import { RestoreRefusedError, restoreFromFile } from './restore';

async function main(): Promise<number> {
  loadDotEnvOrExit(2);
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    console.error('usage: npm run restore -- <backup.db | crm-data.json>');
    return 2;
  }
  const databaseUrl = process.env.DATABASE_URL || 'file:./data/crm.db';
  const report = await restoreFromFile({ file, databaseUrl, now: new Date(), say: (line) => console.log(line) });
  // Prisma's migration history is not CRM data.
  const tables = Object.entries(report.rowCounts).filter(([t]) => !t.startsWith('_'));
  const rows = tables.reduce((n, [, c]) => n + c, 0);
  console.log(report.kind === 'sqlite-backup' ? 'Backup restored.' : 'Data export imported.');
  console.log(`  ${rows.toLocaleString('en-US')} rows in ${tables.length} tables`);
  if (report.migrated.length) console.log(`  migrations applied after the restore: ${report.migrated.join(', ')}`);
  if (report.setAside) console.log(`  the replaced database is kept as ${report.setAside}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(
      err instanceof RestoreRefusedError ? `Not restored: ${err.message}` : `Restore failed: ${err.message}`,
    );
    process.exit(1);
  },
);
