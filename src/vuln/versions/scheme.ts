/**
 * The interface every version scheme answers (one folder per scheme, see README.md).
 *
 * `compare` is total and deterministic on any strings and never throws: invalid versions are
 * ordered the way the ecosystem's own tool orders them where it defines that, and otherwise as
 * each scheme's readme says. It returns -1, 0 or 1.
 */
export interface VersionScheme {
  readonly name: string;
  isValid(version: string): boolean;
  compare(a: string, b: string): number;
  /** Present where the ecosystem has a range syntax of its own (npm ranges, PEP 440 specifiers...). */
  isValidRange?(range: string): boolean;
  /** False for a range that does not parse. */
  satisfies?(version: string, range: string): boolean;
}
