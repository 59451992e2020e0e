import type { GoModInfo, GoModule } from './modinfo.js';

/**
 * What a Go binary's build info says was compiled into it, as packages: the main module, each
 * dependency with its replacement applied, and the standard library as `stdlib` at the Go
 * version (how Go's vulnerability database names it).
 */

export interface GoPackage {
  name: string;
  version: string;
}

const STDLIB = 'stdlib';
/** What Go records for code built from a working tree or a local directory. */
const DEVEL = '(devel)';

export function goBinaryPackages(goVersion: string, modinfo: GoModInfo): GoPackage[] {
  const out: GoPackage[] = [];
  const stdlib = stdlibVersion(goVersion);
  if (stdlib) out.push({ name: STDLIB, version: stdlib });
  if (modinfo.main) {
    const version =
      modinfo.main.version === DEVEL
        ? (ldflagsVersion(modinfo, modinfo.main.path) ?? DEVEL)
        : modinfo.main.version;
    out.push({ name: modinfo.main.path, version });
  }
  for (const dep of modinfo.deps) out.push(replaced(dep));
  return out;
}

/**
 * The module that was really compiled. A replacement by another module names that module; a
 * replacement by a local directory keeps the required path (advisories are keyed by it) with
 * the version unknown, since the directory's code is not the required release.
 */
export function replaced(dep: GoModule): GoPackage {
  const r = dep.replace;
  if (!r) return { name: dep.path, version: dep.version };
  if (isLocalPath(r.path)) return { name: dep.path, version: DEVEL };
  return { name: r.path, version: r.version };
}

/** As Go decides: a replacement target that starts like a file path is a directory. */
export function isLocalPath(path: string): boolean {
  return /^(\.{1,2}([/\\]|$)|\/|[A-Za-z]:[/\\]|\\)/.test(path);
}

/** "go1.21.4" → "1.21.4", "go1.20" → "1.20.0", "go1.21rc2" → "1.21.0-rc.2"; undefined for devel toolchains. */
export function stdlibVersion(goVersion: string): string | undefined {
  const m = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?(?=$|[\s-])/.exec(goVersion);
  if (!m) return undefined;
  const [, major, minor, patch, pre, preNumber] = m;
  return `${major}.${minor}.${patch ?? '0'}${pre ? `-${pre}.${preNumber}` : ''}`;
}

/**
 * A main module built from a checkout records "(devel)"; release builds often stamp the version
 * with `-ldflags "-X <pkg>.version=1.2.3"`, which Go records when -trimpath is off. Accepts a
 * variable named version in package main or in a package of the main module.
 */
export function ldflagsVersion(modinfo: GoModInfo, mainPath: string): string | undefined {
  const ldflags = modinfo.settings.find((s) => s.key === '-ldflags')?.value;
  if (!ldflags) return undefined;
  const args = splitQuoted(ldflags);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const flag = /^--?X(=(.*))?$/.exec(arg);
    if (!flag) continue;
    const definition = flag[1] !== undefined ? flag[2] : args[++i];
    const m = definition ? /^(.+)\.([^./]+)=(.*)$/.exec(definition) : null;
    if (!m) continue;
    const [, pkg, variable, value] = m as unknown as [string, string, string, string];
    if (variable.toLowerCase() !== 'version') continue;
    if (pkg !== 'main' && pkg !== mainPath && !pkg.startsWith(`${mainPath}/`)) continue;
    const version = /^v?(\d+(\.\d+)*([-+.~][0-9A-Za-z.+~-]*)?)$/.exec(value);
    if (version) return `v${version[1]}`;
  }
  return undefined;
}

/** Go's quoted.Split: whitespace-separated fields, single or double quotes around a field, no escapes. */
export function splitQuoted(s: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))/gy;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}
