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
  /** Configuration files found and scanned for misconfigurations (absent for SBOM sources). */
  configFiles?: { path: string; kind: string; layer?: string }[];
  /** What those files' checks and the image config's checks found, suppressed ones included (`status`). */
  misconfigurations?: Finding[];
  /** Configuration files that could not be scanned, or checks that failed on them: one entry each. */
  configErrors?: ConfigError[];
}

/** A configuration file (or the image config) that could not be scanned, or a check that failed on it. */
export interface ConfigError {
  /** The file (image-root relative), or the image config's target. */
  path: string;
  /** The file kind it was taken for, when known. */
  kind?: string;
  line?: number;
  /** Set when one check failed rather than the whole file. */
  ruleId?: string;
  /** diffID of the layer that wrote the file. */
  layer?: string;
  message: string;
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

/**
 * A kernel (or replayed) event; field names follow Falco's so rules read naturally (the rule
 * field each one feeds is named in brackets). Times are milliseconds since the Unix epoch, with
 * a fractional part for sub-millisecond precision. A source fills the optional fields it knows;
 * a rule that reads a missing one sees Falco's `<NA>`, and every comparison on it is false.
 */
export interface Event {
  ts: number;
  /** The syscall as Falco names event types: execve, openat, connect, setuid, ptrace, mount... */
  type: string;
  proc: {
    pid: number;
    ppid: number;
    tid: number;
    /** The kernel's comm: executable name without its path, at most 15 characters [proc.name]. */
    name: string;
    /** argv[0] as the process was started [proc.exe]. */
    exe: string;
    /** The resolved executable path; `memfd:NAME` for a memfd [proc.exepath]. */
    exepath?: string;
    /** `name` followed by the arguments, space-separated [proc.cmdline]. */
    cmdline: string;
    /** argv[1..] [proc.args joins them with spaces]. */
    args: string[];
    /** Effective ids; for setuid-family events, the ids the process had when it made the call [user.uid]. */
    uid: number;
    gid: number;
    /** Names as resolved inside the process's own (container) filesystem [user.name, group.name]. */
    user?: string;
    group?: string;
    /** Audit login uid; -1 (or 4294967295) when unset [user.loginuid, user.loginname]. */
    loginuid?: number;
    loginname?: string;
    cwd?: string;
    /** Controlling terminal device number, 0 for none [proc.tty]. */
    tty?: number;
    /** The pid inside the process's pid namespace: 1 for a container's first process [proc.vpid]. */
    vpid?: number;
    /** Session and process-group leader pids [proc.sid, proc.pgid, proc.sname, proc.is_vpgid_leader]. */
    sid?: number;
    pgid?: number;
    /** When the process started [proc.duration]. */
    startTs?: number;
    /** Environment at exec [proc.env, proc.env[NAME]]. */
    env?: Record<string, string>;
    /** The executable file is writable by the user running it [proc.is_exe_writable]. */
    isExeWritable?: boolean;
    /**
     * The executable lives in the container's overlayfs upper layer: it was written or changed
     * after the container started, so it is not part of the image [proc.is_exe_upper_layer].
     */
    isExeUpperLayer?: boolean;
    /** Executed from a memfd_create() file [proc.is_exe_from_memfd]. */
    isExeFromMemfd?: boolean;
    /** The executable's inode number, change and modification times [proc.exe_ino*]. */
    exeIno?: number;
    exeCtime?: number;
    exeMtime?: number;
    /** Capability sets as Falco prints them: space-separated CAP_ names [thread.cap_*]. */
    capEffective?: string;
    capPermitted?: string;
    capInheritable?: string;
    /** Parent first: ancestors[0] is proc.aname[1], ancestors[1] is proc.aname[2], and so on. */
    ancestors?: {
      pid: number;
      name: string;
      exe?: string;
      exepath?: string;
      cmdline?: string;
      startTs?: number;
    }[];
  };
  fd?: {
    /** The descriptor; for open-family events the result, -1 when the open failed [fd.num]. */
    num?: number;
    /** A file's absolute path; a socket's Falco tuple `cip:cport->sip:sport`; a unix socket's path [fd.name]. */
    name?: string;
    /** The path exactly as the process passed it [fd.nameraw]. */
    nameraw?: string;
    /** file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, netlink, memfd [fd.type]. */
    type?: string;
    /** tcp, udp, icmp or raw [fd.l4proto]. */
    l4proto?: string;
    /** Client and server endpoints, IPs in canonical text (IPv4 dotted, IPv6 compressed lower-case) [fd.cip, fd.sport...]. */
    cip?: string;
    cport?: number;
    sip?: string;
    sport?: number;
    /** This process is the server end (accept, listen, bind); decides fd.lip/fd.rip [fd.is_server]. */
    isServer?: boolean;
    connected?: boolean;
    nameChanged?: boolean;
    /** Domain names the source resolved for the endpoints [fd.cip.name, fd.sip.name]. */
    cipName?: string;
    sipName?: string;
  };
  evt: {
    /** Arguments by Falco's names, rendered as Falco does: flags `O_WRONLY|O_CREAT`, request `PTRACE_ATTACH` [evt.arg.NAME, evt.rawarg.NAME]. */
    args?: Record<string, string | number | boolean>;
    /** The syscall's return value, a negative errno on failure [evt.rawres, evt.res]. */
    res?: number;
    dir?: '>' | '<';
    /** Sequence number from 1, when the source numbers events [evt.num]. */
    num?: number;
    /** Data of read/write-like events, one character per byte [evt.buffer]. */
    buffer?: string;
  };
  /** Absent for host processes (container.id is then `host`). */
  container?: {
    /** The 12-character short id, as Falco shows it [container.id]. */
    id: string;
    name?: string;
    /** The image reference the container was created from [container.image]. */
    image?: string;
    /** Split of `image`; when absent the engine splits `image` itself [container.image.repository, .tag]. */
    imageRepository?: string;
    imageTag?: string;
    imageDigest?: string;
    imageId?: string;
    /** docker, containerd, cri-o, podman [container.type]. */
    runtime?: string;
    privileged?: boolean;
    startTs?: number;
    labels?: Record<string, string>;
    mounts?: { source: string; dest: string; mode?: string; rw?: boolean; propagation?: string }[];
  };
  k8s?: { ns?: string; pod?: string; podUid?: string; labels?: Record<string, string> };
}
