import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, from src/ (tests) or dist/ (installed): both sit one level below it. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILTIN_WORKLOADS_DIR = join(PACKAGE_ROOT, 'workloads');
export const BUILTIN_SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios');
export const DEFAULT_WORKLOAD = 'shapes-cnn';
