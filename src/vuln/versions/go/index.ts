import { cachedParser } from '../parse-cache.js';
import type { VersionScheme } from '../scheme.js';
import { comparePrecedence, type SemVer } from '../semver/parse.js';

/**
 * Go modules, ordered as golang.org/x/mod/semver orders them: "v"-prefixed SemVer where
 * "v1" and "v1.2" stand for v1.0.0 and v1.2.0, pseudo-versions are ordinary pre-releases and
 * "+incompatible" is build metadata (ignored). Every invalid version sorts below every valid
 * one, and all invalid versions are equal, as in x/mod.
 *
 * OSV writes Go versions without the "v" ("1.16.0-0", "0"), so one is added where missing;
 * Go toolchain versions ("go1.21.4", "go1.21rc2", "go1.9beta1") read as the stdlib's SemVer
 * (1.21.4, 1.21.0-rc.2, 1.9.0-beta.1), as the Go vulnerability database writes them.
 */

const NUMBER = '0|[1-9]\\d*';
const IDENTIFIER = `(?:${NUMBER}|\\d*[A-Za-z-][0-9A-Za-z-]*)`;
const GO_SEMVER = new RegExp(
  `^v(${NUMBER})(?:\\.(${NUMBER})(?:\\.(${NUMBER})(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?)?)?$`,
);
const TOOLCHAIN = /^go(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(rc|beta|alpha)(\d+))?$/;

/** The x/mod/semver reading of a string, or null when x/mod would call it invalid. */
function parse(input: string): SemVer | null {
  let s = input;
  const toolchain = TOOLCHAIN.exec(s);
  if (toolchain) {
    const [, major, minor = '0', patch = '0', stage, n] = toolchain;
    s = `v${major}.${minor}.${patch}${stage ? `-${stage}.${n}` : ''}`;
  } else if (/^\d/.test(s)) {
    s = `v${s}`;
  }
  const m = GO_SEMVER.exec(s);
  if (!m) return null;
  // x/mod accepts the short forms only without pre-release or build.
  return {
    major: m[1]!,
    minor: m[2] ?? '0',
    patch: m[3] ?? '0',
    prerelease: m[4] ? m[4].split('.') : [],
    build: m[5] ? m[5].split('.') : [],
  };
}

const parseCached = cachedParser(parse);

function isValid(version: string): boolean {
  return parseCached(version) !== null;
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  const va = parseCached(a);
  const vb = parseCached(b);
  if (!va || !vb) return va ? 1 : vb ? -1 : 0;
  return comparePrecedence(va, vb);
}

export const go: VersionScheme = { name: 'go', isValid, compare };
