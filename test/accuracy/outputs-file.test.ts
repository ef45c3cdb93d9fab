import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyOutputRows, setRow } from '../../src/accuracy/output-rows.js';
import { OUTPUTS_FILE, readOutputsFile, resolveOutputsPath, writeOutputsFile } from '../../src/accuracy/outputs-file.js';

describe('outputs.bin', () => {
  it('round-trips rows exactly, unanswered rows as absent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlbench-outputs-'));
    const rows = emptyOutputRows(3, 2);
    setRow(rows, 0, [1.5, -2]);
    setRow(rows, 2, [0.25, 3e-8]);
    const file = join(dir, OUTPUTS_FILE);
    await writeOutputsFile(file, rows);
    const back = await readOutputsFile(file, 3, 2);
    expect([...back.present]).toEqual([1, 0, 1]);
    expect([...back.data.subarray(0, 2)]).toEqual([1.5, -2]);
    expect(back.data[4]).toBe(Math.fround(0.25));
    expect(back.data[5]).toBe(Math.fround(3e-8));
    expect(resolveOutputsPath(dir)).toBe(file);
  });

  it('names the size mismatch when the reference comes from another model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlbench-outputs-'));
    const file = join(dir, OUTPUTS_FILE);
    writeFileSync(file, Buffer.alloc(12));
    await expect(readOutputsFile(file, 2, 2)).rejects.toThrow(/12 bytes.*2 rows x 2 float32 \(16 bytes\)/);
    expect(() => resolveOutputsPath(join(dir, 'nope'))).toThrow(/--reference-outputs .*not found/);
  });
});
