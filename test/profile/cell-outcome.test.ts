import { describe, expect, it } from 'vitest';
import { classifyOutcome, reasonFromStderr } from '../../src/profile/cell-outcome.js';
import { exited, ran } from './fake-cells.js';

const STEP = {
  variant: { backend: 'ort', provider: 'cpu', threads: 0, graphOptimization: 'all', executionMode: 'sequential' },
  precision: 'fp32',
  mode: 'performance',
  scenario: 'offline',
  referenceOutputs: null,
} as const;

describe('reasonFromStderr', () => {
  it("the last 'mlbench: ' message, all its lines", () => {
    expect(reasonFromStderr('warning: x\nmlbench: invalid settings:\nflag --min-duration-ms: $: expected a number >= 0\n')).toBe(
      'invalid settings:\nflag --min-duration-ms: $: expected a number >= 0',
    );
  });

  it('an internal error without its stack', () => {
    expect(reasonFromStderr('mlbench: internal error: TypeError: x is undefined\n    at f (a.js:1:2)\n')).toBe('internal error: TypeError: x is undefined');
  });

  it('no message: the last line, or null', () => {
    expect(reasonFromStderr('Segmentation fault (core dumped)\n\n')).toBe('Segmentation fault (core dumped)');
    expect(reasonFromStderr('')).toBeNull();
  });
});

describe('classifyOutcome by exit code', () => {
  it('0 and 3: ran, with the result.json from stdout', () => {
    const valid = classifyOutcome(ran(STEP, {}, 'r1'), false);
    expect(valid.kind === 'ran' && valid.result.runId).toBe('r1');
    const invalid = classifyOutcome(ran(STEP, { valid: false }, 'r2'), false);
    expect(invalid.kind === 'ran' && invalid.result.validity.valid).toBe(false);
  });

  it('2: unsupported here, in the run\'s words', () => {
    expect(classifyOutcome(exited(2, 'mlbench: --provider cuda: the installed onnxruntime-node has no CUDA binaries\n'), false)).toEqual({
      kind: 'unsupported',
      reason: '--provider cuda: the installed onnxruntime-node has no CUDA binaries',
    });
  });

  it('4: failed, with the result\'s status reason', () => {
    expect(classifyOutcome(exited(4, 'summary\n', JSON.stringify({ runId: 'r', statusReason: 'no sample completed (3 failed, 0 missing)' })), false)).toEqual({
      kind: 'failed',
      reason: 'run failed: no sample completed (3 failed, 0 missing)',
    });
  });

  it('1, a signal, or no result.json: failed', () => {
    expect(classifyOutcome(exited(1, 'mlbench: internal error: Error: boom\n    at x\n'), false)).toEqual({ kind: 'failed', reason: 'exit code 1: internal error: Error: boom' });
    expect(classifyOutcome({ exitCode: null, signal: 'SIGKILL', stdout: '', stderr: '' }, false)).toEqual({ kind: 'failed', reason: 'crashed: ended by SIGKILL' });
    expect(classifyOutcome(exited(0, 'oops\n', 'not json'), false)).toEqual({ kind: 'failed', reason: 'exit code 0 but no result.json on stdout: oops' });
  });

  it('130: aborted when the profile was interrupted, else failed', () => {
    expect(classifyOutcome(exited(130, ''), true)).toEqual({ kind: 'aborted' });
    expect(classifyOutcome(exited(130, ''), false)).toEqual({ kind: 'failed', reason: 'the run was interrupted (exit code 130)' });
  });

  it('interrupted: a child ended by SIGINT before it could catch it is aborted too; one that completed still counts', () => {
    expect(classifyOutcome({ exitCode: null, signal: 'SIGINT', stdout: '', stderr: '' }, true)).toEqual({ kind: 'aborted' });
    expect(classifyOutcome(ran(STEP, {}, 'r3'), true).kind).toBe('ran');
  });
});
