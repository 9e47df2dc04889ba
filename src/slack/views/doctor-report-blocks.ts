import type { KnownBlock, ModalView } from '@slack/types';
import {
  type CheckResult,
  type CheckStatus,
  type DoctorReport,
  summarise,
  summaryLine,
} from '../../common/doctor-report';
import { escapeMrkdwn, truncate } from './mrkdwn';

const EMOJI: Record<CheckStatus, string> = {
  ok: ':white_check_mark:',
  warn: ':warning:',
  fail: ':x:',
  skip: ':heavy_minus_sign:',
};
const TITLE = 'Setup check';

/** One check as a section: mark, name and finding, then its details and the fix. Findings are plain text, so escaped. */
function checkBlock(check: CheckResult): KnownBlock {
  const lines = [`${EMOJI[check.status]} *${escapeMrkdwn(check.title)}*: ${escapeMrkdwn(check.finding)}`];
  for (const detail of check.details ?? []) lines.push(`• ${escapeMrkdwn(detail)}`);
  if (check.fix && (check.status === 'fail' || check.status === 'warn'))
    lines.push(`_Fix:_ ${escapeMrkdwn(check.fix)}`);
  return {
    type: 'section',
    block_id: `doctor:${check.id}`,
    text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 3000) },
  };
}

/** The report's blocks: one section per check, then when it ran and the summary. */
export function buildDoctorReportBlocks(report: DoctorReport): KnownBlock[] {
  const summary = summarise(report);
  const when = `${report.checkedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return [
    ...report.checks.map(checkBlock),
    {
      type: 'context',
      block_id: 'doctor:summary',
      elements: [
        {
          type: 'mrkdwn',
          text: `${summary.ok ? '' : ':x: '}${summaryLine(summary)} Checked ${when}; \`npm run doctor\` on the server prints the same report.`,
        },
      ],
    },
  ];
}

/** The report as an ephemeral message (`/crm doctor`). */
export function buildDoctorReportMessage(report: DoctorReport): { text: string; blocks: KnownBlock[] } {
  return {
    text: `${TITLE}: ${summaryLine(summarise(report))}`,
    blocks: [{ type: 'header', text: { type: 'plain_text', text: TITLE } }, ...buildDoctorReportBlocks(report)],
  };
}

/** While the checks run, and before the report is ready. */
export const DOCTOR_RUNNING_TEXT =
  ':hourglass_flowing_sand: Checking the configuration, the database, Slack and Metabase… this takes a few seconds.';

const DOCTOR_FAILED_TEXT =
  ':x: The setup check itself failed. It has been logged; `npm run doctor` on the server may say more.';

/** The *Check setup* modal: "checking…" while the checks run, then the report (or that the check itself failed). */
export function buildDoctorModal(state: DoctorReport | 'running' | 'failed'): ModalView {
  const message = (blockId: string, text: string): KnownBlock[] => [
    { type: 'section', block_id: blockId, text: { type: 'mrkdwn', text } },
  ];
  return {
    type: 'modal',
    title: { type: 'plain_text', text: TITLE },
    close: { type: 'plain_text', text: 'Close' },
    blocks:
      state === 'running'
        ? message('doctor:running', DOCTOR_RUNNING_TEXT)
        : state === 'failed'
          ? message('doctor:failed', DOCTOR_FAILED_TEXT)
          : buildDoctorReportBlocks(state),
  };
}
