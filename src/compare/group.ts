import type { IdentityField } from './types.js';

export interface Grouping {
  /** Fields with one value across every input (fields no input recorded are left out). */
  readonly same: IdentityField[];
  /** Keys whose values differ, in first-seen order. */
  readonly varies: string[];
}

/** Splits identity fields into those all inputs share and those that tell the inputs apart. */
export function groupIdentities(identities: readonly (readonly IdentityField[])[]): Grouping {
  const keys: string[] = [];
  for (const identity of identities) {
    for (const { key } of identity) if (!keys.includes(key)) keys.push(key);
  }
  const same: IdentityField[] = [];
  const varies: string[] = [];
  for (const key of keys) {
    const values = identities.map((identity) => fieldValue(identity, key));
    if (values.every((v) => v === null)) continue;
    if (values.every((v) => v === values[0])) same.push({ key, value: values[0] ?? null });
    else varies.push(key);
  }
  return { same, varies };
}

/** A field an input does not have counts as null, so it differs from one that has a value. */
export function fieldValue(identity: readonly IdentityField[], key: string): string | null {
  return identity.find((f) => f.key === key)?.value ?? null;
}
