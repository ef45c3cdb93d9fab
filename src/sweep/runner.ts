import type { SweepPoint, SweepPointKind } from './types.js';

/**
 * How a sweep measures one load level. The CLI records each as a normal result folder with
 * the real clock; tests run them in-process on the virtual clock. The search is the same.
 */
export interface SweepRunner {
  /** A start rate when the user gave none, and how it was chosen. */
  calibrateQps(): Promise<{ readonly qps: number; readonly note: string }>;
  /** One Server run at `qps`: a short probe, or a full-length list point or confirmation. */
  measure(kind: SweepPointKind, qps: number): Promise<SweepPoint>;
}
