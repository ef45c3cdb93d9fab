import { formatChange } from './change.js';
import { formatValue } from './format-value.js';
import type { GateOutcome } from './gate-check.js';

/** Each gate's verdict, then each input it checked: what was measured and whether it tripped. */
export function formatGates(outcomes: readonly GateOutcome[]): string {
  if (outcomes.length === 0) return '';
  const lines = ['Gates:'];
  for (const { gate, checks, tripped } of outcomes) {
    lines.push(`  ${tripped ? 'FAIL' : 'pass'} --fail-if '${gate.text}'`);
    for (const check of checks) {
      const value = formatValue(gate.metric, check.value, check.metricUnit);
      const change = check.changePercent === null ? '' : ` (${formatChange(check.changePercent)} vs #${check.against ?? 1})`;
      const verdict = check.tripped === null ? 'not measured' : check.tripped ? 'TRIPPED' : 'ok';
      lines.push(`    ${check.label}: ${gate.metric} ${value}${change}: ${verdict}`);
    }
  }
  const failed = outcomes.filter((o) => o.tripped).length;
  lines.push(failed === 0 ? 'All gates passed.' : `${failed} of ${outcomes.length} gate${outcomes.length === 1 ? '' : 's'} tripped.`);
  return `${lines.join('\n')}\n`;
}
