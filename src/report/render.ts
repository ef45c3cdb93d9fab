import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Headless rendering: vega-lite -> vega -> SVG (no canvas), SVG -> PNG with resvg. */

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** 2x for sharp text on high-density screens and in slides. */
const PNG_SCALE = 2;

/**
 * resvg draws no text without fonts: it loads the system's, and maps the generic 'sans-serif'
 * vega writes to DejaVu Sans (Debian's fonts-dejavu-core) when present.
 */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
