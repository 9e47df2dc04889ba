import { Resvg } from '@resvg/resvg-js';
import { FACE_FILES } from './font-metrics';

/**
 * SVG to PNG with resvg, from the DejaVu files the layout was measured with and no system
 * font, so the bytes are the same on every machine.
 */
export function svgToPng(svg: string, scale = 1.5): Buffer {
  return new Resvg(svg, {
    font: {
      fontFiles: Object.values(FACE_FILES),
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
      monospaceFamily: 'DejaVu Sans Mono',
    },
    fitTo: { mode: 'zoom', value: scale },
  })
    .render()
    .asPng();
}
