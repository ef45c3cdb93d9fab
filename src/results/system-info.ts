import { type ExecFileException, execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { SystemDescription } from './types.js';

/** CPU features that change which kernels a runtime picks; the full list is hundreds long. */
const INFERENCE_FLAGS = [
  'avx',
  'avx2',
  'avx512f',
  'avx512_vnni',
  'avx512_bf16',
  'avx512_fp16',
  'amx_tile',
  'amx_int8',
  'amx_bf16',
  'f16c',
  'fma',
  'sse4_2',
  'asimd',
  'neon',
] as const;

const NVIDIA_SMI_TIMEOUT_MS = 5000;

type Gpu = SystemDescription['gpus'][number];

/** Describes this machine for result.json. Never throws: what cannot be read is left out or noted. */
export async function detectSystem(): Promise<SystemDescription> {
  const [cpuinfo, gpu] = await Promise.all([readCpuInfo(), detectGpus()]);
  const cpus = safe(() => os.cpus(), []);
  const cores = cpus.length > 0 ? cpus.length : safe(() => os.availableParallelism(), 1);
  return {
    hostname: safe(() => os.hostname(), 'unknown'),
    os: { platform: process.platform, release: safe(() => os.release(), 'unknown'), arch: process.arch },
    cpu: {
      model: cpuinfo.model ?? cpus[0]?.model.trim() ?? 'unknown',
      cores: Math.max(1, cores),
      flags: cpuinfo.flags,
    },
    memoryBytes: safe(() => os.totalmem(), 0),
    node: process.version,
    nodeFlags: process.execArgv,
    gpus: gpu.gpus,
    gpuNote: gpu.note,
  };
}

/** The first "model name" and "flags" (x86) or "Features" (Arm) lines of /proc/cpuinfo. */
export function parseCpuInfo(text: string): { model: string | null; flags: string[] } {
  let model: string | null = null;
  let flags: string[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (model === null && key === 'model name' && value !== '') model = value;
    if (flags.length === 0 && (key === 'flags' || key === 'Features')) {
      const present = new Set(value.split(/\s+/));
      flags = INFERENCE_FLAGS.filter((flag) => present.has(flag));
    }
  }
  return { model, flags };
}

/** `nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(stdout: string): Gpu[] {
  const gpus: Gpu[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    // Split from the right: the name is the only field that could hold a comma.
    const fields = line.split(',');
    const driver = fields.pop()?.trim() ?? '';
    const memory = fields.pop()?.trim() ?? '';
    const memoryMiB = Number(memory);
    gpus.push({
      name: fields.join(',').trim() || 'unknown',
      memoryMiB: memory !== '' && Number.isFinite(memoryMiB) ? memoryMiB : null,
      driver: driver === '' || driver.startsWith('[') ? null : driver,
    });
  }
  return gpus;
}

async function readCpuInfo(): Promise<{ model: string | null; flags: string[] }> {
  if (process.platform !== 'linux') return { model: null, flags: [] };
  try {
    return parseCpuInfo(await readFile('/proc/cpuinfo', 'utf8'));
  } catch {
    return { model: null, flags: [] };
  }
}

function detectGpus(): Promise<{ gpus: Gpu[]; note: string | null }> {
  const args = ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader,nounits'];
  return new Promise((resolve) => {
    try {
      execFile('nvidia-smi', args, { timeout: NVIDIA_SMI_TIMEOUT_MS, windowsHide: true }, (error, stdout, stderr) => {
        if (error !== null) {
          resolve({ gpus: [], note: gpuFailure(error, `${String(stderr)}\n${String(stdout)}`) });
          return;
        }
        const gpus = parseNvidiaSmi(String(stdout));
        resolve({ gpus, note: gpus.length > 0 ? null : 'nvidia-smi listed no GPUs' });
      });
    } catch (error) {
      resolve({ gpus: [], note: `nvidia-smi could not be started: ${(error as Error).message}` });
    }
  });
}

/** nvidia-smi prints some failures (no driver) on stdout, others on stderr. */
function gpuFailure(error: ExecFileException, output: string): string {
  if (error.code === 'ENOENT') return 'nvidia-smi not found: no NVIDIA GPU detected';
  if (error.killed === true) return `nvidia-smi did not answer within ${NVIDIA_SMI_TIMEOUT_MS / 1000} s`;
  const why = output.split('\n').find((line) => line.trim() !== '')?.trim() ?? error.message;
  return `nvidia-smi failed: ${why}`;
}

function safe<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}
