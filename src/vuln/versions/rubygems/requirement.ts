import { cachedParser } from '../parse-cache.js';

/**
 * Gem::Requirement: comma-separated `op version` clauses (`~> 1.2`, `>= 1.0, < 2`, `!= 1.1`,
 * a bare version meaning `=`), all of which must hold. `~> v` is `>= v` and, on the release
 * part, below v bumped (`~> 1.2.3` < 1.3, `~> 1.2` < 2).
 */

export type Op = '=' | '!=' | '>' | '<' | '>=' | '<=' | '~>';
export interface Clause {
  op: Op;
  version: string;
  /** For `~>`: the bumped release the version must stay below. */
  bump?: string;
}

const VERSION = '[0-9]+(?:\\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?';
const CLAUSE = new RegExp(`^\\s*(=|!=|>=|<=|>|<|~>)?\\s*(${VERSION})\\s*$`);

/** Gem::Version#segments (digits as numbers, "-" read as ".pre."). */
function segments(version: string): string[] {
  return (
    version
      .trim()
      .replaceAll('-', '.pre.')
      .match(/[0-9]+|[a-z]+/gi) ?? []
  );
}

/** Gem::Version#bump: drop the pre-release part and the last number, increment the one before. */
function bump(version: string): string {
  const numbers = segments(version);
  const firstWord = numbers.findIndex((s) => !/^\d/.test(s));
  if (firstWord >= 0) numbers.length = firstWord;
  if (numbers.length > 1) numbers.pop();
  numbers[numbers.length - 1] = (BigInt(numbers[numbers.length - 1] ?? '0') + 1n).toString();
  return numbers.join('.');
}

/** Gem::Version#release: the version without its pre-release part. */
export function release(version: string): string {
  const s = segments(version);
  const firstWord = s.findIndex((x) => !/^\d/.test(x));
  return firstWord < 0 ? version : s.slice(0, firstWord).join('.');
}

export const parseRequirement = cachedParser((text: string): Clause[] | undefined => {
  const clauses: Clause[] = [];
  for (const part of text.split(',')) {
    const m = CLAUSE.exec(part);
    if (!m) return undefined;
    const op = (m[1] ?? '=') as Op;
    const version = m[2]!;
    clauses.push(op === '~>' ? { op, version, bump: bump(version) } : { op, version });
  }
  return clauses;
}, 2048);
