/**
 * The daemon's effective settings: dockerd command-line flags win over daemon.json keys,
 * which use the same names (`icc`, `live-restore`, `hosts`...).
 */
type SettingValue = string | boolean | string[] | Record<string, unknown>;

const ALIASES: Record<string, string> = { H: 'hosts', host: 'hosts', G: 'group', D: 'debug', l: 'log-level' };
const MULTI = new Set([
  'hosts',
  'insecure-registry',
  'authorization-plugin',
  'storage-opt',
  'default-ulimit',
]);
/** Flag names whose daemon.json key is spelled in the plural. */
const JSON_KEY: Record<string, string> = {
  'insecure-registry': 'insecure-registries',
  'authorization-plugin': 'authorization-plugins',
  'storage-opt': 'storage-opts',
  'default-ulimit': 'default-ulimits',
};
/** Flags that never take a separate value argument. */
const BOOLEAN = new Set([
  'icc',
  'iptables',
  'ip-forward',
  'ip-masq',
  'live-restore',
  'userland-proxy',
  'experimental',
  'no-new-privileges',
  'tlsverify',
  'tls',
  'debug',
  'selinux-enabled',
  'rootless',
]);

export function parseDaemonArgs(argv: string[]): Map<string, SettingValue> {
  const out = new Map<string, SettingValue>();
  const put = (name: string, value: string | boolean) => {
    const key = JSON_KEY[name] ?? name;
    if (MULTI.has(name)) out.set(key, [...((out.get(key) as string[] | undefined) ?? []), String(value)]);
    else out.set(key, value === 'true' ? true : value === 'false' ? false : value);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/.exec(arg);
    if (!m) continue;
    const name = ALIASES[m[1]!] ?? m[1]!;
    if (m[2] !== undefined) put(name, m[2]);
    else if (BOOLEAN.has(name) || argv[i + 1] === undefined || argv[i + 1]!.startsWith('-')) put(name, true);
    else put(name, argv[++i]!);
  }
  return out;
}

export class DaemonSettings {
  constructor(
    private readonly flags: Map<string, SettingValue>,
    private readonly json: Record<string, unknown>,
    readonly sources: { cmdline?: string; configFile?: string; configError?: string },
  ) {}

  get(name: string): SettingValue | undefined {
    return this.flags.get(name) ?? (this.json[name] as SettingValue | undefined);
  }

  bool(name: string): boolean | undefined {
    const v = this.get(name);
    if (typeof v === 'boolean') return v;
    if (v === 'true') return true;
    if (v === 'false') return false;
    return undefined;
  }

  list(name: string): string[] {
    const v = this.get(name);
    if (Array.isArray(v)) return v.map(String);
    if (typeof v === 'string') return [v];
    if (v && typeof v === 'object') return Object.keys(v);
    return [];
  }

  /** Where a setting came from, for evidence lines. */
  describe(name: string): string {
    if (this.flags.has(name)) return `dockerd flag --${name}=${JSON.stringify(this.flags.get(name))}`;
    if (name in this.json)
      return `${this.sources.configFile ?? 'daemon.json'}: "${name}": ${JSON.stringify(this.json[name])}`;
    return `${name} not set (dockerd flags and ${this.sources.configFile ?? 'daemon.json'})`;
  }
}
