import type { TopLevelSpec } from 'vega-lite';

/** What every chart shares: schema, size, a white background (PNG has no page behind it). */
export const VL_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export const BASE = {
  $schema: VL_SCHEMA,
  background: 'white',
  padding: 12,
  config: {
    title: { fontSize: 15, anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555' },
    axis: { labelFontSize: 11, titleFontSize: 12 },
    legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 420 },
  },
} as const;

export const WIDTH = 560;
export const HEIGHT = 300;

/**
 * A short title and subtitle lines saying what ran, so a PNG alone still says it. Long titles are
 * avoided: headless vega estimates text width without a canvas and pads the picture for it.
 */
export function titled(title: string, ...subtitle: string[]): { text: string; subtitle: string[] } {
  return { text: title, subtitle };
}

export function spec(s: Record<string, unknown>): TopLevelSpec {
  return { ...BASE, ...s } as unknown as TopLevelSpec;
}
