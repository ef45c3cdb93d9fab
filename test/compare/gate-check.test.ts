import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { buildComparison } from '../../src/compare/compare.js';
import { checkGate } from '../../src/compare/gate-check.js';
import { parseGate } from '../../src/compare/gate-parse.js';
import type { LoadedInput } from '../../src/compare/types.js';
import type { RunResult } from '../../src/results/types.js';
import { baseline, onBoundary, regressed, singleStream, withinLimits } from '../fixtures/compare/inputs.js';

const run = (result: RunResult): LoadedInput => ({ kind: 'result', file: 'result.json', result });
const compare = (...results: RunResult[]) => buildComparison(results.map(run));

describe('checkGate', () => {
  it('throughput<-5% trips on the input that lost 7.5%, and says which', () => {
    const outcome = checkGate(parseGate('throughput<-5%'), compare(baseline, withinLimits, regressed));
    expect(outcome.tripped).toBe(true);
    expect(outcome.checks).toEqual([
      { label: 'run-ok', value: 390, changePercent: -2.5, against: 1, metricUnit: 'samples/s', tripped: false },
      { label: 'run-slow', value: 370, changePercent: -7.5, against: 1, metricUnit: 'samples/s', tripped: true },
    ]);
  });

  it('passes when every change is within the limit', () => {
    expect(checkGate(parseGate('throughput<-5%'), compare(baseline, withinLimits)).tripped).toBe(false);
    expect(checkGate(parseGate('p99>+10%'), compare(baseline, withinLimits)).tripped).toBe(false);
    expect(checkGate(parseGate('p99>+10%'), compare(baseline, regressed)).tripped).toBe(true);
  });

  it('a change exactly on the limit does not trip', () => {
    const outcome = checkGate(parseGate('throughput<-5%'), compare(baseline, onBoundary));
    expect(outcome.checks[0]!.changePercent).toBe(-5);
    expect(outcome.tripped).toBe(false);
  });

  it('an absolute limit checks every input, the baseline included', () => {
    const outcome = checkGate(parseGate('p99>11ms'), compare(baseline, regressed));
    expect(outcome.checks.map((c) => [c.label, c.value, c.tripped])).toEqual([
      ['run-base', 10, false],
      ['run-slow', 11.5, true],
    ]);
    expect(checkGate(parseGate('throughput<395'), compare(withinLimits)).tripped).toBe(true);
  });

  it('an input that did not measure the metric is reported, not tripped', () => {
    const outcome = checkGate(parseGate('goodput<-5%'), compare(baseline, singleStream));
    expect(outcome.checks[0]!.tripped).toBeNull();
    expect(outcome.tripped).toBe(false);
  });

  it('a change gate needs a second input', () => {
    expect(() => checkGate(parseGate('throughput<-5%'), compare(baseline))).toThrow(UserError);
  });
});
