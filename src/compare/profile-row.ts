import type { ProfileRowRef } from './types.js';

/** "fp16 ort (cpu, 2 threads, graph all, sequential) offline": the row as the profile names it. */
export function profileCellName(row: Omit<ProfileRowRef, 'profileId'>): string {
  return `${row.precision} ${row.backend} (${row.variant}) ${row.scenario}`;
}

/** A profile row's table label: which profile, then which cell. */
export function profileRowLabel(row: ProfileRowRef): string {
  return `${row.profileId}: ${profileCellName(row)}`;
}

/** Rows of different profiles with the same key measured the same cell: they are compared with each other. */
export function profileMatchKey(row: ProfileRowRef): string {
  return JSON.stringify([row.precision, row.backend, row.variant, row.scenario]);
}
