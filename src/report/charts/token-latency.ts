import type { LatencyStats, RunResult, TokenSummary } from '../../results/types.js';
import { runCaption, uniqueRunLabels } from '../describe.js';
import type { Chart } from '../types.js';
import { spec, titled } from './common.js';

export type TokenMeasure = 'TTFT' | 'TPOT' | 'ITL';

/** One bar: a run's percentile of one token latency. */
export interface TokenLatencyBar {
  readonly label: string;
  readonly runId: string;
  readonly measure: TokenMeasure;
  readonly percentile: string;
  readonly ms: number;
}

/** A token bound some run was judged against (ITL has none: MLPerf bounds TTFT and TPOT). */
export interface TokenBoundRule {
  readonly measure: TokenMeasure;
  readonly boundMs: number;
  readonly label: string;
}

/** The percentiles drawn, as result.json keys them. */
const PERCENTILES = [
  ['p50', '50'],
  ['p90', '90'],
  ['p99', '99'],
  ['p99.9', '99.9'],
] as const;

const PANELS = [
  { measure: 'TTFT', axisTitle: 'time to first token (ms)', stats: (t: TokenSummary) => t.ttftNs, boundMs: (t: TokenSummary) => t.ttftBoundMs },
  { measure: 'TPOT', axisTitle: 'time per output token (ms)', stats: (t: TokenSummary) => t.tpotNs, boundMs: (t: TokenSummary) => t.tpotBoundMs },
  { measure: 'ITL', axisTitle: 'inter-token latency (ms)', stats: (t: TokenSummary) => t.itlNs, boundMs: (_t: TokenSummary) => null },
] as const satisfies readonly {
  measure: TokenMeasure;
  axisTitle: string;
  stats: (t: TokenSummary) => LatencyStats | null;
  boundMs: (t: TokenSummary) => number | null;
}[];

const PANEL_WIDTH = 170;
const PANEL_HEIGHT = 240;

/** Runs that measured tokens, each with a label unique among them. */
function tokenRuns(runs: readonly RunResult[]): { run: RunResult; tokens: TokenSummary; label: string }[] {
  const withTokens = runs.filter((r) => r.summary.tokens !== undefined && r.summary.tokens !== null);
  const labels = uniqueRunLabels(withTokens);
  return withTokens.map((run, i) => ({ run, tokens: run.summary.tokens!, label: labels[i]! }));
}

/** Every run's TTFT, TPOT and ITL at p50, p90, p99, p99.9 (exact percentiles, completed requests), in ms. */
export function tokenLatencyBars(runs: readonly RunResult[]): TokenLatencyBar[] {
  return tokenRuns(runs).flatMap(({ run, tokens, label }) =>
    PANELS.flatMap((panel) => {
      const stats = panel.stats(tokens);
      return PERCENTILES.flatMap(([percentile, key]) => {
        const ns = stats?.percentilesNs[key];
        return ns === undefined ? [] : [{ label, runId: run.runId, measure: panel.measure, percentile, ms: ns / 1e6 }];
      });
    }),
  );
}

/** The distinct TTFT and TPOT bounds of the runs, one rule each. */
export function tokenBoundRules(runs: readonly RunResult[]): TokenBoundRule[] {
  const rules: TokenBoundRule[] = [];
  for (const panel of PANELS) {
    const bounds = tokenRuns(runs).map(({ tokens }) => panel.boundMs(tokens));
    for (const boundMs of new Set(bounds)) {
      if (boundMs !== null) rules.push({ measure: panel.measure, boundMs, label: `bound ${boundMs} ms (p99)` });
    }
  }
  return rules;
}

/**
 * LLM runs' token latencies side by side: one panel each for TTFT, TPOT and ITL (their scales
 * differ tenfold), bars per percentile, one colour per run; a run's TTFT and TPOT bounds as
 * dashed rules. null when no run measured tokens.
 */
export function tokenLatency(runs: readonly RunResult[]): Chart | null {
  const measured = tokenRuns(runs);
  if (measured.length === 0) return null;
  const bars = tokenLatencyBars(runs);
  const rules = tokenBoundRules(runs);
  const color = { field: 'label', type: 'nominal', legend: { title: null, orient: 'bottom', columns: 1, labelLimit: 900 } };
  const panels = PANELS.map((panel) => {
    const y = { field: 'ms', type: 'quantitative', axis: { title: panel.axisTitle } };
    const panelRules = rules.filter((r) => r.measure === panel.measure);
    const layers: Record<string, unknown>[] = [
      {
        data: { values: bars.filter((b) => b.measure === panel.measure) },
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'percentile', type: 'ordinal', sort: PERCENTILES.map(([p]) => p), axis: { title: 'percentile', labelAngle: 0 } },
          xOffset: { field: 'label', type: 'nominal' },
          y,
          color,
          tooltip: [{ field: 'label', title: 'run' }, { field: 'runId' }, { field: 'percentile' }, { field: 'ms', type: 'quantitative', format: '.3f', title: `${panel.measure} (ms)` }],
        },
      },
    ];
    if (panelRules.length > 0) {
      layers.push({
        data: { values: panelRules },
        layer: [
          { mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4] }, encoding: { y: { field: 'boundMs', type: 'quantitative' } } },
          { mark: { type: 'text', color: '#d62728', align: 'left', dx: 2, dy: -6, x: 0 }, encoding: { y: { field: 'boundMs', type: 'quantitative' }, text: { field: 'label' } } },
        ],
      });
    }
    // Short panel titles: headless vega guesses text widths and pads a concat column to a long title.
    return { title: panel.measure, width: PANEL_WIDTH, height: PANEL_HEIGHT, layer: layers };
  });
  const n = measured.length;
  return {
    id: 'token-latency',
    title: 'Token latencies',
    caption: measured.map(({ run, label }) => `${label}: ${runCaption(run)}`).join(' '),
    spec: spec({
      title: titled(
        'Token latencies',
        `${n} LLM run${n === 1 ? '' : 's'}; exact percentiles over completed requests`,
        'TPOT per request; ITL per gap between token chunks',
        rules.length > 0 ? 'dashed: the TTFT and TPOT bounds, judged at p99' : 'no token bounds set',
      ),
      hconcat: panels,
      resolve: { scale: { color: 'shared', y: 'independent' } },
    }),
  };
}
