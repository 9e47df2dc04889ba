import { DEMO_NAMES } from './demo-data';
import { type FontMetrics, loadFontMetrics } from './render/font-metrics';
import { svgToPng } from './render/png';
import { renderSurfaceSvg } from './render/surface';
import type { Preview } from './surfaces';

/**
 * Each preview drawn as Slack would show it, to PNG. The same demo data, renderer and
 * font files give the same bytes on every machine, so the pictures in docs/ are checked
 * against what `npm run preview` writes.
 */

/** The surfaces the README and docs show; `npm run preview -- --update-docs` refreshes them. */
export const DOCS_SURFACES = [
  'home-account-manager',
  'lead-card',
  'modal-stage-change',
  'message-follow-up-dm',
  'message-morning-agenda',
];

/** The clock time beside a message's sender: the demo's "now" (10:00 in Dubai). */
const MESSAGE_TIME = '10:00';

export function previewSvg(preview: Preview, fonts: FontMetrics): string {
  return renderSurfaceSvg(preview.kind, preview.payload, {
    fonts,
    users: DEMO_NAMES.users,
    channels: DEMO_NAMES.channels,
    appName: 'CRM',
    messageTime: MESSAGE_TIME,
  });
}

export function previewPictures(previews: Preview[]): Map<string, Buffer> {
  const fonts = loadFontMetrics();
  return new Map(previews.map((p) => [p.name, svgToPng(previewSvg(p, fonts))]));
}
