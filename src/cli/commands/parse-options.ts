import { InvalidArgumentError } from 'commander';

/** Commander option parsers shared by every command, so flags mean the same thing everywhere. */
export function listOption(value: string, previous?: string[]): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // An empty list would mean "no filter" further down, i.e. everything: refuse it instead.
  if (items.length === 0) throw new InvalidArgumentError(`expected a comma-separated list of names, got "${value}"`);
  return [...(previous ?? []), ...items];
}

export function numberOption(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

export function intOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return n;
}
