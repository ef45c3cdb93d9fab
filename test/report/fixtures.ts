import { fileURLToPath } from 'node:url';

/** Real short runs (null and ort Server, ort Offline accuracy) and two hand-written sweeps. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/report/', import.meta.url));
export const fixture = (name: string): string => `${FIXTURES}${name}`;
