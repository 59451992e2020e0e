import type { OsInfo } from '../../../types.js';

/**
 * OS identification from os-release (freedesktop.org) and the older distro-specific files
 * (debian_version, alpine-release, redhat-release and friends, lsb-release), each parsed alone.
 */

export const OS_RELEASE_PATHS = ['etc/os-release', 'usr/lib/os-release'] as const;

/** Distro files, for images without os-release (CentOS 6, old Amazon Linux...). */
export const DISTRO_FILE_PATHS = [
  'etc/centos-release',
  'etc/rocky-release',
  'etc/almalinux-release',
  'etc/oracle-release',
  'etc/fedora-release',
  'etc/redhat-release',
  'etc/system-release',
  'etc/alpine-release',
  'etc/lsb-release',
  'etc/debian_version',
] as const;

const ESCAPED = /\\([\\"$`])/g;

/** KEY=value lines in the shell-compatible syntax os-release and lsb-release use. */
export function parseShellAssignments(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    vars.set(m[1]!, unquote(m[2]!.trim()));
  }
  return vars;
}

function unquote(value: string): string {
  const q = value[0];
  if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
    const inner = value.slice(1, -1);
    return q === '"' ? inner.replace(ESCAPED, '$1') : inner;
  }
  return value;
}

function withOptional(os: OsInfo, codename: string | undefined, prettyName: string | undefined): OsInfo {
  const out: OsInfo = { family: os.family, version: os.version };
  if (codename) out.codename = codename;
  if (prettyName) out.prettyName = prettyName;
  return out;
}

/** os-release: ID, VERSION_ID, VERSION_CODENAME, PRETTY_NAME. Undefined without an ID. */
export function parseOsRelease(text: string): OsInfo | undefined {
  const v = parseShellAssignments(text);
  const family = v.get('ID')?.toLowerCase();
  if (!family) return undefined;
  const codename =
    v.get('VERSION_CODENAME') || v.get('UBUNTU_CODENAME') || /\(([^)]+)\)/.exec(v.get('VERSION') ?? '')?.[1];
  // Debian testing and unstable ship no VERSION_ID; the codename is what the security tracker keys by.
  const version = v.get('VERSION_ID') || (family === 'debian' && codename ? codename : '');
  return withOptional({ family, version }, codename, v.get('PRETTY_NAME'));
}

/** "<Vendor> release <version> (<codename>)", as redhat-release, centos-release and kin write it. */
const RELEASE_LINE = /^(.*?)\s+release\s+(\S+)(?:\s+\(([^)]*)\))?/i;

const FAMILY_BY_VENDOR: [RegExp, string][] = [
  [/^red hat enterprise linux/i, 'rhel'],
  [/^centos/i, 'centos'],
  [/^rocky linux/i, 'rocky'],
  [/^almalinux/i, 'almalinux'],
  [/^fedora/i, 'fedora'],
  [/^amazon linux/i, 'amzn'],
  [/^oracle linux/i, 'ol'],
];

function parseReleaseLine(text: string): OsInfo | undefined {
  const line =
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  const m = RELEASE_LINE.exec(line);
  if (!m) return undefined;
  const family = FAMILY_BY_VENDOR.find(([re]) => re.test(m[1]!))?.[1];
  if (!family) return undefined;
  let version = m[2]!;
  // Amazon Linux 2023 writes "2023.5.20240701"; its os-release VERSION_ID (and ALAS) say "2023".
  if (family === 'amzn' && /^20[2-9]\d\./.test(version)) version = version.slice(0, 4);
  return withOptional({ family, version }, m[3]?.trim(), line);
}

function parseDebianVersion(text: string): OsInfo | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  const numbered = /^(\d+)(?:\.\d+)*$/.exec(value);
  if (numbered) return { family: 'debian', version: numbered[1]! };
  // Testing and unstable: "trixie/sid".
  const codename = /^([a-z]+)\/sid$/.exec(value)?.[1] ?? (/^[a-z]+$/.test(value) ? value : undefined);
  return codename ? { family: 'debian', version: codename, codename } : undefined;
}

function parseLsbRelease(text: string): OsInfo | undefined {
  const v = parseShellAssignments(text);
  const family = v.get('DISTRIB_ID')?.toLowerCase();
  if (!family) return undefined;
  return withOptional(
    { family, version: v.get('DISTRIB_RELEASE') ?? '' },
    v.get('DISTRIB_CODENAME'),
    v.get('DISTRIB_DESCRIPTION'),
  );
}

/** One distro-specific file (a path from DISTRO_FILE_PATHS) → what it says, if anything. */
export function parseDistroFile(path: string, text: string): OsInfo | undefined {
  switch (path) {
    case 'etc/debian_version':
      return parseDebianVersion(text);
    case 'etc/alpine-release': {
      const version = text.trim().split('\n')[0]!.trim();
      return /^\d+\.\d+/.test(version) ? { family: 'alpine', version } : undefined;
    }
    case 'etc/lsb-release':
      return parseLsbRelease(text);
    default:
      return parseReleaseLine(text);
  }
}
