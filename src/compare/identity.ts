import type { BackendDescription, RunResult, SystemDescription } from '../results/types.js';
import type { SweepResult } from '../sweep/types.js';
import type { IdentityField, MeasuredInput, ProfileRowRef } from './types.js';

/** Backend settings that get their own, shorter key; any other setting shows as backend.<key>. */
const PROVIDER_KEYS = ['executionProvider', 'provider'];
const PRECISION_KEYS = ['precision', 'dtype'];
/** Backend "settings" that are measurements of the run, not part of what ran. */
const MEASURED_KEYS = ['batchSizesFormed'];

/**
 * What identifies a measurement: the machine, the software, the workload and the settings
 * that change the numbers. Only fields that differ across inputs become columns, so listing
 * more here costs nothing when they agree.
 */
export function identityOf(input: MeasuredInput): IdentityField[] {
  if (input.kind === 'sweep') return sweepIdentity(input.sweep);
  const fields = resultIdentity(input.result);
  return input.profileRow === undefined ? fields : withProfileRow(fields, input.profileRow);
}

/**
 * A profile row knows its precision and runtime variant in the profile's own words, which the
 * result.json alone does not record; the profile id tells two profiles' rows apart.
 */
function withProfileRow(fields: readonly IdentityField[], row: ProfileRowRef): IdentityField[] {
  const fromProfile = [field('profile', row.profileId), field('precision', row.precision), field('variant', row.variant)];
  return [...fromProfile, ...fields.filter((f) => f.key !== 'precision')];
}

function resultIdentity(r: RunResult): IdentityField[] {
  const s = r.effectiveSettings;
  return [
    ...systemFields(r.system),
    ...backendFields(r.backend, precisionOf(r.backend.settings, r.requestedSettings)),
    field('workload', r.workload.name),
    // The model's hash tells a re-exported or quantized model apart from one with the same path.
    field('model', r.model.sha256 === null ? r.model.path : r.model.sha256.slice(0, 12)),
    field('scenario', r.summary.scenario),
    field('mode', r.summary.mode),
    field('settings.targetQps', s.scenario === 'server' ? s.targetQps : null),
    field('settings.latencyBoundMs', s.latencyBoundMs),
    field('settings.latencyPercentile', s.latencyPercentile),
    field('settings.samplesPerQuery', s.scenario === 'multistream' ? s.samplesPerQuery : null),
    field('settings.minDurationMs', s.minDurationMs),
    // LLM runs: token goodput depends on the bounds, every token number on the prompt set.
    // Older results lack the bound fields: absent reads as none.
    field('settings.ttftBoundMs', s.ttftBoundMs ?? null),
    field('settings.tpotBoundMs', s.tpotBoundMs ?? null),
    field('llm.promptSet', r.llm?.promptSet ?? null),
  ];
}

function sweepIdentity(sw: SweepResult): IdentityField[] {
  return [
    ...systemFields(sw.system),
    ...backendFields(sw.backend, precisionOf(sw.backend.settings, {})),
    field('workload', sw.workload.name),
    field('model', null),
    field('scenario', `sweep (${sw.mode}, ${sw.method})`),
    field('mode', 'performance'),
    field('settings.targetQps', null),
    field('settings.latencyBoundMs', sw.latencyBoundMs),
    field('settings.latencyPercentile', sw.percentile),
    field('settings.samplesPerQuery', null),
    field('settings.minDurationMs', null),
    field('settings.ttftBoundMs', null),
    field('settings.tpotBoundMs', null),
    field('llm.promptSet', null),
  ];
}

function systemFields(system: SystemDescription): IdentityField[] {
  return [
    field('system.hostname', system.hostname),
    field('system.cpu', system.cpu.model),
    field('system.gpus', system.gpus.length === 0 ? 'none' : system.gpus.map((g) => g.name).join(' + ')),
  ];
}

function backendFields(backend: BackendDescription, precision: string | null): IdentityField[] {
  const versions = Object.entries(backend.versions).map(([name, version]) => `${name} ${version}`);
  const provider = PROVIDER_KEYS.map((key) => backend.settings[key]).find((v) => v !== undefined);
  const rest = Object.entries(backend.settings)
    .filter(([key]) => !PROVIDER_KEYS.includes(key) && !PRECISION_KEYS.includes(key) && !MEASURED_KEYS.includes(key))
    .map(([key, value]) => field(`backend.${key}`, show(value)));
  return [
    field('backend.name', backend.name),
    field('backend.versions', versions.length === 0 ? null : versions.join(', ')),
    field('backend.provider', provider === undefined ? null : show(provider)),
    field('precision', precision),
    ...rest,
  ];
}

/** Precision is not a result field yet: taken from the backend or requested settings when one names it. */
function precisionOf(backendSettings: Readonly<Record<string, unknown>>, requested: Readonly<Record<string, unknown>>): string | null {
  for (const source of [backendSettings, requested]) {
    const value = PRECISION_KEYS.map((key) => source[key]).find((v) => v !== undefined && v !== null);
    if (value !== undefined) return show(value);
  }
  return null;
}

function field(key: string, value: string | number | null): IdentityField {
  return { key, value: value === null ? null : String(value) };
}

function show(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
