import { type CheckStatus, type DoctorReport, summarise, summaryLine } from '../common/doctor-report';

const MARK: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '–' };
const COLOUR: Record<CheckStatus, string> = { ok: '\x1b[32m', warn: '\x1b[33m', fail: '\x1b[31m', skip: '\x1b[2m' };
const RESET = '\x1b[0m';

/**
 * The report as terminal text: one line per check (mark, name, finding), then its details
 * and the fix, indented under it; a summary at the end. Colour only when asked for.
 */
export function formatDoctorReport(report: DoctorReport, options: { colour?: boolean } = {}): string {
  const width = Math.max(...report.checks.map((c) => c.title.length));
  const paint = (status: CheckStatus, text: string) => (options.colour ? `${COLOUR[status]}${text}${RESET}` : text);
  const indent = ' '.repeat(width + 4);
  const lines = [`CRM doctor, ${report.checkedAt.toISOString().replace(/\.\d+Z$/, 'Z')}`, ''];
  for (const check of report.checks) {
    lines.push(`${paint(check.status, MARK[check.status])} ${check.title.padEnd(width)}  ${check.finding}`);
    for (const detail of check.details ?? []) lines.push(`${indent}- ${detail}`);
    if (check.fix && (check.status === 'fail' || check.status === 'warn')) lines.push(`${indent}fix: ${check.fix}`);
  }
  const summary = summarise(report);
  lines.push('', paint(summary.ok ? (summary.warnings ? 'warn' : 'ok') : 'fail', summaryLine(summary)));
  return `${lines.join('\n')}\n`;
}
