import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparisonBars } from '../../src/report/charts/comparison-bars.js';
import { tokenBoundRules, tokenLatency, tokenLatencyBars } from '../../src/report/charts/token-latency.js';
import { runCaption } from '../../src/report/describe.js';
import { loadInputs } from '../../src/report/load-inputs.js';
import { planReport } from '../../src/report/plan.js';
import { writeReport } from '../../src/report/write-report.js';
import type { RunResult } from '../../src/results/types.js';
import { llmContinuous, llmStatic } from '../compare/llm-results.js';
import { resultWith, serverResult } from '../fixtures/result-fixture.js';
import { tempDir } from '../helpers/cli.js';
import { FIXTURES } from './fixtures.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CONTINUOUS = 'openai tiny-llm at http://127.0.0.1:8000/v1 · llm-fixed · server · gpu-01';
const STATIC = 'openai tiny-llm at http://127.0.0.1:8001/v1 · llm-fixed · server · gpu-01';

/** Run folders `root/<runId>/result.json`, as `mlbench run --output` lays them out. */
function writeRuns(root: string, runs: readonly RunResult[]): void {
  for (const r of runs) {
    mkdirSync(join(root, r.runId), { recursive: true });
    writeFileSync(join(root, r.runId, 'result.json'), JSON.stringify(r));
  }
}

describe('token latency chart data', () => {
  it('each run, each measure, p50 p90 p99 p99.9 in ms, exactly as result.json has them', () => {
    const bars = tokenLatencyBars([llmContinuous, llmStatic]);
    expect(bars.filter((b) => b.runId === 'run-llm-continuous').map((b) => [b.measure, b.percentile, b.ms])).toEqual([
      ['TTFT', 'p50', 40],
      ['TTFT', 'p90', 80],
      ['TTFT', 'p99', 400],
      ['TTFT', 'p99.9', 450],
      ['TPOT', 'p50', 10],
      ['TPOT', 'p90', 12],
      ['TPOT', 'p99', 24],
      ['TPOT', 'p99.9', 28],
      ['ITL', 'p50', 10],
      ['ITL', 'p90', 12],
      ['ITL', 'p99', 30],
      ['ITL', 'p99.9', 60],
    ]);
    expect(bars.filter((b) => b.runId === 'run-llm-static').map((b) => b.ms)).toEqual([50, 100, 560, 700, 10.5, 31, 36, 40, 10.5, 13, 33, 80]);
    expect(bars[0]).toEqual({ label: CONTINUOUS, runId: 'run-llm-continuous', measure: 'TTFT', percentile: 'p50', ms: 40 });
    expect(new Set(bars.map((b) => b.label))).toEqual(new Set([CONTINUOUS, STATIC]));
  });

  it('runs without tokens are left out; a missing stat leaves out its bars only', () => {
    const noItl = resultWith((r) => {
      Object.assign(r, structuredClone(llmContinuous));
      r.summary.tokens!.itlNs = null;
    });
    const bars = tokenLatencyBars([serverResult, noItl]);
    expect(bars).toHaveLength(8);
    expect(bars.some((b) => b.measure === 'ITL')).toBe(false);
  });

  it('bounds: one rule per distinct TTFT and TPOT bound, none for ITL', () => {
    expect(tokenBoundRules([llmContinuous, llmStatic])).toEqual([
      { measure: 'TTFT', boundMs: 500, label: 'bound 500 ms (p99)' },
      { measure: 'TPOT', boundMs: 30, label: 'bound 30 ms (p99)' },
    ]);
    const looser = resultWith((r) => {
      Object.assign(r, structuredClone(llmStatic));
      r.summary.tokens!.ttftBoundMs = 2000;
      r.summary.tokens!.tpotBoundMs = null;
    });
    expect(tokenBoundRules([llmContinuous, looser])).toEqual([
      { measure: 'TTFT', boundMs: 500, label: 'bound 500 ms (p99)' },
      { measure: 'TTFT', boundMs: 2000, label: 'bound 2000 ms (p99)' },
      { measure: 'TPOT', boundMs: 30, label: 'bound 30 ms (p99)' },
    ]);
  });

  it('no chart without an LLM run', () => {
    expect(tokenLatency([serverResult])).toBeNull();
  });

  it('the caption says what ran, the token bounds included', () => {
    expect(runCaption(llmContinuous)).toContain('llm-fixed (no model) on openai tiny-llm at http://127.0.0.1:8000/v1, AMD EPYC 7763 64-Core Processor (16 cores), NVIDIA H200');
    expect(runCaption(llmContinuous)).toContain('server performance, target 100 QPS, TTFT bound 500 ms, TPOT bound 30 ms, min 10 s');
  });
});

describe('output tokens/s in the comparison bars', () => {
  it('a bar per LLM performance run, beside the samples/s bars', () => {
    const { charts } = comparisonBars([serverResult, llmContinuous, llmStatic]);
    expect(charts.map((c) => c.id)).toEqual(['comparison-throughput', 'comparison-output-tokens']);
    const tokens = charts[1]!.spec as unknown as { data: { values: { label: string; value: number }[] } };
    expect(tokens.data.values.map((v) => [v.label, v.value])).toEqual([
      [CONTINUOUS, 2000],
      [STATIC, 1900],
    ]);
  });

  it('no tokens chart when no run measured tokens', () => {
    expect(comparisonBars([serverResult, serverResult]).charts.map((c) => c.id)).toEqual(['comparison-throughput']);
  });
});

describe('a report of two LLM runs renders', async () => {
  const inputs = tempDir('report-llm-inputs');
  writeRuns(inputs, [llmContinuous, llmStatic]);
  const plan = planReport(loadInputs([inputs]));
  const out = tempDir('report-llm');
  await writeReport(plan, [inputs], out);

  it('draws the token chart and the tokens/s bars; TTFT/TPOT is no longer "not measured"', () => {
    const ids = plan.charts.map((c) => c.id);
    expect(ids).toContain('token-latency');
    expect(ids).toContain('comparison-output-tokens');
    expect(plan.notMeasured).toEqual(['accuracy (no input is an accuracy-mode run)', 'client/server time split']);
  });

  it('token-latency: SVG with its title, the three panels, the bounds and both runs; PNG at 2x', () => {
    const svg = readFileSync(join(out, 'token-latency.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of ['Token latencies', 'TTFT', 'TPOT', 'ITL', 'time to first token (ms)', 'time per output token (ms)', 'inter-token latency (ms)', 'bound 500 ms (p99)', 'bound 30 ms (p99)', 'p99.9']) {
      expect(svg).toContain(text);
    }
    expect(svg).toContain('http://127.0.0.1:8000/v1');
    expect(svg).toContain('http://127.0.0.1:8001/v1');
    const png = readFileSync(join(out, 'token-latency.png'));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const svgWidth = Number(/width="([\d.]+)"/.exec(svg)?.[1]);
    expect(png.readUInt32BE(16)).toBe(Math.round(svgWidth * 2));
  });

  it('comparison-output-tokens: SVG names its unit', () => {
    const svg = readFileSync(join(out, 'comparison-output-tokens.svg'), 'utf8');
    expect(svg).toContain('Output tokens/s by system');
    expect(svg).toContain('output tokens/s');
  });

  it('beside non-LLM runs: the token chart has the LLM run only', () => {
    const mixed = tempDir('report-llm-mixed');
    writeRuns(mixed, [llmContinuous]);
    const mixedPlan = planReport(loadInputs([FIXTURES, mixed]));
    expect(mixedPlan.notMeasured).not.toContain('TTFT / TPOT (LLM time to first token, time per output token)');
    const chart = mixedPlan.charts.find((c) => c.id === 'token-latency');
    expect(chart?.caption).toMatch(/^openai tiny-llm at http:\/\/127\.0\.0\.1:8000\/v1 · llm-fixed · server · gpu-01: /);
    expect(new Set(tokenLatencyBars(loadInputs([FIXTURES, mixed]).runs.map((r) => r.result)).map((b) => b.runId))).toEqual(new Set(['run-llm-continuous']));
  });
});
