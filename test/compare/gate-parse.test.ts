import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/cli/errors.js';
import { parseGate } from '../../src/compare/gate-parse.js';

describe('parseGate: the accepted forms', () => {
  it.each([
    ['throughput<-5%', { metric: 'throughput', op: '<', threshold: { kind: 'change', percent: -5 } }],
    ['p99>+10%', { metric: 'p99', op: '>', threshold: { kind: 'change', percent: 10 } }],
    ['p99.9 > +2.5%', { metric: 'p99.9', op: '>', threshold: { kind: 'change', percent: 2.5 } }],
    ['goodput<-0%', { metric: 'goodput', op: '<', threshold: { kind: 'change', percent: -0 } }],
    ['p99>20ms', { metric: 'p99', op: '>', threshold: { kind: 'absolute', value: 20 } }],
    ['p50>1.5', { metric: 'p50', op: '>', threshold: { kind: 'absolute', value: 1.5 } }],
    ['throughput<1000', { metric: 'throughput', op: '<', threshold: { kind: 'absolute', value: 1000 } }],
    ['throughput<1000qps', { metric: 'throughput', op: '<', threshold: { kind: 'absolute', value: 1000 } }],
    ['accuracy<0.75', { metric: 'accuracy', op: '<', threshold: { kind: 'absolute', value: 0.75 } }],
    ['accuracy<75%', { metric: 'accuracy', op: '<', threshold: { kind: 'absolute', value: 0.75 } }],
    ['metric>12', { metric: 'metric', op: '>', threshold: { kind: 'absolute', value: 12 } }],
    ['server-compute>+10%', { metric: 'server-compute', op: '>', threshold: { kind: 'change', percent: 10 } }],
    ['network>2ms', { metric: 'network', op: '>', threshold: { kind: 'absolute', value: 2 } }],
    ['server-queue>0.5', { metric: 'server-queue', op: '>', threshold: { kind: 'absolute', value: 0.5 } }],
  ])('%s', (text, expected) => {
    expect(parseGate(text)).toEqual({ text, ...expected });
  });
});

describe('parseGate: anything else is a UserError listing the accepted forms', () => {
  it.each([
    ['latency<-5%', 'not understood'],
    ['throughput<=-5%', 'not understood'],
    ['throughput<-5', 'a signed limit is a change and ends in %'],
    ['throughput<5%', 'a change needs a sign'],
    ['p99>20qps', 'p99 takes a bare number (ms) or a number ending in ms'],
    ['throughput<10ms', 'throughput takes a bare number (/s) or a number ending in qps or /s'],
    ['metric>5ms', "metric takes a bare number in the scenario metric's unit"],
    ['', 'not understood'],
  ])('%s', (text, why) => {
    let error: unknown;
    try {
      parseGate(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const message = (error as UserError).message;
    expect(message).toContain(`--fail-if '${text}': ${why}`);
    expect(message).toContain('accepted forms: METRIC<LIMIT or METRIC>LIMIT');
  });
});
