import { existsSync, readFileSync } from 'node:fs';
import type { Finding } from '../types.js';
import { inputError } from '../util/errors.js';
import { globToRegExp } from '../util/glob.js';

/**
 * `.ringfenceignore`: one rule or advisory id per line, then optional scoping and expiry:
 *
 *   CVE-2024-1234                      # everywhere
 *   CVE-2024-1234 exp:2026-12-31       # stops applying after that day, then reported as expired
 *   GHSA-xxxx-yyyy-zzzz pkg:lodash     # only for this package (name, or purl prefix)
 *   RF-DF-001 path:build/**            # only for these paths
 *
 * `#` starts a comment; text after the id and options is not allowed (use a comment).
 */
interface IgnoreEntry {
  id: string;
  expires?: string;
  pkg?: string;
  path?: RegExp;
  file: string;
  line: number;
  reason?: string;
}

export interface ExpiredIgnore {
  id: string;
  expires: string;
  file: string;
  line: number;
  matched: number;
}

const DEFAULT_IGNOREFILE = '.ringfenceignore';

export function parseIgnoreFile(text: string, file: string): IgnoreEntry[] {
  const entries: IgnoreEntry[] = [];
  text.split(/\r?\n/).forEach((raw, idx) => {
    const hash = raw.search(/(^|\s)#/);
    const body = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    const reason =
      hash >= 0
        ? raw
            .slice(hash)
            .replace(/^\s*#\s*/, '')
            .trim() || undefined
        : undefined;
    if (!body) return;
    const [id, ...opts] = body.split(/\s+/);
    const entry: IgnoreEntry = { id: id!, file, line: idx + 1, reason };
    for (const opt of opts) {
      const [key, value] = splitOption(opt);
      if (key === 'exp' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)))
        entry.expires = value;
      else if (key === 'pkg' && value) entry.pkg = value;
      else if (key === 'path' && value) entry.path = globToRegExp(value);
      else
        throw inputError(
          `${file}:${idx + 1}`,
          `cannot understand '${opt}' (expected exp:YYYY-MM-DD, pkg:NAME or path:GLOB)`,
        );
    }
    entries.push(entry);
  });
  return entries;
}

function splitOption(opt: string): [string, string] {
  const colon = opt.indexOf(':');
  return colon < 0 ? [opt, ''] : [opt.slice(0, colon), opt.slice(colon + 1)];
}

/** Loads `file`, or the default file when it exists; an explicitly named missing file is an error. */
export function loadIgnoreFile(file: string | undefined): IgnoreEntry[] {
  const path = file ?? DEFAULT_IGNOREFILE;
  if (!existsSync(path)) {
    if (file) throw inputError(file, 'ignore file not found');
    return [];
  }
  try {
    return parseIgnoreFile(readFileSync(path, 'utf8'), path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code)
      throw inputError(path, `cannot read (${(err as NodeJS.ErrnoException).code})`);
    throw err;
  }
}

function ids(f: Finding): string[] {
  const aliases = f.details?.aliases;
  return Array.isArray(aliases) ? [f.ruleId, ...(aliases as string[])] : [f.ruleId];
}

function matches(e: IgnoreEntry, f: Finding): boolean {
  if (!ids(f).includes(e.id)) return false;
  if (e.pkg) {
    const pkg = f.details?.package as { name?: string; purl?: string } | undefined;
    if (!pkg || (pkg.name !== e.pkg && !pkg.purl?.startsWith(e.pkg))) return false;
  }
  if (e.path && !(f.location.path && e.path.test(f.location.path))) return false;
  return true;
}

/**
 * Splits findings into those still open and those an entry suppresses (status 'ignored').
 * An entry past its expiry date suppresses nothing; the findings it would have matched stay
 * open and the entry is returned in `expired` so reports can say so.
 */
export function applyIgnores(
  findings: Finding[],
  entries: IgnoreEntry[],
  today: string = new Date().toISOString().slice(0, 10),
): { open: Finding[]; suppressed: Finding[]; expired: ExpiredIgnore[] } {
  const open: Finding[] = [];
  const suppressed: Finding[] = [];
  const expired = new Map<IgnoreEntry, ExpiredIgnore>();
  for (const f of findings) {
    const hits = entries.filter((e) => matches(e, f));
    const live = hits.find((e) => !e.expires || e.expires >= today);
    if (live) {
      suppressed.push({
        ...f,
        status: 'ignored',
        details: { ...f.details, ignoredBy: { file: live.file, line: live.line, reason: live.reason } },
      });
      continue;
    }
    for (const e of hits) {
      const x = expired.get(e) ?? { id: e.id, expires: e.expires!, file: e.file, line: e.line, matched: 0 };
      x.matched++;
      expired.set(e, x);
    }
    open.push(hits.length ? { ...f, details: { ...f.details, ignoreExpired: hits[0]!.expires } } : f);
  }
  return { open, suppressed, expired: [...expired.values()] };
}
