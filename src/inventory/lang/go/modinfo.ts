/**
 * Parses the module information embedded in Go binaries, the lines `go version -m` prints:
 *
 *   path  <main package>          mod  <path> <version> [<sum>]
 *   dep   <path> <version> [<sum>] =>   <replacement path> <version> [<sum>]  (after mod/dep)
 *   build <key>=<value>           (value Go-quoted when it holds spaces, tabs, quotes or '=')
 *
 * Fields are tab-separated. Unknown or malformed lines are counted, not fatal.
 */

export interface GoModule {
  path: string;
  /** "v1.2.3", a pseudo-version, or "(devel)" for a main module or local directory. */
  version: string;
  sum?: string;
  replace?: GoModule;
}

export interface GoModInfo {
  /** The main package's import path. */
  path?: string;
  main?: GoModule;
  deps: GoModule[];
  settings: { key: string; value: string }[];
  /** Lines that could not be read. */
  malformed: number;
}

export function parseModinfo(text: string): GoModInfo {
  const info: GoModInfo = { deps: [], settings: [], malformed: 0 };
  let last: GoModule | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    const kind = tab < 0 ? line : line.slice(0, tab);
    const rest = tab < 0 ? '' : line.slice(tab + 1);
    if (kind === 'path') {
      info.path = rest;
      last = undefined;
    } else if (kind === 'mod' || kind === 'dep') {
      const mod = parseModule(rest);
      if (!mod) info.malformed++;
      else if (kind === 'mod') info.main = mod;
      else info.deps.push(mod);
      last = mod;
    } else if (kind === '=>') {
      const mod = parseModule(rest);
      if (!mod || !last || last.replace) info.malformed++;
      else last.replace = mod;
      last = undefined;
    } else if (kind === 'build') {
      const setting = parseSetting(rest);
      if (setting) info.settings.push(setting);
      else info.malformed++;
    } else {
      info.malformed++;
    }
  }
  return info;
}

function parseModule(rest: string): GoModule | undefined {
  const [path, version, sum, ...extra] = rest.split('\t');
  if (!path || extra.length > 0) return undefined;
  return sum ? { path, version: version || '(devel)', sum } : { path, version: version || '(devel)' };
}

function parseSetting(rest: string): { key: string; value: string } | undefined {
  const eq = rest.indexOf('=');
  if (eq <= 0) return undefined;
  const key = rest.slice(0, eq);
  const raw = rest.slice(eq + 1);
  if (!raw.startsWith('"')) return { key, value: raw };
  const value = unquoteGo(raw);
  return value === undefined ? undefined : { key, value };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** A double-quoted Go string literal (strconv.Quote output); undefined when it is not one. */
export function unquoteGo(s: string): string | undefined {
  if (s.length < 2 || !s.startsWith('"') || !s.endsWith('"')) return undefined;
  const bytes: number[] = [];
  const body = s.slice(1, -1);
  for (let i = 0; i < body.length; ) {
    const c = body[i] as string;
    if (c === '"') return undefined;
    if (c !== '\\') {
      const cp = body.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      bytes.push(...Buffer.from(ch, 'utf8'));
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      bytes.push(simple.charCodeAt(0));
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) return undefined;
      const value = Number.parseInt(hex, 16);
      if (e === 'x') bytes.push(value);
      else if (value > 0x10ffff || (value >= 0xd800 && value < 0xe000)) return undefined;
      else bytes.push(...Buffer.from(String.fromCodePoint(value), 'utf8'));
      i += 2 + digits;
    } else if (e >= '0' && e <= '7') {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      const value = Number.parseInt(oct, 8);
      if (value > 255) return undefined;
      bytes.push(value);
      i += 4;
    } else {
      return undefined;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
