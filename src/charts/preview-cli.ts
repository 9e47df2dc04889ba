import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { demoDigestFigures } from './demo-digest';
import { renderPipelineChart } from './pipeline-chart';
import { pipelineChartData } from './pipeline-chart-data';

/**
 * `npm run chart:preview [-- <file.png>]`: draws the digest picture from demo figures, so it
 * can be looked at without Slack (default preview/digest-chart.png, git-ignored), and
 * prints its alt text.
 */
async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'preview/digest-chart.png');
  const data = pipelineChartData(demoDigestFigures(), { stageLabels: {}, timeZone: 'Asia/Dubai' });
  const { png, altText } = await renderPipelineChart(data);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, png);
  process.stdout.write(
    `${out} (${png.length.toLocaleString('en-US')} bytes)\nalt text (${altText.length} characters): ${altText}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`chart preview failed: ${(err as Error).message}\n`);
  process.exit(1);
});
