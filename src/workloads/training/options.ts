/** What both built-in trainers report after each epoch. */
export interface EpochReport {
  epoch: number;
  /** Mean cross-entropy over the epoch (for logging only; uses Math.log). */
  meanLoss: number;
  /** Fraction of training samples classified correctly while training. */
  runningAccuracy: number;
}

/** Defaults overlaid with the given options; undefined entries keep the default. */
export function overlayDefined<T extends object>(defaults: T, overrides: Partial<T>): T {
  const options: T = { ...defaults };
  for (const key of Object.keys(options) as (keyof T)[]) {
    const value = overrides[key];
    if (value !== undefined) Object.assign(options, { [key]: value });
  }
  return options;
}
