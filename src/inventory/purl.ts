import type { OsInfo, Package } from '../types.js';

/**
 * Package URLs per the purl specification (ECMA-427 and the purl-spec type definitions):
 * type-specific namespace/name normalisation, percent-encoding of every component except
 * the purl's own separators, qualifiers with empty values dropped and keys sorted.
 */

/** Characters a purl component keeps as they are: alphanumerics, `.-_~` and `:`. */
const UNENCODED = /^[A-Za-z0-9.\-_~:]$/;

export function percentEncode(value: string): string {
  let out = '';
  for (const ch of value) {
    if (UNENCODED.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Record<string, string | undefined>;
  subpath?: string;
}

/** Builds the canonical purl string from already-normalised components. */
export function buildPurl(parts: PurlParts): string {
  let purl = `pkg:${parts.type.toLowerCase()}/`;
  const segments = (parts.namespace ?? '').split('/').filter((s) => s.length > 0);
  if (segments.length > 0) purl += `${segments.map(percentEncode).join('/')}/`;
  purl += percentEncode(trimSlashes(parts.name));
  if (parts.version) purl += `@${percentEncode(parts.version)}`;
  const qualifiers = Object.entries(parts.qualifiers ?? {})
    .filter((kv): kv is [string, string] => kv[1] !== undefined && kv[1] !== '')
    .map(([k, v]) => `${k.toLowerCase()}=${percentEncode(v)}`)
    .sort();
  if (qualifiers.length > 0) purl += `?${qualifiers.join('&')}`;
  const sub = (parts.subpath ?? '').split('/').filter((s) => s !== '' && s !== '.' && s !== '..');
  if (sub.length > 0) purl += `#${sub.map(percentEncode).join('/')}`;
  return purl;
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}

/** os-release IDs whose purl vendor namespace is not the ID itself. */
const VENDOR_BY_OS_ID: Record<string, string> = {
  rhel: 'redhat',
  amzn: 'amazon',
  ol: 'oracle',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  opensuse: 'opensuse',
  sles: 'suse',
  sled: 'suse',
  sles_sap: 'suse',
};

/** The purl vendor namespace for an OS ("debian", "redhat", "amazon", ...). */
function osVendor(os: OsInfo): string {
  const id = os.family.toLowerCase();
  return VENDOR_BY_OS_ID[id] ?? id;
}

/** The `distro` qualifier value: os-release ID and VERSION_ID, e.g. "debian-12". */
function distroQualifier(os: OsInfo | undefined): string | undefined {
  if (!os?.family) return undefined;
  return os.version ? `${os.family.toLowerCase()}-${os.version}` : os.family.toLowerCase();
}

/** Splits "name@scope"-style identifiers on their last separator: "a/b/c" → ["a/b", "c"]. */
function splitLast(value: string, sep: string): [string | undefined, string] {
  const i = value.lastIndexOf(sep);
  return i <= 0 ? [undefined, value] : [value.slice(0, i), value.slice(i + sep.length)];
}

/** PEP 503 name normalisation. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** `upstream` qualifier for OS packages: the source name, with "@version" when that differs. */
function upstream(pkg: Package): string | undefined {
  if (!pkg.source) return undefined;
  const { name, version } = pkg.source;
  if (name === pkg.name && version === pkg.version) return undefined;
  return version === pkg.version ? name : `${name}@${version}`;
}

/** Splits an rpm "[epoch:]version-release" into the purl version and epoch qualifier. */
function rpmEpoch(version: string): { version: string; epoch?: string } {
  const m = /^(\d+):(.*)$/.exec(version);
  return m ? { version: m[2]!, epoch: m[1]! } : { version };
}

/** The purl for a package; `os` adds the vendor namespace and `distro` qualifier to OS packages. */
export function purlFor(pkg: Package, os?: OsInfo): string {
  const arch = pkg.arch || undefined;
  switch (pkg.ecosystem) {
    case 'deb':
      return buildPurl({
        type: 'deb',
        namespace: os ? osVendor(os) : 'debian',
        name: pkg.name.toLowerCase(),
        version: pkg.version,
        qualifiers: { arch, distro: distroQualifier(os), upstream: upstream(pkg) },
      });
    case 'apk':
      return buildPurl({
        type: 'apk',
        namespace: os ? osVendor(os) : 'alpine',
        name: pkg.name.toLowerCase(),
        version: pkg.version,
        qualifiers: { arch, distro: distroQualifier(os), upstream: upstream(pkg) },
      });
    case 'rpm': {
      const { version, epoch } = rpmEpoch(pkg.version);
      return buildPurl({
        type: 'rpm',
        namespace: os ? osVendor(os) : undefined,
        name: pkg.name,
        version,
        qualifiers: { arch, epoch, distro: distroQualifier(os), upstream: upstream(pkg) },
      });
    }
    case 'npm': {
      const [scope, name] = pkg.name.startsWith('@') ? splitLast(pkg.name, '/') : [undefined, pkg.name];
      return buildPurl({
        type: 'npm',
        namespace: scope?.toLowerCase(),
        name: name.toLowerCase(),
        version: pkg.version,
      });
    }
    case 'pypi':
      return buildPurl({ type: 'pypi', name: normalizePypiName(pkg.name), version: pkg.version });
    case 'golang': {
      const [namespace, name] = splitLast(pkg.name.toLowerCase(), '/');
      return buildPurl({ type: 'golang', namespace, name, version: pkg.version });
    }
    case 'maven': {
      const [group, artifact] = splitLast(pkg.name, ':');
      return buildPurl({ type: 'maven', namespace: group, name: artifact, version: pkg.version });
    }
    case 'composer': {
      const [vendor, name] = splitLast(pkg.name.toLowerCase(), '/');
      return buildPurl({ type: 'composer', namespace: vendor, name, version: pkg.version });
    }
    case 'gem':
    case 'cargo':
    case 'nuget':
      return buildPurl({ type: pkg.ecosystem, name: pkg.name, version: pkg.version });
  }
}
