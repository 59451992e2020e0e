import type { PurlParts } from './purl.js';

/**
 * Reading package URLs: the inverse of `buildPurl` (purl.ts), following the purl
 * specification's parsing steps. Components are percent-decoded and returned as written
 * (no type-specific case folding), so `buildPurl(parsePurl(p))` gives `p` back for every
 * canonical purl. Lenient where the specification is: leading/trailing slashes, empty path
 * segments, an unencoded `@` in an npm scope, qualifiers with empty values (dropped).
 */

export interface ParsedPurl extends PurlParts {
  qualifiers: Record<string, string>;
}

/** purl types: a letter, then letters, digits, `.`, `+` or `-`. */
const TYPE = /^[a-zA-Z][a-zA-Z0-9.+-]*$/;
/** Qualifier keys: letters, digits, `.`, `-`, `_`, not starting with a digit. */
const KEY = /^[a-zA-Z.\-_][a-zA-Z0-9.\-_]*$/;

/** decodeURIComponent without throwing (a `%` not followed by two hex digits, invalid UTF-8). */
function percentDecode(component: string): string | undefined {
  try {
    return decodeURIComponent(component);
  } catch {
    return undefined;
  }
}

/** The parts of a purl, or undefined when the text is not one. Never throws. */
export function parsePurl(text: string): ParsedPurl | undefined {
  if (!/^pkg:/i.test(text)) return undefined;
  let rest = text.slice(4);

  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    const segments = decodeAll(
      rest
        .slice(hash + 1)
        .split('/')
        .filter((s) => s !== '' && s !== '.' && s !== '..'),
    );
    if (!segments) return undefined;
    if (segments.length > 0) subpath = segments.join('/');
    rest = rest.slice(0, hash);
  }

  const qualifiers = new Map<string, string>();
  const question = rest.indexOf('?');
  if (question >= 0) {
    const keys = new Set<string>();
    for (const pair of rest.slice(question + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const key = eq > 0 ? pair.slice(0, eq).toLowerCase() : '';
      if (!KEY.test(key) || keys.has(key)) return undefined;
      keys.add(key);
      const value = percentDecode(pair.slice(eq + 1));
      if (value === undefined) return undefined;
      if (value !== '') qualifiers.set(key, value);
    }
    rest = rest.slice(0, question);
  }

  rest = rest.replace(/^\/+|\/+$/g, '');
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const type = rest.slice(0, slash);
  if (!TYPE.test(type)) return undefined;
  let path = rest.slice(slash + 1);

  let version: string | undefined;
  const at = path.lastIndexOf('@');
  if (at > 0 && at > path.lastIndexOf('/')) {
    version = percentDecode(path.slice(at + 1));
    if (version === undefined) return undefined;
    path = path.slice(0, at);
  }

  const segments = decodeAll(path.split('/').filter((s) => s !== ''));
  if (!segments || segments.length === 0) return undefined;
  const name = segments.pop()!;
  if (name === '') return undefined;

  const purl: ParsedPurl = { type: type.toLowerCase(), name, qualifiers: Object.fromEntries(qualifiers) };
  if (segments.length > 0) purl.namespace = segments.join('/');
  if (version) purl.version = version;
  if (subpath) purl.subpath = subpath;
  return purl;
}

function decodeAll(segments: string[]): string[] | undefined {
  const out: string[] = [];
  for (const s of segments) {
    const decoded = percentDecode(s);
    if (decoded === undefined) return undefined;
    out.push(decoded);
  }
  return out;
}
