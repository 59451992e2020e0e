import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DockerClient } from '../../docker/client.js';
import type { ContainerInspect, DockerInfo, ImageHistoryEntry, ImageInspect } from '../../docker/types.js';
import { DaemonSettings, parseDaemonArgs } from './daemon-settings.js';

/** Everything the CIS Docker checks look at, gathered once so each check is a pure function. */
export interface HostFile {
  path: string;
  exists: boolean;
  uid?: number;
  gid?: number;
  mode?: number;
}

export interface ContainerFacts {
  inspect: ContainerInspect;
  name: string;
  /** Command lines of the container's processes (from /containers/{id}/top). */
  processes: string[];
}

export interface ImageFacts {
  inspect: ImageInspect;
  name: string;
  history: ImageHistoryEntry[];
}

export interface DockerHostContext {
  info: DockerInfo;
  daemon: DaemonSettings;
  /** The default bridge network's inter-container communication option, when it can be read. */
  bridgeIcc?: boolean;
  file(path: string): HostFile;
  /** Paths below a host directory (registry certificates). */
  listDir(path: string): string[];
  dockerGroupGid?: number;
  contentTrust: boolean;
  apparmorEnabled: boolean;
  selinuxEnabled: boolean;
  containers: ContainerFacts[];
  images: ImageFacts[];
  /** The container Ringfence itself runs in, when it does; never judged. */
  selfContainerId?: string;
  warnings: string[];
}

interface GatherOptions {
  /** Where the host's filesystem is visible (`/`, or e.g. `/host` when run in a container). */
  hostRoot: string;
  env: NodeJS.ProcessEnv;
  /** Also judge stopped and created containers (their configuration), not only running ones. */
  allContainers?: boolean;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** dockerd's argv, from the first process whose comm is `dockerd`. */
function dockerdArgs(procDir: string): string[] | undefined {
  let pids: string[];
  try {
    pids = readdirSync(procDir).filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    if (readText(join(procDir, pid, 'comm'))?.trim() !== 'dockerd') continue;
    const cmdline = readText(join(procDir, pid, 'cmdline'));
    if (cmdline) return cmdline.split('\0').filter(Boolean).slice(1);
  }
  return undefined;
}

const CONTAINER_ID = /(?:docker[-/]|containers\/)([0-9a-f]{64})/;

export function selfContainerId(procSelf = '/proc/self'): string | undefined {
  for (const f of ['cgroup', 'mountinfo']) {
    const m = CONTAINER_ID.exec(readText(join(procSelf, f)) ?? '');
    if (m) return m[1];
  }
  return undefined;
}

function groupGid(groupFile: string, name: string): number | undefined {
  for (const line of (readText(groupFile) ?? '').split('\n')) {
    const [g, , gid] = line.split(':');
    if (g === name && gid && /^\d+$/.test(gid)) return Number(gid);
  }
  return undefined;
}

export async function gatherContext(client: DockerClient, opts: GatherOptions): Promise<DockerHostContext> {
  const warnings: string[] = [];
  const host = (p: string) => join(opts.hostRoot, p);
  const info = await client.json<DockerInfo>('/info');

  const args = dockerdArgs(host('/proc')) ?? [];
  if (args.length === 0 && !readText(host('/proc/1/comm')))
    warnings.push('could not read dockerd command line; checked daemon.json only');
  const flags = parseDaemonArgs(args);
  const configFile = (flags.get('config-file') as string | undefined) ?? '/etc/docker/daemon.json';
  let json: Record<string, unknown> = {};
  let configError: string | undefined;
  const raw = readText(host(configFile));
  if (raw?.trim()) {
    try {
      json = JSON.parse(raw) as Record<string, unknown>;
    } catch (err) {
      configError = `${configFile}: invalid JSON (${(err as Error).message})`;
      warnings.push(configError);
    }
  }
  const daemon = new DaemonSettings(flags, json, { cmdline: args.join(' '), configFile, configError });

  let bridgeIcc: boolean | undefined;
  try {
    const net = await client.json<{ Options?: Record<string, string> }>('/networks/bridge');
    const v = net.Options?.['com.docker.network.bridge.enable_icc'];
    if (v !== undefined) bridgeIcc = v === 'true';
  } catch {
    warnings.push('could not inspect the default bridge network');
  }

  const self = selfContainerId(host('/proc/self'));
  const summaries = await client.json<{ Id: string }[]>('/containers/json', {
    all: opts.allContainers ? '1' : undefined,
  });
  const containers: ContainerFacts[] = [];
  for (const { Id } of summaries) {
    if (Id === self) continue;
    const inspect = await client.json<ContainerInspect>(`/containers/${Id}/json`);
    let processes: string[] = [];
    if (inspect.State.Running)
      try {
        const top = await client.json<{ Titles: string[]; Processes: string[][] }>(`/containers/${Id}/top`, {
          ps_args: '-o args',
        });
        processes = top.Processes.map((p) => p.at(-1) ?? '');
      } catch {
        warnings.push(`could not list processes of ${inspect.Name.replace(/^\//, '')}`);
      }
    containers.push({ inspect, name: inspect.Name.replace(/^\//, ''), processes });
  }

  const images: ImageFacts[] = [];
  for (const summary of await client.json<{ Id: string; RepoTags?: string[] | null }[]>('/images/json')) {
    const tags = (summary.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
    if (tags.length === 0) continue;
    const inspect = await client.json<ImageInspect>(`/images/${summary.Id}/json`);
    const history = await client.json<ImageHistoryEntry[]>(`/images/${summary.Id}/history`);
    images.push({ inspect, name: tags[0]!, history });
  }

  return {
    info,
    daemon,
    bridgeIcc,
    file(path) {
      try {
        const st = statSync(host(path));
        return { path, exists: true, uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 };
      } catch {
        return { path, exists: false };
      }
    },
    listDir(path) {
      try {
        return readdirSync(host(path), { recursive: true, withFileTypes: true })
          .filter((d) => d.isFile())
          .map((d) => join(d.parentPath.slice(opts.hostRoot.replace(/\/$/, '').length) || '/', d.name));
      } catch {
        return [];
      }
    },
    dockerGroupGid: groupGid(host('/etc/group'), 'docker'),
    contentTrust: opts.env.DOCKER_CONTENT_TRUST === '1',
    apparmorEnabled: readText(host('/sys/module/apparmor/parameters/enabled'))?.trim() === 'Y',
    selinuxEnabled: readText(host('/sys/fs/selinux/enforce')) !== undefined,
    containers,
    images,
    selfContainerId: self,
    warnings,
  };
}
