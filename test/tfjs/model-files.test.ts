import { cp, mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TfjsBackend } from '../../src/backends/tfjs-backend.js';
import { UserError } from '../../src/cli/errors.js';
import { BUILTIN_WORKLOADS_DIR } from '../../src/workloads/paths.js';

async function createError(modelPath: string): Promise<UserError> {
  try {
    await TfjsBackend.create({ modelPath, runtime: 'cpu', threads: 0 });
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('the model loaded');
}

describe('loading a TF.js model from disk: problems are model errors naming the file', () => {
  let dir: string;
  let modelPath: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlbench-tfjs-files-'));
    await cp(join(BUILTIN_WORKLOADS_DIR, 'shapes-cnn', 'tfjs'), dir, { recursive: true });
    modelPath = join(dir, 'model.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('a missing model.json', async () => {
    const error = await createError(join(dir, 'absent.json'));
    expect(error.kind).toBe('model');
    expect(error.message).toBe(`${join(dir, 'absent.json')}: no such file`);
  });

  it('a model.json that is not JSON', async () => {
    await writeFile(modelPath, '{"format": "graph-model",');
    const error = await createError(modelPath);
    expect(error.kind).toBe('model');
    expect(error.message).toMatch(new RegExp(`^${modelPath}: not valid JSON \\(`));
  });

  it('JSON that is not a model', async () => {
    await writeFile(modelPath, '{"name": "x"}');
    expect((await createError(modelPath)).message).toBe(`${modelPath}: not a TF.js model.json (it has no modelTopology object)`);
  });

  it('a missing weights file', async () => {
    await unlink(join(dir, 'weights.bin'));
    expect((await createError(modelPath)).message).toBe(`${modelPath}: weights file ${join(dir, 'weights.bin')}: no such file`);
  });

  it('a weights file shorter than its manifest', async () => {
    await truncate(join(dir, 'weights.bin'), 100);
    expect((await createError(modelPath)).message).toBe(`${modelPath}: the weight files hold 100 bytes, the weightsManifest describes 25484`);
  });

  it('an op TF.js does not have: found by the first run at load, not during the benchmark', async () => {
    const json = (await readFile(modelPath, 'utf8')).replace('"op": "MaxPool"', '"op": "NoSuchOp"');
    await writeFile(modelPath, json);
    const error = await createError(modelPath);
    expect(error.kind).toBe('model');
    expect(error.message).toMatch(new RegExp(`^${modelPath}: TF.js could not run this model on zeros \\(image \\[1, 3, 32, 32\\]\\): .*NoSuchOp`));
  });
});
