import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../src/backends/buffer-pool.js';

describe('BufferPool', () => {
  it('hands out buffers of the exact length at the start of their own memory', () => {
    const pool = new BufferPool();
    const buffer = pool.take(1000);
    expect(buffer.byteLength).toBe(1000);
    expect(buffer.byteOffset).toBe(0);
    expect(buffer.buffer.byteLength).toBe(1000);
  });

  it('gives a returned buffer to the next taker of the same length, and only of that length', () => {
    const pool = new BufferPool();
    const first = pool.take(64);
    pool.give(first);
    expect(pool.take(128)).not.toBe(first);
    expect(pool.take(64)).toBe(first);
    // Taken again, so no longer idle: the next one is new.
    expect(pool.take(64)).not.toBe(first);
  });

  it('keeps no more idle bytes than its budget', () => {
    const pool = new BufferPool(100);
    const a = pool.take(60);
    const b = pool.take(60);
    pool.give(a);
    pool.give(b); // 120 idle bytes would be over the budget: b is dropped
    expect(pool.take(60)).toBe(a);
    const next = pool.take(60);
    expect(next).not.toBe(a);
    expect(next).not.toBe(b);
  });
});
