import type { Event } from '../../../types.js';
import { globToRegExp } from '../glob.js';
import { durationNs } from './process.js';
import {
  type FieldSpec,
  type FieldType,
  type Getter,
  indexArg,
  type Memo,
  ownValue,
  plain,
  single,
} from './types.js';

type Container = NonNullable<Event['container']>;
type Mount = NonNullable<Container['mounts']>[number];

const SPLIT_CACHE_LIMIT = 4096;
const splitCache = new Map<string, { repository: string; tag: string | undefined }>();

/** `registry:5000/team/app:1.2@sha256:…` → repository `registry:5000/team/app`, tag `1.2`. */
export function splitImage(image: string): { repository: string; tag: string | undefined } {
  let split = splitCache.get(image);
  if (split) return split;
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  split = {
    repository: hasTag ? name.slice(0, colon) : name,
    tag: hasTag ? name.slice(colon + 1) : at < 0 ? 'latest' : undefined,
  };
  if (splitCache.size >= SPLIT_CACHE_LIMIT) splitCache.clear();
  splitCache.set(image, split);
  return split;
}

function renderMount(m: Mount): string {
  return `${m.source}:${m.dest}:${m.mode ?? ''}:${m.rw === undefined ? '' : m.rw}:${m.propagation ?? ''}`;
}

function allMounts(e: Event, m: Memo): string | undefined {
  const mounts = e.container?.mounts;
  if (!mounts) return undefined;
  m.use(e);
  m.mounts ??= mounts.map(renderMount).join(' ');
  return m.mounts;
}

/**
 * `container.mount.dest[/var/run/docker.sock]`: a mount chosen by index, or by a glob on its
 * source (on its destination for container.mount.source), as Falco does.
 */
function mountField(
  name: string,
  selectBy: 'source' | 'dest',
  render: (m: Mount) => string | undefined,
): FieldSpec {
  return {
    name,
    type: 'string',
    arg: 'required',
    bind(arg) {
      if (arg === undefined) return `${name} needs an argument: a mount index or a path glob`;
      if (/^[0-9]+$/.test(arg)) {
        const index = indexArg(name, arg);
        if (typeof index === 'string') return index;
        return single('string', (e) => {
          const mount = e.container?.mounts?.[index];
          return mount ? render(mount) : undefined;
        });
      }
      const pattern = globToRegExp(arg);
      return single('string', (e) => {
        const mounts = e.container?.mounts;
        if (!mounts) return undefined;
        for (let i = 0; i < mounts.length; i++) {
          if (pattern.test(mounts[i]![selectBy])) return render(mounts[i]!);
        }
        return undefined;
      });
    },
  };
}

function labelField(name: string, labels: (e: Event) => Record<string, string> | undefined): FieldSpec {
  return {
    name,
    type: 'string',
    arg: 'required',
    dotted: true,
    bind: (arg) =>
      arg === undefined ? `${name} needs a label name` : single('string', (e) => ownValue(labels(e), arg)),
  };
}

function renderLabels(labels: Record<string, string> | undefined): string | undefined {
  return labels
    ? Object.entries(labels)
        .map(([k, v]) => `${k}:${v}`)
        .join(',')
    : undefined;
}

const containerGetters: [string, FieldType, Getter][] = [
  ['container.id', 'string', (e) => e.container?.id ?? 'host'],
  ['container.name', 'string', (e) => (e.container ? e.container.name : 'host')],
  ['container.image', 'string', (e) => e.container?.image],
  [
    'container.image.repository',
    'string',
    (e) => {
      const c = e.container;
      if (c?.imageRepository !== undefined) return c.imageRepository;
      return c?.image === undefined ? undefined : splitImage(c.image).repository;
    },
  ],
  [
    'container.image.tag',
    'string',
    (e) => {
      const c = e.container;
      if (c?.imageTag !== undefined) return c.imageTag;
      return c?.image === undefined ? undefined : splitImage(c.image).tag;
    },
  ],
  ['container.image.digest', 'string', (e) => e.container?.imageDigest],
  ['container.image.id', 'string', (e) => e.container?.imageId],
  ['container.type', 'string', (e) => e.container?.runtime],
  ['container.privileged', 'bool', (e) => e.container?.privileged],
  [
    'container.start_ts',
    'number',
    (e) => (e.container?.startTs === undefined ? undefined : Math.round(e.container.startTs * 1e6)),
  ],
  ['container.duration', 'number', (e) => durationNs(e.container?.startTs, e.ts)],
  ['container.mounts', 'string', allMounts],
  ['container.labels', 'string', (e) => renderLabels(e.container?.labels)],
  ['k8s.ns.name', 'string', (e) => e.k8s?.ns],
  ['k8s.pod.name', 'string', (e) => e.k8s?.pod],
  ['k8s.pod.id', 'string', (e) => e.k8s?.podUid],
  ['k8s.pod.uid', 'string', (e) => e.k8s?.podUid],
  ['k8s.pod.labels', 'string', (e) => renderLabels(e.k8s?.labels)],
];

export const containerFields: FieldSpec[] = [
  ...containerGetters.map(([name, type, get]) => plain(name, type, get)),
  mountField('container.mount', 'source', renderMount),
  mountField('container.mount.source', 'dest', (m) => m.source),
  mountField('container.mount.dest', 'source', (m) => m.dest),
  mountField('container.mount.mode', 'source', (m) => m.mode),
  mountField('container.mount.rdwr', 'source', (m) => (m.rw === undefined ? undefined : String(m.rw))),
  mountField('container.mount.propagation', 'source', (m) => m.propagation),
  labelField('container.label', (e) => e.container?.labels),
  labelField('k8s.pod.label', (e) => e.k8s?.labels),
];
