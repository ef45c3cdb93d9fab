import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOverheadBench } from '../../src/bench/harness-overhead.js';
import { runMemoryBench } from '../../src/bench/memory.js';
import { runOfflineBench } from '../../src/bench/offline-throughput.js';
import { parseOnly } from '../../src/bench/options.js';
import { type BenchReport, formatReport, writeReport } from '../../src/bench/report.js';
import { soakWindows } from '../../src/bench/soak.js';
import type { TargetCheck } from '../../src/bench/types.js';

// Structure only: the benches measure this machine, so no number here is asserted against a target.

function expectFinitePositive(value: number): void {
  expect(Number.isFinite(value)).toBe(true);
  expect(value).toBeGreaterThan(0);
}

function expectWellFormedTargets(targets: readonly TargetCheck[]): void {
  expect(targets.length).toBeGreaterThan(0);
  for (const t of targets) {
    expect(t.name).not.toBe('');
    expect(Number.isFinite(t.measured)).toBe(true);
    expect(typeof t.met).toBe('boolean');
  }
}

describe('bench smoke (tiny sizes, in process)', () => {
  it('offline: every run and the full runTest report finite, positive rates', async () => {
    const result = await runOfflineBench({ sampleCount: 20_000, repetitions: 2 });
    expect(result.runs).toHaveLength(2);
    for (const run of [result.warmupRun, ...result.runs]) {
      expectFinitePositive(run.issueCompleteRecordNs);
      expectFinitePositive(run.summarizeNs);
      expectFinitePositive(run.issueCompleteRecordSamplesPerSecond);
      expectFinitePositive(run.withSummarizeSamplesPerSecond);
    }
    expect(result.runs[0]!.sampleCount).toBe(20_000);
    expectFinitePositive(result.median.withSummarizeSamplesPerSecond);
    expectFinitePositive(result.runTest.samplesPerSecond);
    expect(result.runTest.sampleCount).toBe(20_000);
    for (const ns of Object.values(result.summarizeBreakdown)) expect(Number.isFinite(ns)).toBe(true);
    expectWellFormedTargets(result.targets);
  });

  it('memory: retained bytes per query for each count, and an RSS soak series', async () => {
    const result = await runMemoryBench({ queryCounts: [10_000, 50_000], virtualQps: 100_000, soakSeconds: 3, soakQps: 500, soakIn: 'process' });
    expect(result.retained.map((r) => r.queries)).toEqual([10_000, 50_000]);
    for (const run of result.retained) {
      expect(run.completed).toBe(run.queries);
      // A difference of two heap readings: at these small counts background sweeping can make it
      // negative on a loaded machine, so only its form is checked here.
      expect(Number.isFinite(run.retainedBytesPerQuery)).toBe(true);
      expectFinitePositive(run.recorderCapacityBytesPerQuery);
      expect(Number.isFinite(run.leakedBytesPerQuery)).toBe(true);
      expectFinitePositive(run.held.rss);
    }
    expect(result.marginalBytesPerQuery).not.toBeNull();
    const soak = result.soak!;
    expect(soak.samples.length).toBeGreaterThanOrEqual(2);
    // A fifth of the soak warms up; the RSS means compared are over windows of up to a minute.
    expect([soak.warmupSeconds, soak.windowSeconds]).toEqual([1, 1]);
    expect(soakWindows(600)).toEqual({ warmupSeconds: 120, windowSeconds: 60 });
    expectFinitePositive(soak.queries);
    expectFinitePositive(soak.rssAfterWarmup);
    expectFinitePositive(soak.rssEnd);
    expect(Number.isFinite(soak.rssSlopeBytesPerSecond)).toBe(true);
    expectWellFormedTargets(result.targets);
  }, 60_000);

  it('overhead: bare and mlbench rounds on the built-in model, medians and a well-formed target', async () => {
    const result = await runOverheadBench({ workload: 'shapes-cnn', rounds: 2, roundMs: 200, warmupIterations: 20, intraOpThreads: 1 });
    expect(result.rounds.map((r) => r.first)).toEqual(['bare', 'mlbench']);
    for (const round of result.rounds) {
      expect(round.bare.count).toBeGreaterThan(0);
      expect(round.mlbench.count).toBeGreaterThan(0);
      expect(Number.isFinite(round.overheadPercent)).toBe(true);
    }
    expectFinitePositive(result.bareMedianNs);
    expectFinitePositive(result.mlbenchMedianNs);
    expectWellFormedTargets(result.targets);
  }, 60_000);

  it('--only keeps the suite order and names every unknown bench at once', () => {
    expect(parseOnly(undefined)).toEqual(['server', 'offline', 'overhead', 'memory', 'client', 'serve', 'precision', 'llm']);
    expect(parseOnly('llm,serve')).toEqual(['serve', 'llm']);
    expect(parseOnly('memory, offline')).toEqual(['offline', 'memory']);
    expect(parseOnly('serve,client')).toEqual(['client', 'serve']);
    expect(() => parseOnly('offline,fast,slow')).toThrow(/fast, slow/);
  });

  it('report: a table with every target, and the JSON written twice', async () => {
    const offline = await runOfflineBench({ sampleCount: 5_000, repetitions: 1 });
    const load = [0.5, 0.4, 0.3] as const;
    const report: BenchReport = {
      kind: 'mlbench-bench',
      startedAt: '2026-01-02T03:04:05.678Z',
      finishedAt: '2026-01-02T03:04:06.678Z',
      argv: ['--only', 'offline'],
      options: { only: ['offline'], quick: true, soakSeconds: 0 },
      machine: { cpuModel: 'test cpu', cores: 2, memoryBytes: 2 ** 30, node: process.version, v8: process.versions.v8, nodeFlags: [], platform: 'linux', arch: 'x64' },
      loadAverage: { start: load, end: load },
      benches: { offline: { state: 'completed', result: offline, wallMs: 1000, loadAverage: { before: load, after: load } } },
      targets: offline.targets,
    };
    const text = formatReport(report);
    for (const t of offline.targets) expect(text).toContain(t.name);
    const dir = await mkdtemp(join(tmpdir(), 'mlbench-bench-'));
    try {
      const written = await writeReport(report, dir);
      expect(written.path).toContain('bench-2026-01-02T03-04-05-678Z.json');
      const latest = JSON.parse(await readFile(written.latest, 'utf8')) as BenchReport;
      expect(latest.benches.offline?.state).toBe('completed');
      expect(latest.targets).toHaveLength(offline.targets.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
