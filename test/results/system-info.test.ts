import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectSystem, parseCpuInfo, parseNvidiaSmi } from '../../src/results/system-info.js';
import { validateDocument } from '../../src/results/validate.js';
import { serverResult } from '../fixtures/result-fixture.js';

const savedPath = process.env['PATH'];

afterEach(() => {
  process.env['PATH'] = savedPath;
});

/** Puts a stand-in nvidia-smi (a shell script) first on the PATH. */
async function fakeNvidiaSmi(script: string): Promise<string> {
  const dir = await mkdtemp(join(os.tmpdir(), 'mlbench-smi-'));
  const file = join(dir, 'nvidia-smi');
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
  process.env['PATH'] = `${dir}:${savedPath ?? ''}`;
  return dir;
}

describe('detectSystem', () => {
  it('describes this machine', async () => {
    const system = await detectSystem();
    expect(system.hostname).toBe(os.hostname());
    expect(system.os).toEqual({ platform: process.platform, release: os.release(), arch: process.arch });
    expect(system.cpu.model.length).toBeGreaterThan(0);
    expect(system.cpu.cores).toBeGreaterThanOrEqual(1);
    expect(system.memoryBytes).toBe(os.totalmem());
    expect(system.node).toBe(process.version);
    if (system.gpus.length === 0) expect(system.gpuNote).toMatch(/nvidia-smi/);
    else expect(system.gpuNote).toBeNull();
    // It is stored in result.json as is.
    const stored = { ...serverResult, system };
    expect(validateDocument('result', stored, 'r.json')).toEqual([]);
  });

  it('notes that nvidia-smi is missing when it is not on the PATH', async () => {
    process.env['PATH'] = '/nonexistent';
    const system = await detectSystem();
    expect(system.gpus).toEqual([]);
    expect(system.gpuNote).toBe('nvidia-smi not found: no NVIDIA GPU detected');
  });

  it.skipIf(process.platform === 'win32')('lists the GPUs nvidia-smi reports', async () => {
    const dir = await fakeNvidiaSmi("echo 'NVIDIA H100 80GB HBM3, 81559, 550.54.15'");
    try {
      const system = await detectSystem();
      expect(system.gpus).toEqual([{ name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, driver: '550.54.15' }]);
      expect(system.gpuNote).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(process.platform === 'win32')('notes why nvidia-smi failed', async () => {
    const dir = await fakeNvidiaSmi(
      "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"; exit 9",
    );
    try {
      const system = await detectSystem();
      expect(system.gpus).toEqual([]);
      expect(system.gpuNote).toBe("nvidia-smi failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseCpuInfo', () => {
  it('keeps the model and the inference-relevant x86 flags', () => {
    const text = [
      'processor\t: 0',
      'model name\t: Intel(R) Xeon(R) Platinum 8480+',
      'flags\t\t: fpu vme sse4_1 sse4_2 avx f16c fma avx2 avx512f avx512_vnni amx_tile amx_int8 amx_bf16 rdrand',
      '',
      'processor\t: 1',
      'model name\t: ignored',
    ].join('\n');
    expect(parseCpuInfo(text)).toEqual({
      model: 'Intel(R) Xeon(R) Platinum 8480+',
      flags: ['avx', 'avx2', 'avx512f', 'avx512_vnni', 'amx_tile', 'amx_int8', 'amx_bf16', 'f16c', 'fma', 'sse4_2'],
    });
  });

  it('reads the Arm "Features" line', () => {
    expect(parseCpuInfo('processor\t: 0\nFeatures\t: fp asimd evtstrm aes crc32\n')).toEqual({ model: null, flags: ['asimd'] });
  });
});

describe('parseNvidiaSmi', () => {
  it('reads one GPU per line, unknown values as null', () => {
    expect(parseNvidiaSmi('NVIDIA H100 80GB HBM3, 81559, 550.54.15\nTesla T4, [N/A], [N/A]\n')).toEqual([
      { name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, driver: '550.54.15' },
      { name: 'Tesla T4', memoryMiB: null, driver: null },
    ]);
  });
});
