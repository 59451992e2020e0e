/**
 * Compiles a shell glob to an anchored regular expression. As Falco's glob (fnmatch without
 * FNM_PATHNAME), `*` also matches `/`. `[...]` classes accept `!` or `^` for negation; a
 * backslash escapes the next character.
 */
export function globToRegExp(
  glob: string,
  options: { ignoreCase?: boolean; pathPrefix?: boolean } = {},
): RegExp {
  // As a path prefix (pmatch), wildcards stay inside one path component and the match may
  // end at a component boundary.
  const any = options.pathPrefix ? '[^/]' : '[\\s\\S]';
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += `${any}*`;
    else if (c === '?') re += any;
    else if (c === '\\' && i + 1 < glob.length) re += escapeChar(glob[++i]!);
    else if (c === '[') {
      const end = classEnd(glob, i);
      if (end < 0) re += '\\[';
      else {
        re += classToRegExp(glob.slice(i + 1, end));
        i = end;
      }
    } else re += escapeChar(c);
  }
  return new RegExp(`^${re}${options.pathPrefix ? '(?:/|$)' : '$'}`, options.ignoreCase ? 'i' : '');
}

/** Does the pattern use wildcards at all? */
export function hasGlobMagic(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** Index of the `]` closing the class opened at `start`, or -1. */
function classEnd(glob: string, start: number): number {
  let i = start + 1;
  if (glob[i] === '!' || glob[i] === '^') i++;
  if (glob[i] === ']') i++;
  for (; i < glob.length; i++) if (glob[i] === ']') return i;
  return -1;
}

/** A `[...]` class body as a regular-expression class; a reversed range (`z-a`) matches nothing. */
function classToRegExp(body: string): string {
  let negate = false;
  if (body.startsWith('!') || body.startsWith('^')) {
    negate = true;
    body = body.slice(1);
  }
  let inner = '';
  for (let k = 0; k < body.length; k++) {
    if (body[k + 1] === '-' && k + 2 < body.length) {
      if (body[k]! <= body[k + 2]!) inner += `${unicode(body[k]!)}-${unicode(body[k + 2]!)}`;
      k += 2;
    } else inner += unicode(body[k]!);
  }
  if (inner === '') return negate ? '[\\s\\S]' : '[^\\s\\S]';
  return `[${negate ? '^' : ''}${inner}]`;
}

function unicode(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}
