import type { EarlyStoppingResult, LatencyStats, TokenSummary } from './types.js';

const ms = (ns: number): string => (ns / 1e6).toFixed(3);

/** The LLM part of the summary: TTFT/TPOT/ITL side by side, token counts, rates and goodput. */
export function formatTokens(t: TokenSummary, origin: 'scheduled' | 'issue'): string[] {
  const columns: [string, LatencyStats | null][] = [
    ['TTFT (ms)', t.ttftNs],
    ['TPOT (ms)', t.tpotNs],
    ['ITL (ms)', t.itlNs],
  ];
  const shown = columns.filter((c): c is [string, LatencyStats] => c[1] !== null);
  const lines = [`Token latencies (TTFT from each query's ${origin} time; failures excluded here, counted as over in verdicts):`];
  if (shown.length === 0) {
    lines.push('  no token arrived');
  } else {
    const keys = [...new Set(shown.flatMap(([, st]) => Object.keys(st.percentilesNs)))].sort((a, b) => Number(a) - Number(b));
    const rows: [string, (st: LatencyStats) => number | undefined][] = [
      ['min', (st) => st.minNs],
      ['mean', (st) => st.meanNs],
      ...keys.map((k): [string, (st: LatencyStats) => number | undefined] => [Number(k) === t.percentile ? `p${k} (target)` : `p${k}`, (st) => st.percentilesNs[k]]),
      ['max', (st) => st.maxNs],
    ];
    const cells = rows.map(([, pick]) => shown.map(([, st]) => {
      const v = pick(st);
      return v === undefined ? '-' : ms(v);
    }));
    const widths = shown.map(([title], i) => Math.max(title.length, ...cells.map((r) => r[i]?.length ?? 0)));
    const labelWidth = Math.max(8, ...rows.map(([label]) => label.length));
    const line = (label: string, values: readonly string[]): string => `  ${label.padEnd(labelWidth)}${values.map((v, i) => `  ${v.padStart(widths[i] ?? 0)}`).join('')}`;
    lines.push(line('tokens', shown.map(([title]) => title)), ...rows.map(([label], r) => line(label, cells[r] ?? [])));
  }
  const per = t.outputTokensPerRequest;
  const perText = per === null ? '' : ` (${per.mean.toFixed(1)} per request, min ${per.min}, max ${per.max})`;
  const rate = t.outputTokensPerSecond === null ? '' : `; ${t.outputTokensPerSecond.toFixed(2)} tokens/s`;
  const input = t.inputTokens === null ? '' : `; input ${t.inputTokens}`;
  lines.push(`Output tokens : ${t.outputTokens}${perText}${rate}${input}`);
  if (t.requestOutputTokensPerSecond !== null) {
    const r = t.requestOutputTokensPerSecond;
    lines.push(`Per request   : ${r.mean.toFixed(2)} output tokens/s mean (p50 ${(r.percentiles['50'] ?? 0).toFixed(2)}, min ${r.min.toFixed(2)})`);
  }
  const bounds = [
    ...(t.ttftBoundMs === null ? [] : [`TTFT <= ${t.ttftBoundMs} ms`]),
    ...(t.tpotBoundMs === null ? [] : [`TPOT <= ${t.tpotBoundMs} ms`]),
  ];
  if (bounds.length > 0) {
    const goodput = t.goodputRequestsPerSecond === null ? '' : `; goodput ${t.goodputRequestsPerSecond.toFixed(2)} requests/s`;
    lines.push(`Goodput       : ${t.goodRequests} requests within ${bounds.join(' and ')}${goodput}`);
  }
  const odd = [
    ...(t.samplesWithoutFirstToken > 0 ? [`${t.samplesWithoutFirstToken} completed without a token`] : []),
    ...(t.samplesWithOneToken > 0 ? [`${t.samplesWithOneToken} of a single token (no TPOT)`] : []),
    ...(t.tokensOfFailedSamples > 0 ? [`${t.tokensOfFailedSamples} tokens arrived on streams that then broke (in detail.jsonl)`] : []),
    ...(t.chunksWithSeveralTokens > 0 ? [`${t.chunksWithSeveralTokens} of ${t.chunks} chunks carried several tokens (ITL is per chunk)`] : []),
  ];
  if (odd.length > 0) lines.push(`Token notes   : ${odd.join('; ')}`);
  return lines;
}

/** Server with token latencies: LoadGen evaluates early stopping on TTFT and on TPOT. */
export function tokenEarlyStoppingLine(t: TokenSummary): string | null {
  if (t.earlyStoppingTtft === null && t.earlyStoppingTpot === null) return null;
  const part = (what: string, es: EarlyStoppingResult | null): string =>
    es === null ? `${what} not applied` : `${what} ${es.passed ? 'passed' : 'failed'} (${es.overLatencyCount} of ${es.queryCount} over${es.minQueriesNeeded === null ? '' : `, ${es.minQueriesNeeded} needed`})`;
  return `Early stopping: ${part('TTFT', t.earlyStoppingTtft)}; ${part('TPOT', t.earlyStoppingTpot)}`;
}
