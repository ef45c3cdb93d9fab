import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePrompts } from '../../../src/llm/prompts/generate-prompts.js';
import { isLlmWorkload, isLlmWorkloadFile, loadLlmWorkload } from '../../../src/llm/prompts/load-llm-workload.js';
import { BUILTIN_WORKLOADS_DIR } from '../../../src/workloads/paths.js';
import { tempFiles, userErrorOf } from './helpers.js';


/** A valid LLM workload file, with some fields replaced. */
function workloadJson(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    kind: 'llm',
    name: 'tiny',
    description: 'a test workload',
    seed: 3,
    count: 8,
    input: { kind: 'fixed', tokens: 8 },
    output: { kind: 'fixed', tokens: 4 },
    ...fields,
  });
}

describe('LLM workload files', () => {
  it('rejects a bad file with every problem at once, naming the file and the JSON path', () => {
    const bad = {
      kind: 'llm',
      name: 'Bad Name',
      seed: -1,
      count: 10,
      turns: 3,
      input: { kind: 'uniform', min: 9, max: 3 },
      output: { kind: 'gaussian' },
      extra: 1,
      defaults: { server: { ttftBoundMs: -1, tpotBoundMS: 3 } },
    };
    const path = join(tempFiles({ 'workload.json': JSON.stringify(bad) }), 'workload.json');
    const error = userErrorOf(() => loadLlmWorkload(path));
    expect(error.kind).toBe('config');
    expect(error.message.split('\n')).toEqual([
      'invalid LLM workload file:',
      `${path}: $: missing required property 'description'`,
      `${path}: $.extra: unknown property 'extra' (allowed: $schema, kind, name, description, seed, count, input, output, lengthFile, sharedPrefixTokens, turns, defaults)`,
      `${path}: $.name: expected a kebab-case name (lowercase letters and digits joined by single hyphens), found string "Bad Name"`,
      `${path}: $.seed: expected a number >= 0, found -1`,
      `${path}: $.output.kind: expected one of 'fixed', 'uniform', found string "gaussian"`,
      `${path}: $.defaults.server.tpotBoundMS: unknown property 'tpotBoundMS' (did you mean 'tpotBoundMs'?)`,
      `${path}: $.defaults.server.ttftBoundMs: expected a number > 0, found -1`,
      `${path}: $.count: 10 prompts do not divide into sessions of 3 turns (count is sessions x turns)`,
      `${path}: $.input: min 9 is above max 3`,
    ]);
  });

  it('asks for input and output unless a length file gives them', () => {
    const dir = tempFiles({
      'no-lengths.json': workloadJson({ input: undefined, output: undefined }),
      'with-file.json': workloadJson({ input: undefined, output: undefined, lengthFile: 'lengths.txt', count: 3 }),
      'lengths.txt': '5 2\n7 3\n',
    });
    const error = userErrorOf(() => loadLlmWorkload(join(dir, 'no-lengths.json')));
    expect(error.message.split('\n').slice(1)).toEqual([
      `${join(dir, 'no-lengths.json')}: $: missing required property 'input' (give input and output, or a lengthFile)`,
      `${join(dir, 'no-lengths.json')}: $: missing required property 'output' (give input and output, or a lengthFile)`,
    ]);
    const { spec } = loadLlmWorkload(join(dir, 'with-file.json'));
    expect(spec.lengthFile).toBe(join(dir, 'lengths.txt'));
    expect(generatePrompts(spec).map((p) => [p.promptTokens, p.maxTokens])).toEqual([[5, 2], [7, 3], [5, 2]]);
  });

  it('fills the optional fields with their defaults', () => {
    const path = join(tempFiles({ 'w.json': workloadJson() }), 'w.json');
    expect(loadLlmWorkload(path)).toEqual({
      spec: { name: 'tiny', seed: 3, count: 8, input: { kind: 'fixed', tokens: 8 }, output: { kind: 'fixed', tokens: 4 }, lengthFile: null, sharedPrefixTokens: 0, turns: 1 },
      description: 'a test workload',
      defaults: {},
      source: path,
    });
  });

  it('refuses a workload one of whose requests could exceed the model context, saying by how much', () => {
    // 3 turns at the longest: 3 x 24 user + 2 x 48 history + 48 asked = 216 words, 51 template tokens.
    const path = join(tempFiles({ 'w.json': workloadJson({ count: 3, turns: 3, input: { kind: 'uniform', min: 8, max: 24 }, output: { kind: 'fixed', tokens: 48 } }) }), 'w.json');
    expect(loadLlmWorkload(path, { maxContext: 267 }).spec.turns).toBe(3);
    const error = userErrorOf(() => loadLlmWorkload(path, { maxContext: 266 }));
    expect(error.kind).toBe('workload');
    expect(error.message).toBe(
      `${path}: a request of this prompt set can need 267 tokens (prompt with its chat template and history, plus max_tokens), over the model's context of 266; shorten the input, output, prefix or turns`,
    );
  });

  it('reports a missing built-in, a missing file and a file that is not JSON', () => {
    expect(userErrorOf(() => loadLlmWorkload('llm-nope')).message).toBe(
      `--workload llm-nope: no built-in workload of that name (looked for ${join(BUILTIN_WORKLOADS_DIR, 'llm-nope', 'workload.json')})`,
    );
    const dir = tempFiles({ 'broken.json': '{ "kind": "llm", ' });
    expect(userErrorOf(() => loadLlmWorkload(join(dir, 'missing.json'))).message).toBe(`${join(dir, 'missing.json')}: workload file not found`);
    expect(userErrorOf(() => loadLlmWorkload(join(dir, 'broken.json'))).message).toMatch(/broken\.json: not valid JSON/);
  });

  it('tells LLM workloads from model workloads, by name or path', () => {
    const dir = tempFiles({ 'llm.json': workloadJson(), 'broken.json': '{', 'model.json': '{"name": "x"}' });
    expect(isLlmWorkloadFile(join(dir, 'llm.json'))).toBe(true);
    expect(isLlmWorkloadFile(join(dir, 'model.json'))).toBe(false);
    expect(isLlmWorkloadFile(join(dir, 'broken.json'))).toBe(false);
    expect(isLlmWorkloadFile(join(dir, 'missing.json'))).toBe(false);
    expect(isLlmWorkload('llm-mixed')).toBe(true);
    expect(isLlmWorkload('shapes-cnn')).toBe(false);
    expect(isLlmWorkload('no-such-workload')).toBe(false);
    expect(isLlmWorkload(join(dir, 'llm.json'))).toBe(true);
  });
});
