import { describe, expect, it } from 'vitest';
import { ArrivalSchedule, drawSampleIndices, SampleIndexStream, selectSampleSet } from '../../src/loadgen/plan.js';

function plan(seeds: { set: string; index: string; schedule: string }) {
  const set = selectSampleSet(5000, 256, seeds.set);
  const indices = drawSampleIndices(new SampleIndexStream(set, 1, seeds.index), 500).view();
  const schedule = new ArrivalSchedule(1000, seeds.schedule);
  schedule.extendTo(500);
  return { set: Array.from(set), indices: Array.from(indices), offsets: Array.from(schedule.offsetsNs.view()) };
}

describe('the query plan', () => {
  const a = { set: '1', index: '2', schedule: '3' };

  it('is the same for the same seeds', () => {
    expect(plan(a)).toEqual(plan({ ...a }));
  });

  it('changes only the part whose seed changes', () => {
    const base = plan(a);
    const other = plan({ ...a, schedule: '4' });
    expect(other.set).toEqual(base.set);
    expect(other.indices).toEqual(base.indices);
    expect(other.offsets).not.toEqual(base.offsets);
    expect(plan({ ...a, index: '5' }).indices).not.toEqual(base.indices);
    expect(plan({ ...a, set: '6' }).set).not.toEqual(base.set);
  });

  it('loads distinct samples and schedules the first arrival at 0 with a mean gap of 1/QPS', () => {
    const p = plan(a);
    expect(new Set(p.set).size).toBe(256);
    expect(p.offsets[0]).toBe(0);
    const schedule = new ArrivalSchedule(1000, '9');
    schedule.extendTo(100_000);
    const meanGapNs = schedule.offsetNs(99_999) / 99_999;
    expect(meanGapNs).toBeGreaterThan(0.99e6);
    expect(meanGapNs).toBeLessThan(1.01e6);
  });

  it('extends a schedule by continuing the same stream', () => {
    const short = new ArrivalSchedule(50, '7');
    short.extendTo(100);
    short.extendTo(200);
    const long = new ArrivalSchedule(50, '7');
    long.extendTo(200);
    expect(Array.from(short.offsetsNs.view())).toEqual(Array.from(long.offsetsNs.view()));
  });
});
