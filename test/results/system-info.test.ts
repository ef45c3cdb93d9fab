import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { detectSystem, parseCpuInfo, parseNvidiaSmi } from '../../src/results/system-info.js';
import { validateDocument } from '../../src/results/validate.js';
import { resultWith } from '../fixtures/result-fixture.js';

const savedPath = process.env['PATH'];

afterEach(() => {
  process.env['PATH'] = savedPath;
});

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
    expect(validateDocument('result', resultWith((d) => void (d.system = structuredClone(system))), 'r.json')).toEqual([]);
  });

  it('notes that nvidia-smi is missing when it is not on the PATH', async () => {
    process.env['PATH'] = '/nonexistent';
    const system = await detectSystem();
    expect(system.gpus).toEqual([]);
    expect(system.gpuNote).toBe('nvidia-smi not found: no NVIDIA GPU detected');
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
