import { UserError } from '../cli/errors.js';
import { METRIC_INFO } from './metric-info.js';
import { METRIC_NAMES, type MetricName } from './types.js';

export type GateOp = '<' | '>';

/** `--fail-if` parsed: trips when the measured value (or change) is on the OP side of the threshold. */
export interface Gate {
  readonly text: string;
  readonly metric: MetricName;
  readonly op: GateOp;
  readonly threshold:
    /** Percent change against the first input, checked on every other input. */
    | { readonly kind: 'change'; readonly percent: number }
    /** A limit in the metric's HeadlineMetrics unit (ms, per second, fraction), checked on every input. */
    | { readonly kind: 'absolute'; readonly value: number };
}

export const GATE_FORMS =
  `accepted forms: METRIC<LIMIT or METRIC>LIMIT, METRIC one of ${METRIC_NAMES.join(', ')}; ` +
  'LIMIT a signed percent change against the first input (throughput<-5%, p99>+10%, ttft-p99>+10%) ' +
  'or an absolute limit (p99>20ms, throughput<1000, tokens<500, accuracy<0.75 or accuracy<75%)';

// Longest name first, so p99.9 wins over p99 and ttft-p99 is not read as a shorter name.
const METRIC_PATTERN = [...METRIC_NAMES]
  .sort((a, b) => b.length - a.length)
  .map((name) => name.replace(/[.]/g, '\\.'))
  .join('|');
const GRAMMAR = new RegExp(`^(${METRIC_PATTERN})\\s*([<>])\\s*([+-])?(\\d+(?:\\.\\d+)?)\\s*(%|ms|qps|\\/s)?$`);

/** Units an absolute limit may carry, per metric; '' is a bare number. */
const ABSOLUTE_UNITS: Record<MetricName, readonly string[]> = {
  throughput: ['', 'qps', '/s'],
  goodput: ['', 'qps', '/s'],
  // Output tokens per second: not queries, so no qps.
  tokens: ['', '/s'],
  // Requests per second within every token bound.
  'token-goodput': ['', 'qps', '/s'],
  p50: ['', 'ms'],
  p90: ['', 'ms'],
  p99: ['', 'ms'],
  'p99.9': ['', 'ms'],
  'ttft-p50': ['', 'ms'],
  'ttft-p99': ['', 'ms'],
  'tpot-p50': ['', 'ms'],
  'tpot-p99': ['', 'ms'],
  'itl-p99': ['', 'ms'],
  // The scenario metric's unit differs by scenario (ms or samples/s): a bare number in that unit.
  metric: [''],
  accuracy: ['', '%'],
  'server-queue': ['', 'ms'],
  'server-compute': ['', 'ms'],
  network: ['', 'ms'],
};

/** Parses one `--fail-if` with a strict grammar; anything else is a UserError naming the accepted forms. */
export function parseGate(text: string): Gate {
  const match = GRAMMAR.exec(text.trim());
  const reject = (why: string): UserError => new UserError('flag', `--fail-if '${text}': ${why}; ${GATE_FORMS}`);
  if (match === null) throw reject('not understood');
  const [, metricText, opText, sign, numberText, unitText] = match;
  const metric = metricText as MetricName;
  const op = opText as GateOp;
  const number = Number(numberText);
  const unit = unitText ?? '';
  if (sign !== undefined) {
    if (unit !== '%') throw reject('a signed limit is a change and ends in % (e.g. -5%)');
    return { text, metric, op, threshold: { kind: 'change', percent: sign === '-' ? -number : number } };
  }
  if (!ABSOLUTE_UNITS[metric].includes(unit)) {
    const hint = unit === '%' ? 'a change needs a sign (+10% or -5%)' : `${metric} takes ${unitsText(metric)}`;
    throw reject(hint);
  }
  const value = metric === 'accuracy' && unit === '%' ? number / 100 : number;
  return { text, metric, op, threshold: { kind: 'absolute', value } };
}

function unitsText(metric: MetricName): string {
  const info = METRIC_INFO[metric];
  const units = ABSOLUTE_UNITS[metric].filter((u) => u !== '');
  const base = info.unit === null ? 'a bare number in the scenario metric\'s unit' : `a bare number (${info.unit})`;
  return units.length === 0 ? base : `${base} or a number ending in ${units.join(' or ')}`;
}
