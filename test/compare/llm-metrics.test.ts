import { describe, expect, it } from 'vitest';
import { buildComparison } from '../../src/compare/compare.js';
import { formatGates } from '../../src/compare/format-gates.js';
import { formatComparison } from '../../src/compare/format-table.js';
import { checkGate, checkGates } from '../../src/compare/gate-check.js';
import { parseGate } from '../../src/compare/gate-parse.js';
import { headlineOf } from '../../src/compare/headline.js';
import { comparisonJson } from '../../src/compare/to-json.js';
import type { ResultInput } from '../../src/compare/types.js';
import type { RunResult } from '../../src/results/types.js';
import { validateDocument } from '../../src/results/validate.js';
import { baseline } from '../fixtures/compare/inputs.js';
import { resultWith } from '../fixtures/result-fixture.js';
import { llmContinuous, llmStatic, NO_TOKEN_METRICS } from './llm-results.js';

const run = (result: RunResult): ResultInput => ({ kind: 'result', file: `${result.runId}/result.json`, result });
const compare = (...results: RunResult[]) => buildComparison(results.map(run));

/** The first line of a table row, as heading -> cell text. */
function tableRow(text: string, label: string): Record<string, string> {
  const lines = text.split('\n').filter((l) => l.startsWith('│'));
  const cells = (line: string) => line.split('│').slice(1, -1).map((c) => c.trim());
  const headings = cells(lines[0] ?? '');
  const row = cells(lines.find((l) => cells(l)[1] === label) ?? '');
  return Object.fromEntries(headings.map((h, i) => [h, row[i] ?? '']));
}

describe('LLM fixtures', () => {
  it('are valid result.json documents', () => {
    for (const r of [llmContinuous, llmStatic]) expect(validateDocument('result', JSON.parse(JSON.stringify(r)), r.runId)).toEqual([]);
  });
});

describe('token metrics in the headline', () => {
  it('an LLM run: output tokens/s, token goodput, TTFT/TPOT/ITL percentiles in ms', () => {
    const h = headlineOf(run(llmStatic));
    expect(h.values).toMatchObject({ tokens: 1900, 'token-goodput': 90, 'ttft-p50': 50, 'ttft-p99': 560, 'tpot-p50': 10.5, 'tpot-p99': 36, 'itl-p99': 33 });
    // Throughput stays samples/s; the scenario metric is LoadGen's tokens/s.
    expect(h.values.throughput).toBe(100);
    expect(h.metric).toEqual({ name: 'completed tokens per second', unit: 'tokens/s' });
  });

  it('a run without summary.tokens has none', () => {
    expect(headlineOf(run(baseline)).values).toMatchObject(NO_TOKEN_METRICS);
  });

  it('a token stat that is null (no sample of 2+ tokens) is null, the others stay', () => {
    const noTpot = resultWith((r) => {
      Object.assign(r, structuredClone(llmContinuous));
      r.summary.tokens!.tpotNs = null;
    });
    expect(headlineOf(run(noTpot)).values).toMatchObject({ 'tpot-p50': null, 'tpot-p99': null, 'ttft-p99': 400, tokens: 2000 });
  });

  it('Offline LLM run: throughput is completed samples / duration, not the tokens/s metric', () => {
    const offline = resultWith((r) => {
      Object.assign(r, structuredClone(llmContinuous));
      r.summary.scenario = 'offline';
      r.effectiveSettings.scenario = 'offline';
      r.summary.metric = { name: 'tokens per second', value: 2000, unit: 'tokens/s' };
      r.summary.completedSamplesPerSecond = null;
    });
    const h = headlineOf(run(offline));
    expect(h.values.throughput).toBe(100);
    expect(h.values.tokens).toBe(2000);
    expect(h.throughputBasis).toBe('Offline: completed samples / duration (the scenario metric is tokens/s)');
  });
});

describe('token metrics compared', () => {
  const comparison = compare(llmContinuous, llmStatic);

  it('exact changes against the baseline', () => {
    expect(comparison.rows[1]!.changePercent).toMatchObject({ tokens: -5, 'token-goodput': -10, 'ttft-p50': 25, 'ttft-p99': 40, 'tpot-p50': 5, 'tpot-p99': 50, 'itl-p99': 10 });
  });

  it('groups by the server URL that differs; token bounds and prompt set are shared', () => {
    expect(comparison.varies).toEqual(['backend.url']);
    expect(comparison.same).toContainEqual({ key: 'settings.ttftBoundMs', value: '500' });
    expect(comparison.same).toContainEqual({ key: 'settings.tpotBoundMs', value: '30' });
    expect(comparison.same).toContainEqual({ key: 'llm.promptSet', value: '1000 prompts, input 64 tokens, output 20 tokens, seed 1' });
  });

  it('an LLM run against a non-LLM baseline: token changes are null, shown as "-"', () => {
    const mixed = compare(baseline, llmContinuous);
    expect(mixed.rows[1]!.changePercent).toMatchObject(NO_TOKEN_METRICS);
    const row = tableRow(formatComparison(mixed), 'run-base');
    const tokenColumns = ['tokens/s ↑', 'token goodput req/s ↑', 'TTFT p50 ms ↓', 'TTFT p99 ms ↓', 'TPOT p50 ms ↓', 'TPOT p99 ms ↓', 'ITL p99 ms ↓'];
    expect(tokenColumns.map((h) => row[h])).toEqual(['-', '-', '-', '-', '-', '-', '-']);
    expect(tableRow(formatComparison(mixed), 'run-llm-continuous')['TTFT p99 ms ↓']).toBe('400.000');
  });
});

describe('the table with LLM runs', () => {
  const text = formatComparison(compare(llmContinuous, llmStatic));

  it('has the token columns, with values and changes, and leaves out the scenario metric (it repeats tokens/s)', () => {
    for (const heading of ['tokens/s ↑', 'token goodput req/s ↑', 'TTFT p50 ms ↓', 'TTFT p99 ms ↓', 'TPOT p50 ms ↓', 'TPOT p99 ms ↓', 'ITL p99 ms ↓']) expect(text).toContain(heading);
    expect(text).not.toContain('scenario metric');
    expect(tableRow(text, 'run-llm-continuous')).toEqual({
      '#': '1',
      input: 'run-llm-continuous',
      'backend.url': 'http://127.0.0.1:8000/v1',
      'throughput/s ↑': '100.00',
      'tokens/s ↑': '2000.00',
      'token goodput req/s ↑': '100.00',
      'p50 ms ↓': '230.000',
      'p90 ms ↓': '300.000',
      'p99 ms ↓': '800.000',
      'p99.9 ms ↓': '900.000',
      'TTFT p50 ms ↓': '40.000',
      'TTFT p99 ms ↓': '400.000',
      'TPOT p50 ms ↓': '10.000',
      'TPOT p99 ms ↓': '24.000',
      'ITL p99 ms ↓': '30.000',
      valid: 'VALID',
    });
    expect(tableRow(text, 'run-llm-static')).toMatchObject({ 'tokens/s ↑': '1900.00', 'token goodput req/s ↑': '90.00', 'TTFT p50 ms ↓': '50.000', 'TTFT p99 ms ↓': '560.000', 'TPOT p50 ms ↓': '10.500', 'TPOT p99 ms ↓': '36.000', 'ITL p99 ms ↓': '33.000', valid: 'INVALID' });
    // The change line under the static run, column by column.
    const changeLine = text.split('\n').filter((l) => l.startsWith('│'))[3] ?? '';
    expect(changeLine.split('│').slice(1, -1).map((c) => c.trim())).toEqual(['', '', '', '0.0%', '-5.0%', '-10.0%', '+30.4%', '+133.3%', '+25.0%', '+33.3%', '+25.0%', '+40.0%', '+5.0%', '+50.0%', '+10.0%', '']);
  });

  it('says what the token columns mean', () => {
    expect(text).toContain('Tokens (LLM runs): tokens/s = output tokens of completed requests / measured window');
  });

  it('a table without LLM runs has no token columns or note', () => {
    const plain = formatComparison(compare(baseline));
    expect(plain).not.toMatch(/TTFT|TPOT|ITL|tokens\/s|Tokens \(LLM/);
  });
});

describe('gates on token metrics', () => {
  const comparison = compare(llmContinuous, llmStatic);
  const outcome = (text: string) => checkGate(parseGate(text), comparison);

  it('parses the token metrics with the existing grammar', () => {
    expect(parseGate('ttft-p99 > +10%')).toEqual({ text: 'ttft-p99 > +10%', metric: 'ttft-p99', op: '>', threshold: { kind: 'change', percent: 10 } });
    expect(parseGate('tokens < -5%')).toEqual({ text: 'tokens < -5%', metric: 'tokens', op: '<', threshold: { kind: 'change', percent: -5 } });
    expect(parseGate('tpot-p99>30ms')).toEqual({ text: 'tpot-p99>30ms', metric: 'tpot-p99', op: '>', threshold: { kind: 'absolute', value: 30 } });
    expect(parseGate('token-goodput<95/s')).toEqual({ text: 'token-goodput<95/s', metric: 'token-goodput', op: '<', threshold: { kind: 'absolute', value: 95 } });
    expect(parseGate('itl-p99>+10%').metric).toBe('itl-p99');
    expect(parseGate('ttft-p50>45').metric).toBe('ttft-p50');
    expect(parseGate('tpot-p50>+1%').metric).toBe('tpot-p50');
  });

  it('refuses units that do not fit the token metric', () => {
    expect(() => parseGate('tokens<500qps')).toThrow("tokens takes a bare number (/s) or a number ending in /s");
    expect(() => parseGate('ttft-p99>2/s')).toThrow('ttft-p99 takes a bare number (ms) or a number ending in ms');
    expect(() => parseGate('ttft-p98>1ms')).toThrow('not understood');
  });

  it('ttft-p99 > +10% trips on +40%', () => {
    expect(outcome('ttft-p99 > +10%').checks).toEqual([{ label: 'run-llm-static', value: 560, changePercent: 40, against: 1, metricUnit: 'tokens/s', tripped: true }]);
  });

  it('tokens < -5% holds on exactly -5%; tokens < -4% trips', () => {
    expect(outcome('tokens < -5%').tripped).toBe(false);
    expect(outcome('tokens < -4%').tripped).toBe(true);
  });

  it('on the other limits: token-goodput -10%, itl-p99 +10% on their boundary hold, one step past trips', () => {
    expect(outcome('token-goodput<-10%').tripped).toBe(false);
    expect(outcome('token-goodput<-9.5%').tripped).toBe(true);
    expect(outcome('itl-p99>+10%').tripped).toBe(false);
    expect(outcome('itl-p99>+9.9%').tripped).toBe(true);
    expect(outcome('tpot-p50>+5%').tripped).toBe(false);
    expect(outcome('ttft-p50>+25%').tripped).toBe(false);
    expect(outcome('ttft-p50>+24%').tripped).toBe(true);
  });

  it('absolute limits check both runs', () => {
    expect(outcome('tpot-p99>30ms').checks.map((c) => [c.label, c.value, c.tripped])).toEqual([
      ['run-llm-continuous', 24, false],
      ['run-llm-static', 36, true],
    ]);
    expect(outcome('tokens<1950').checks.map((c) => c.tripped)).toEqual([false, true]);
    expect(outcome('tokens<1900').tripped).toBe(false);
  });

  it('a run without tokens is not measured, not tripped', () => {
    const mixed = checkGate(parseGate('ttft-p99>100ms'), compare(baseline, llmContinuous));
    expect(mixed.checks.map((c) => c.tripped)).toEqual([null, true]);
  });

  it('the gate report shows token values in their units', () => {
    const text = formatGates(checkGates([parseGate('ttft-p99>+10%'), parseGate('tokens<-5%')], comparison));
    expect(text).toBe(
      [
        'Gates:',
        "  FAIL --fail-if 'ttft-p99>+10%'",
        '    run-llm-static: ttft-p99 560.000 (+40.0% vs #1): TRIPPED',
        "  pass --fail-if 'tokens<-5%'",
        '    run-llm-static: tokens 1900.00 (-5.0% vs #1): ok',
        '1 of 2 gates tripped.',
        '',
      ].join('\n'),
    );
  });
});

describe('--json with token metrics', () => {
  it('values, changes and each metric\'s unit and direction', () => {
    const comparison = compare(llmContinuous, llmStatic);
    const json = JSON.parse(JSON.stringify(comparisonJson(comparison, checkGates([parseGate('ttft-p99>+10%')], comparison)))) as {
      metrics: Record<string, { better: string | null; unit: string | null }>;
      rows: { values: Record<string, number | null>; changePercent: Record<string, number | null> }[];
      gatesPassed: boolean;
    };
    expect(json.metrics['ttft-p99']).toEqual({ better: 'lower', unit: 'ms' });
    expect(json.metrics['tokens']).toEqual({ better: 'higher', unit: '/s' });
    expect(json.metrics['token-goodput']).toEqual({ better: 'higher', unit: '/s' });
    expect(json.rows[0]!.values).toMatchObject({ tokens: 2000, 'token-goodput': 100, 'ttft-p50': 40, 'ttft-p99': 400, 'tpot-p50': 10, 'tpot-p99': 24, 'itl-p99': 30 });
    expect(json.rows[1]!.changePercent).toMatchObject({ tokens: -5, 'ttft-p99': 40 });
    expect(json.gatesPassed).toBe(false);
  });
});
