/**
 * Lets a benchmark file run on its own (`npx tsx bench/home.bench.ts`) as well as through
 * `npm run bench`: when `mod` is the entry point, runs `bench` and prints its figures.
 */
export function runWhenMain(
  mod: NodeJS.Module,
  bench: () => Promise<Record<string, unknown> | Record<string, unknown>[]>,
): void {
  if (require.main !== mod) return;
  bench().then(
    (rows) => {
      console.table(Array.isArray(rows) ? rows : [rows]);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
