import type { ComposeService } from './model.js';
import { isMap } from './parse-compose.js';

/**
 * Compose settings that have a short and a long syntax (or a list and a mapping form), read
 * into one shape each. `path` leads to where the item is written, for ComposeService.locate.
 */

export type Path = (string | number)[];

export interface Mount {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  source?: string;
  target?: string;
  readOnly: boolean;
  propagation?: string;
  path: Path;
}

const SHORT_MODES = new Set([
  'ro',
  'rw',
  'z',
  'Z',
  'shared',
  'rshared',
  'slave',
  'rslave',
  'private',
  'rprivate',
  'nocopy',
  'cached',
  'delegated',
  'consistent',
]);
const PROPAGATIONS = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

const mountsOf = new WeakMap<ComposeService, Mount[]>();
const portsOf = new WeakMap<ComposeService, PortMapping[]>();

/** Read once per service, however many checks ask. */
function memo<T>(
  cache: WeakMap<ComposeService, T>,
  service: ComposeService,
  read: (s: ComposeService) => T,
): T {
  if (!cache.has(service)) cache.set(service, read(service));
  return cache.get(service)!;
}

export function mounts(service: ComposeService): Mount[] {
  return memo(mountsOf, service, readMounts);
}

function readMounts(service: ComposeService): Mount[] {
  const list = service.config.volumes;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, i): Mount[] => {
    const path: Path = ['volumes', i];
    if (typeof item === 'string') return [shortMount(item, path)];
    if (!isMap(item)) return [];
    const bind = isMap(item.bind) ? item.bind : {};
    const type = typeof item.type === 'string' ? item.type : 'volume';
    return [
      {
        type: type as Mount['type'],
        ...(typeof item.source === 'string' ? { source: item.source } : {}),
        ...(typeof item.target === 'string' ? { target: item.target } : {}),
        readOnly: isTrue(item.read_only),
        ...(typeof bind.propagation === 'string' ? { propagation: bind.propagation } : {}),
        path,
      },
    ];
  });
}

function shortMount(spec: string, path: Path): Mount {
  const parts = spec.split(':');
  if (/^[A-Za-z]$/.test(parts[0] ?? '') && parts.length > 1) parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
  let source: string | undefined;
  let target: string | undefined;
  let modes: string[] = [];
  if (parts.length === 1) target = parts[0];
  else if (
    parts.length === 2 &&
    parts[1]!.split(',').every((m) => SHORT_MODES.has(m)) &&
    !parts[1]!.startsWith('/')
  ) {
    target = parts[0];
    modes = parts[1]!.split(',');
  } else {
    source = parts[0];
    target = parts[1];
    modes = (parts[2] ?? '').split(',').filter(Boolean);
  }
  const isBind = source !== undefined && /^([./~]|[A-Za-z]:)/.test(source);
  return {
    type: source === undefined ? 'volume' : isBind ? 'bind' : 'volume',
    ...(source !== undefined ? { source } : {}),
    ...(target !== undefined ? { target } : {}),
    readOnly: modes.includes('ro'),
    ...(modes.some((m) => PROPAGATIONS.has(m))
      ? { propagation: modes.find((m) => PROPAGATIONS.has(m))! }
      : {}),
    path,
  };
}

export interface PortMapping {
  /** Host address it is published on; undefined means every interface. */
  hostIp?: string;
  /** Host port(s) as written ("8080", "8000-8010"); undefined means a random host port. */
  published?: string;
  /** Container port(s). */
  target: string;
  protocol: string;
  path: Path;
}

export function portMappings(service: ComposeService): PortMapping[] {
  return memo(portsOf, service, readPorts);
}

function readPorts(service: ComposeService): PortMapping[] {
  const list = service.config.ports;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, i): PortMapping[] => {
    const path: Path = ['ports', i];
    if (typeof item === 'number') return [{ target: String(item), protocol: 'tcp', path }];
    if (typeof item === 'string') return shortPort(item, path);
    if (!isMap(item) || item.target === undefined) return [];
    return [
      {
        ...(item.host_ip !== undefined ? { hostIp: String(item.host_ip) } : {}),
        ...(item.published !== undefined && item.published !== ''
          ? { published: String(item.published) }
          : {}),
        target: String(item.target),
        protocol: typeof item.protocol === 'string' ? item.protocol : 'tcp',
        path,
      },
    ];
  });
}

function shortPort(spec: string, path: Path): PortMapping[] {
  const [address = '', protocol = 'tcp'] = spec.split('/');
  let hostIp: string | undefined;
  let rest = address;
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(address);
  if (v6) {
    hostIp = v6[1];
    rest = v6[2]!;
  }
  const parts = rest.split(':');
  const target = parts.pop()!;
  const published = parts.pop();
  if (parts.length > 0) hostIp = parts.join(':');
  if (!target) return [];
  return [
    {
      ...(hostIp !== undefined && hostIp !== '' ? { hostIp } : {}),
      ...(published !== undefined && published !== '' ? { published } : {}),
      target,
      protocol,
      path,
    },
  ];
}

export function onAllInterfaces(p: PortMapping): boolean {
  return p.hostIp === undefined || p.hostIp === '0.0.0.0' || p.hostIp === '::' || p.hostIp === '[::]';
}

/** Port numbers a "8000-8010" style spec covers (at most the first 1000). */
export function portNumbers(spec: string): number[] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec);
  if (!m) return [];
  const first = Number(m[1]);
  const last = Math.min(Number(m[2] ?? m[1]), first + 999);
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, k) => first + k);
}

export interface EnvVar {
  name: string;
  /** undefined: taken from the environment of whoever runs compose. */
  value?: string;
  path: Path;
}

/** `environment` (or build `args`) in mapping or `KEY=value` list form. */
export function variables(service: ComposeService, path: Path): EnvVar[] {
  let node: unknown = service.config;
  for (const key of path) node = isMap(node) ? node[key as string] : undefined;
  if (Array.isArray(node)) {
    return node.flatMap((item, i): EnvVar[] => {
      if (typeof item !== 'string') return [];
      const eq = item.indexOf('=');
      return [
        eq === -1
          ? { name: item, path: [...path, i] }
          : { name: item.slice(0, eq), value: item.slice(eq + 1), path: [...path, i] },
      ];
    });
  }
  if (!isMap(node)) return [];
  return Object.entries(node).map(([name, v]) => ({
    name,
    ...(v === null || v === undefined ? {} : { value: String(v) }),
    path: [...path, name],
  }));
}

export function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** Compose booleans, as YAML 1.1-era files also write them. */
export function isTrue(v: unknown): boolean {
  return v === true || (typeof v === 'string' && /^(true|yes|on|1)$/i.test(v.trim()));
}

/** `security_opt` entries as [name, value]: "seccomp:unconfined", "no-new-privileges=true", "no-new-privileges". */
export function securityOptions(service: ComposeService): { name: string; value: string; index: number }[] {
  return stringList(service.config.security_opt).map((opt, index) => {
    const m = /^([^:=]+)[:=](.*)$/.exec(opt);
    return m
      ? { name: m[1]!.trim(), value: m[2]!.trim(), index }
      : { name: opt.trim(), value: 'true', index };
  });
}

/** Capability names without the CAP_ prefix, upper case. */
export function capabilities(value: unknown): { name: string; index: number }[] {
  return stringList(value).map((c, index) => ({ name: c.toUpperCase().replace(/^CAP_/, ''), index }));
}
