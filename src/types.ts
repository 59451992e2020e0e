/**
 * The few plain types that cross module boundaries (see docs/ARCHITECTURE.md).
 * Everything here is JSON-serialisable: inventories are cached and stored as they are.
 */

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';
export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

/** Package types, named as the purl spec names them. */
export type Ecosystem =
  | 'deb'
  | 'rpm'
  | 'apk'
  | 'npm'
  | 'pypi'
  | 'golang'
  | 'maven'
  | 'gem'
  | 'cargo'
  | 'composer'
  | 'nuget';

export interface LayerRef {
  /** Position from the bottom of the image, 0-based. */
  index: number;
  /** sha256 of the uncompressed layer tar (the config's rootfs.diff_ids entry). */
  diffId: string;
}

export interface Package {
  /** Maven: "group:artifact"; npm: "@scope/name"; Go: the module path. */
  name: string;
  version: string;
  ecosystem: Ecosystem;
  /** Filled once the OS is known (distro qualifiers), see inventory/purl. */
  purl: string;
  /** Debian/RPM source package; OS advisories are keyed by it. */
  source?: { name: string; version: string };
  arch?: string;
  licenses?: string[];
  /** The layer that introduced this package; filled by the applier. */
  layer?: LayerRef;
  /** Where it was found: package DB, manifest, lockfile or binary (image-root relative, no leading slash). */
  paths: string[];
  /** Files the package installed, where its database lists them. */
  files?: string[];
  /** Name of the analyzer that found it. */
  analyzer: string;
  /** A language package whose files belong to an OS package (matched only through the OS package). */
  osOwned?: boolean;
  /** Only a development dependency (lockfiles that say so). */
  dev?: boolean;
}

export interface OsInfo {
  /** os-release ID: debian, ubuntu, alpine, rhel, rocky, almalinux, centos, fedora, amzn, opensuse-leap, ... */
  family: string;
  /** VERSION_ID, e.g. "12", "3.20.3", "9.4". */
  version: string;
  codename?: string;
  prettyName?: string;
}

export interface LayerInfo extends LayerRef {
  /** Digest of the blob as stored (compressed), when the source has one. */
  digest?: string;
  size?: number;
  mediaType?: string;
  /** The history entry that created it (Dockerfile instruction). */
  createdBy?: string;
}

export type SourceType = 'docker-archive' | 'oci' | 'registry' | 'docker' | 'rootfs' | 'fs' | 'sbom';

export interface Inventory {
  source: {
    type: SourceType;
    /** What the user gave (path or reference). */
    ref: string;
    /** Image id (config digest) where there is one. */
    imageId?: string;
    /** Manifest digest (repo digest) where known. */
    digest?: string;
    repoTags?: string[];
    architecture?: string;
    os?: string;
  };
  os?: OsInfo;
  layers: LayerInfo[];
  packages: Package[];
  /** Things that were skipped or looked wrong but did not stop the scan. */
  warnings: string[];
}

export type FindingKind =
  | 'vulnerability'
  | 'secret'
  | 'misconfiguration'
  | 'malware'
  | 'compliance'
  | 'runtime';

export interface Finding {
  kind: FindingKind;
  ruleId: string;
  severity: Severity;
  title: string;
  /** What was scanned: image reference, file, package DB, host. */
  target: string;
  location: { path?: string; layer?: string; line?: number; endLine?: number; snippet?: string };
  /** Fixed version(s) or remediation text. */
  fix?: string;
  references: string[];
  /** open | ignored | expired-ignore | not_affected ... */
  status: string;
  description?: string;
  /** Kind-specific details (package, CVSS, EPSS, framework mappings...). */
  details?: Record<string, unknown>;
}

/** A kernel (or replayed) event; field names follow Falco's so rules read naturally. */
export interface Event {
  ts: number;
  type: string;
  proc: {
    pid: number;
    ppid: number;
    tid: number;
    name: string;
    exe: string;
    cmdline: string;
    args: string[];
    uid: number;
    gid: number;
    loginuid?: number;
    cwd?: string;
    ancestors?: { pid: number; name: string; exe?: string; cmdline?: string }[];
  };
  fd?: {
    name?: string;
    type?: string;
    ip?: string;
    port?: number;
    proto?: string;
    sip?: string;
    sport?: number;
  };
  evt: { args?: Record<string, unknown>; res?: number; dir?: '>' | '<' };
  container?: {
    id: string;
    name?: string;
    image?: string;
    imageDigest?: string;
    privileged?: boolean;
    labels?: Record<string, string>;
  };
  k8s?: { ns?: string; pod?: string; labels?: Record<string, string> };
}
