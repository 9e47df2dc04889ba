/**
 * Shared measuring helpers of the benchmarks: percentiles, peak RSS, the sizes and
 * providers a run covers (environment variables, so `npm run bench` stays a few minutes by
 * default and a growth run is one variable away), and the ratio to a floor.
 */

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Samples this process's RSS until stopped; returns the peak in MB. */
export function rssSampler(): () => number {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage.rss());
    return Math.round(peak / 1024 / 1024);
  };
}

/**
 * Customer counts to run at: `BENCH_SIZES=10000,50000,200000` (the growth run), else the
 * benchmark's default.
 */
export function benchSizes(defaults: readonly number[]): number[] {
  const raw = process.env.BENCH_SIZES;
  if (!raw) return [...defaults];
  const sizes = raw.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`BENCH_SIZES must be a comma list of positive integers, got ${raw}`);
  return sizes;
}

export type BenchProvider = 'sqlite' | 'postgres';

/** Databases to run on: `BENCH_PROVIDERS=sqlite` (or `postgres`, or both), else the benchmark's default. */
export function benchProviders(defaults: readonly BenchProvider[] = ['sqlite', 'postgres']): BenchProvider[] {
  const raw = process.env.BENCH_PROVIDERS ?? defaults.join(',');
  const list = raw.split(',').map((s) => s.trim());
  for (const p of list)
    if (p !== 'sqlite' && p !== 'postgres') throw new Error(`BENCH_PROVIDERS: unknown provider ${p}`);
  return list as BenchProvider[];
}

/** `figure / floor`, one decimal (the floor is measured in the same run on the same data). */
export function ratio(figure: number, floor: number): string {
  return floor > 0 ? `${(figure / floor).toFixed(1)}x` : 'n/a';
}

export const ms = (n: number): number => (n < 10 ? Math.round(n * 10) / 10 : Math.round(n));

export const thousands = (n: number): string => n.toLocaleString('en-US');
