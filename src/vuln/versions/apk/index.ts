import { compareDigitRuns, isDigit } from '../numeric.js';
import type { VersionScheme } from '../scheme.js';

/**
 * Alpine versions, `digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}`, tokenised and
 * compared as apk-tools 3 does, including its fuzzy "~" prefix match. Works on index ranges
 * of the original strings; numbers of any length compare exactly (apk wraps them at 2^64).
 *
 * Versions apk-tools 3 rejects but Alpine's archive holds, compared as apk-tools 2 did:
 * digits after the letter (`6.6.2p1-r0`), `-r` without digits (revision 0). Any other invalid
 * tail sorts below the valid version it starts with (as in apk-tools 3); two invalid tails
 * after equal tokens compare as text up to the first `-`, as osv.dev orders them.
 */

enum Token {
  InitialDigit,
  Digit,
  Letter,
  Suffix,
  SuffixNo,
  CommitHash,
  RevisionNo,
  End,
  Invalid,
}

/** Suffix order; `None` is where a version without a suffix sorts. */
enum Suffix {
  Invalid,
  Alpha,
  Beta,
  Pre,
  Rc,
  None,
  Cvs,
  Svn,
  Git,
  Hg,
  P,
}

const SUFFIXES: Record<string, Suffix> = {
  alpha: Suffix.Alpha,
  beta: Suffix.Beta,
  pre: Suffix.Pre,
  rc: Suffix.Rc,
  cvs: Suffix.Cvs,
  svn: Suffix.Svn,
  git: Suffix.Git,
  hg: Suffix.Hg,
  p: Suffix.P,
};

class Tokenizer {
  token: Token = Token.InitialDigit;
  suffix: Suffix = Suffix.None;
  /** The token's value is s[start..end). */
  start = 0;
  end = 0;
  /** Where the current token begins, separator included. */
  private tokenStart = 0;
  private s = '';
  private pos = 0;

  /** Strict is apk-tools 3's validity; lenient also reads what apk-tools 2 accepted. */
  constructor(private readonly lenient: boolean) {}

  first(s: string): this {
    this.s = s;
    this.pos = this.tokenStart = 0;
    this.token = Token.InitialDigit;
    this.digits();
    return this;
  }

  next(): void {
    const s = this.s;
    this.tokenStart = this.pos;
    if (this.pos >= s.length) {
      this.token = Token.End;
      return;
    }
    const c = s.charCodeAt(this.pos);
    if (isLower(c)) {
      if (this.token > Token.Digit) {
        this.invalid();
        return;
      }
      this.start = this.pos++;
      this.end = this.pos;
      this.token = Token.Letter;
    } else if (c === 46 /* . */) {
      if (this.token > Token.Digit) {
        this.invalid();
        return;
      }
      this.pos++;
      this.token = Token.Digit;
      this.digits();
    } else if (isDigit(c)) {
      if (this.token === Token.Suffix) this.token = Token.SuffixNo;
      else if (this.lenient && this.token === Token.Letter) this.token = Token.Digit;
      else {
        this.invalid();
        return;
      }
      this.digits();
    } else if (c === 95 /* _ */) {
      if (this.token > Token.SuffixNo) {
        this.invalid();
        return;
      }
      this.start = ++this.pos;
      while (this.pos < s.length && isLower(s.charCodeAt(this.pos))) this.pos++;
      this.end = this.pos;
      this.suffix = SUFFIXES[s.slice(this.start, this.end)] ?? Suffix.Invalid;
      if (this.suffix === Suffix.Invalid) {
        this.invalid();
        return;
      }
      this.token = Token.Suffix;
    } else if (c === 126 /* ~ */) {
      if (this.token >= Token.CommitHash) {
        this.invalid();
        return;
      }
      this.start = ++this.pos;
      while (this.pos < s.length && isLowerHex(s.charCodeAt(this.pos))) this.pos++;
      this.end = this.pos;
      if (this.end === this.start) {
        this.invalid();
        return;
      }
      this.token = Token.CommitHash;
    } else if (c === 45 /* - */) {
      if (this.token >= Token.RevisionNo || s.charCodeAt(this.pos + 1) !== 114 /* r */) {
        this.invalid();
        return;
      }
      // apk-tools 2 read "-r" without digits as revision 0; "-rfoo" was never a revision.
      const bare = !isDigit(s.charCodeAt(this.pos + 2));
      if (bare && !(this.lenient && !isLower(s.charCodeAt(this.pos + 2)))) {
        this.invalid();
        return;
      }
      this.pos += 2;
      this.token = Token.RevisionNo;
      this.start = this.end = this.pos;
      if (!bare) this.digits();
    } else {
      this.invalid();
    }
  }

  /** Where the token that made the version invalid begins, for comparing invalid tails. */
  get invalidAt(): number {
    return this.tokenStart;
  }

  private digits(): void {
    this.start = this.pos;
    while (this.pos < this.s.length && isDigit(this.s.charCodeAt(this.pos))) this.pos++;
    this.end = this.pos;
    if (this.end === this.start) this.invalid();
  }

  private invalid(): void {
    this.token = Token.Invalid;
  }
}

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isLowerHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102);
}

/** Byte-wise, then the shorter first (apk_blob_sort). */
function sortText(a: string, ai: number, ae: number, b: string, bi: number, be: number): number {
  for (; ai < ae && bi < be; ai++, bi++) {
    const d = a.charCodeAt(ai) - b.charCodeAt(bi);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return ai < ae ? 1 : bi < be ? -1 : 0;
}

function compareTokens(ta: Tokenizer, a: string, tb: Tokenizer, b: string): number {
  switch (ta.token) {
    case Token.Digit:
      // A component with a leading zero compares as text, as in Gentoo.
      if (a.charCodeAt(ta.start) === 48 || b.charCodeAt(tb.start) === 48)
        return sortText(a, ta.start, ta.end, b, tb.start, tb.end);
      return compareDigitRuns(a, ta.start, ta.end, b, tb.start, tb.end);
    case Token.InitialDigit:
    case Token.SuffixNo:
    case Token.RevisionNo:
      return compareDigitRuns(a, ta.start, ta.end, b, tb.start, tb.end);
    case Token.Letter:
      return sortText(a, ta.start, ta.end, b, tb.start, tb.end);
    case Token.Suffix:
      return ta.suffix < tb.suffix ? -1 : ta.suffix > tb.suffix ? 1 : 0;
    default:
      return sortText(a, ta.start, ta.end, b, tb.start, tb.end);
  }
}

const ta = new Tokenizer(true);
const tb = new Tokenizer(true);

/** Invalid tails compare as text up to the first "-" (what follows is revision garbage). */
function compareInvalidTails(a: string, ai: number, b: string, bi: number): number {
  const ae = a.indexOf('-', ai);
  const be = b.indexOf('-', bi);
  return sortText(a, ai, ae < 0 ? a.length : ae, b, bi, be < 0 ? b.length : be);
}

/** apk_version_compare; with `fuzzy`, a version that `b` is a prefix of (by components) is equal. */
function compareFuzzy(a: string, b: string, fuzzy: boolean): number {
  ta.first(a);
  tb.first(b);
  while (ta.token === tb.token && ta.token < Token.End) {
    const r = compareTokens(ta, a, tb, b);
    if (r !== 0) return r;
    ta.next();
    tb.next();
  }
  if (ta.token === Token.Invalid && tb.token === Token.Invalid)
    return compareInvalidTails(a, ta.invalidAt, b, tb.invalidAt);
  if (ta.token === tb.token) return 0;
  if (tb.token === Token.End && fuzzy) return 0;
  // Equal so far: the longer version is newer unless what it goes on with is a pre-release suffix.
  if (ta.token === Token.Suffix && ta.suffix < Suffix.None) return -1;
  if (tb.token === Token.Suffix && tb.suffix < Suffix.None) return 1;
  if (ta.token > tb.token) return -1;
  if (tb.token > ta.token) return 1;
  return 0;
}

function compare(a: string, b: string): number {
  return a === b ? 0 : compareFuzzy(a, b, false);
}

function isValid(version: string): boolean {
  const t = new Tokenizer(false).first(version);
  while (t.token < Token.End) t.next();
  return t.token === Token.End;
}

const LESS = 1;
const EQUAL = 2;
const GREATER = 4;
const FUZZY = 8;

/** An apk dependency constraint: `<`, `<=`, `=`, `>=`, `>`, `~`, `<~`, `>~`, optionally `!`-negated. */
const CONSTRAINT = /^(!?)([<>=~]+)(.+)$/;

function constraintMask(ops: string): number {
  let mask = 0;
  for (const op of ops) mask |= op === '<' ? LESS : op === '>' ? GREATER : op === '=' ? EQUAL : EQUAL | FUZZY;
  return mask;
}

function isValidRange(range: string): boolean {
  const m = CONSTRAINT.exec(range.trim());
  return !!m && isValid(m[3]!);
}

/** apk_version_match: `version` against a constraint such as `>=1.2-r0` or `~3.6`. */
function satisfies(version: string, range: string): boolean {
  const m = CONSTRAINT.exec(range.trim());
  if (!m || !isValid(m[3]!)) return false;
  const mask = constraintMask(m[2]!);
  const r = compareFuzzy(version, m[3]!, (mask & FUZZY) !== 0);
  const matched = (mask & (r < 0 ? LESS : r > 0 ? GREATER : EQUAL)) !== 0;
  return m[1] === '!' ? !matched : matched;
}

export const apk: VersionScheme = { name: 'apk', isValid, compare, isValidRange, satisfies };
