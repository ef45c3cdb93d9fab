/** Comma-separated flag values, each list checked whole so every problem is reported at once. */

function split(text: string, flag: string, example: string, problems: string[]): string[] {
  const values = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (values.length === 0) problems.push(`--${flag}: expected a comma-separated list, e.g. --${flag} ${example}`);
  const repeated = values.filter((v, i) => values.indexOf(v) !== i);
  if (repeated.length > 0) problems.push(`--${flag}: ${[...new Set(repeated)].join(', ')} listed more than once`);
  return [...new Set(values)];
}

/** A list of names from a closed set, e.g. --backends ort,tfjs. */
export function parseChoiceList<T extends string>(text: string, flag: string, choices: readonly T[], problems: string[]): T[] {
  const values = split(text, flag, choices.slice(0, 2).join(','), problems);
  const unknown = values.filter((v) => !(choices as readonly string[]).includes(v));
  if (unknown.length > 0) problems.push(`--${flag}: unknown ${unknown.join(', ')} (choices: ${choices.join(', ')})`);
  return values.filter((v): v is T => (choices as readonly string[]).includes(v));
}

/** Whole numbers >= 0, e.g. --threads 1,2 (0 = the runtime's default). */
export function parseCountList(text: string, flag: string, problems: string[]): number[] {
  const values = split(text, flag, '1,2', problems);
  const numbers = values.map(Number);
  const bad = values.filter((_, i) => !(Number.isInteger(numbers[i]) && numbers[i]! >= 0));
  if (bad.length > 0) problems.push(`--${flag}: expected whole numbers >= 0 (0 = the runtime's default), found ${bad.join(', ')}`);
  return numbers.filter((n) => Number.isInteger(n) && n >= 0);
}

/** Kebab-case names, e.g. --precisions fp32,int8-static. */
export function parseNameList(text: string, flag: string, problems: string[]): string[] {
  const values = split(text, flag, 'fp32,fp16', problems);
  const bad = values.filter((v) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(v));
  if (bad.length > 0) problems.push(`--${flag}: expected kebab-case names (lowercase letters and digits joined by hyphens), found ${bad.join(', ')}`);
  return values.filter((v) => !bad.includes(v));
}
