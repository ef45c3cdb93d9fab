import { describe, expect, it } from 'vitest';
import { buildComparison } from '../../src/compare/compare.js';
import { formatGates } from '../../src/compare/format-gates.js';
import { formatComparison } from '../../src/compare/format-table.js';
import { checkGates } from '../../src/compare/gate-check.js';
import { parseGate } from '../../src/compare/gate-parse.js';
import type { LoadedInput } from '../../src/compare/types.js';
import type { RunResult } from '../../src/results/types.js';
import { baseline, regressed, singleStream, withinLimits } from '../fixtures/compare/inputs.js';

const run = (result: RunResult): LoadedInput => ({ kind: 'result', file: `${result.runId}/result.json`, result });

describe('formatComparison', () => {
  const text = formatComparison(buildComparison([run(baseline), run(withinLimits), run(regressed)]));

  it('header: baseline, the fields all share, the fields that vary', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('Comparing 3 inputs; baseline (#1): run-base');
    expect(lines[1]).toMatch(/^same: system\.cpu=AMD EPYC 7763 64-Core Processor, system\.gpus=none, backend\.name=ort, /);
    expect(lines[2]).toBe('varies: system.hostname, backend.provider');
  });

  it('a row per input: varying fields, values, exact changes, verdict', () => {
    const row = (label: string) => text.split('\n').find((l) => l.includes(label)) ?? '';
    expect(row('run-ok')).toMatch(/│ 2 │ run-ok +│ bench-01 +│ cuda +│ 390\.00 +│ 390\.00 +│ 2\.000 +│ 4\.000 +│ 10\.500 +│ 16\.000 +│ VALID +│/);
    expect(row('run-slow')).toMatch(/│ bench-02 +│ cpu +│ 370\.00 +│ 360\.00 +│ .*│ 11\.500 +│ .*│ INVALID +│/);
    for (const change of ['-2.5%', '+5.0%', '-7.5%', '-10.0%', '+15.0%']) expect(text).toContain(change);
  });

  it('leaves out metrics nobody measured and the scenario metric when it repeats throughput', () => {
    expect(text).not.toContain('accuracy');
    expect(text).not.toContain('scenario metric');
    expect(formatComparison(buildComparison([run(baseline), run(singleStream)]))).toContain('scenario metric');
  });

  it('says how throughput was derived and which file each row is', () => {
    expect(text).toContain('Throughput (/s) of #1, #2, #3: Server: completed samples/s (LoadGen)');
    expect(text).toContain('  #3 run-slow/result.json');
  });
});

describe('formatGates', () => {
  it('each gate, each input checked, and the count tripped', () => {
    const comparison = buildComparison([run(baseline), run(withinLimits), run(regressed)]);
    const text = formatGates(checkGates([parseGate('throughput<-5%'), parseGate('p99>20ms')], comparison));
    expect(text).toBe(
      [
        'Gates:',
        "  FAIL --fail-if 'throughput<-5%'",
        '    run-ok: throughput 390.00 (-2.5% vs #1): ok',
        '    run-slow: throughput 370.00 (-7.5% vs #1): TRIPPED',
        "  pass --fail-if 'p99>20ms'",
        '    run-base: p99 10.000: ok',
        '    run-ok: p99 10.500 (+5.0% vs #1): ok',
        '    run-slow: p99 11.500 (+15.0% vs #1): ok',
        '1 of 2 gates tripped.',
        '',
      ].join('\n'),
    );
  });
});
