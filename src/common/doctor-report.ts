/**
 * The doctor's findings: one result per check, in the order they are shown. Shared by the
 * terminal report (`npm run doctor`) and the Slack one (`/crm doctor`, *Check setup*).
 */

/** ok ✓, warn ! (works, but worth a look), fail ✗ (something will not work), skip – (not checked or not used). */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export type CheckId =
  | 'config'
  | 'database'
  | 'migrations'
  | 'slack_token'
  | 'slack_scopes'
  | 'socket_mode'
  | 'digest_channel'
  | 'metabase'
  | 'customers_card'
  | 'orders_card';

export interface CheckResult {
  id: CheckId;
  /** Short name shown in front of the finding, e.g. "Slack scopes". */
  title: string;
  status: CheckStatus;
  /** One line: what was found. */
  finding: string;
  /** What to do about it, for a warning or a failure. */
  fix?: string;
  /** Further lines, e.g. each bad variable or each kind of rejected row. */
  details?: string[];
}

export interface DoctorReport {
  checkedAt: Date;
  checks: CheckResult[];
}

export interface ReportSummary {
  failures: number;
  warnings: number;
  /** True when nothing failed (warnings allowed). */
  ok: boolean;
}

export function summarise(report: DoctorReport): ReportSummary {
  const failures = report.checks.filter((c) => c.status === 'fail').length;
  const warnings = report.checks.filter((c) => c.status === 'warn').length;
  return { failures, warnings, ok: failures === 0 };
}

/** One line for the end of the report, e.g. "2 problems, 1 warning". */
export function summaryLine(summary: ReportSummary): string {
  const { failures, warnings } = summary;
  if (failures === 0 && warnings === 0) return 'Everything checked is in order.';
  const parts = [];
  if (failures) parts.push(`${failures} problem${failures === 1 ? '' : 's'} to fix`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return `${parts.join(', ')}.`;
}

/** A check that did not run, and why. */
export function skipped(id: CheckId, title: string, reason: string): CheckResult {
  return { id, title, status: 'skip', finding: reason };
}

/**
 * Replaces every occurrence of the given secret values in the report's text. The checks
 * never put a secret in a finding; this is the guard in case an error message from a
 * library ever quotes one.
 */
export function withoutSecrets(report: DoctorReport, secrets: readonly (string | undefined)[]): DoctorReport {
  const values = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  if (values.length === 0) return report;
  const clean = (text: string) => values.reduce((t, secret) => t.split(secret).join('[redacted]'), text);
  return {
    ...report,
    checks: report.checks.map((c) => ({
      ...c,
      title: clean(c.title),
      finding: clean(c.finding),
      ...(c.fix !== undefined ? { fix: clean(c.fix) } : {}),
      ...(c.details ? { details: c.details.map(clean) } : {}),
    })),
  };
}
