import type { ConfigProblem } from '../results/config-problem.js';

type Check = readonly [path: string, ok: (v: unknown) => boolean, expected: string];

const isString = (v: unknown): boolean => typeof v === 'string';
const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
const orNull = (ok: (v: unknown) => boolean) => (v: unknown) => v === null || ok(v);

/** The fields compare reads from sweep.json. */
const CHECKS: readonly Check[] = [
  ['sweepId', isString, 'a string'],
  ['mode', (v) => v === 'server' || v === 'concurrency', '"server" or "concurrency"'],
  ['method', (v) => v === 'list' || v === 'find-peak', '"list" or "find-peak"'],
  ['workload.name', isString, 'a string'],
  ['backend.name', isString, 'a string'],
  ['backend.versions', isObject, 'an object'],
  ['backend.settings', isObject, 'an object'],
  ['system.hostname', isString, 'a string'],
  ['system.cpu.model', isString, 'a string'],
  ['system.gpus', Array.isArray, 'an array'],
  ['latencyBoundMs', orNull(isNumber), 'a number or null'],
  ['percentile', isNumber, 'a number'],
  ['points', Array.isArray, 'an array'],
  ['peak', orNull(isObject), 'an object or null'],
];

const PEAK_CHECKS: readonly Check[] = [
  ['peak.qps', isNumber, 'a number'],
  ['peak.confirmation.runId', isString, 'a string'],
  ['peak.confirmation.valid', (v) => typeof v === 'boolean', 'true or false'],
];

/**
 * Structural check of the sweep.json fields compare uses, every problem at once. Stands in
 * until schemas/sweep.schema.json exists and validateDocument accepts 'sweep'.
 */
export function sweepProblems(doc: Record<string, unknown>, source: string): ConfigProblem[] {
  const checks = doc['peak'] !== null && isObject(doc['peak']) ? [...CHECKS, ...PEAK_CHECKS] : CHECKS;
  const problems: ConfigProblem[] = [];
  for (const [path, ok, expected] of checks) {
    const value = at(doc, path);
    if (!ok(value)) problems.push({ source, path: `$.${path}`, message: `expected ${expected}, found ${value === undefined ? 'nothing' : JSON.stringify(value)}` });
  }
  const points = doc['points'];
  if (Array.isArray(points)) {
    points.forEach((p: unknown, i) => {
      const latency = at(p, 'latencyNs');
      if (!isObject(p) || !isString(at(p, 'kind')) || !isObject(latency) || !isNumber(at(latency, 'p99'))) {
        problems.push({ source, path: `$.points[${i}]`, message: 'expected a point with kind and latencyNs.{p50,p90,p99}' });
      }
    });
  }
  return problems;
}

function at(value: unknown, path: string): unknown {
  let node = value;
  for (const key of path.split('.')) {
    if (!isObject(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
