import type { LineRange } from '../../engine/check.js';
import { isUnknown } from '../../iac/unknown.js';
import type { FieldPath, Locate } from '../../kubernetes/locate.js';
import { blocksOf } from '../body.js';
import type { Evaluator } from '../eval/evaluator.js';
import type { Block, Body } from '../hcl/ast.js';

/**
 * The Kubernetes provider's blocks in the Kubernetes API's own shape, so the manifest pod checks
 * run on them unchanged: `security_context { run_as_non_root = true }` becomes
 * `securityContext: { runAsNonRoot: true }`, repeated `container` blocks become `containers: [...]`.
 * Every field remembers the lines it was written on.
 *
 * A value Terraform cannot know here (`privileged = var.privileged` without a default) must not
 * cause a finding: it is taken to be the safe value of that field (`privileged: false`,
 * `runAsNonRoot: true`, a pinned image...), and any other unknown value is left out.
 */

/** Repeated blocks that are lists in the API. */
const LIST_BLOCKS = new Set([
  'container',
  'init_container',
  'volume',
  'volume_mount',
  'volume_device',
  'port',
  'env',
  'env_from',
  'toleration',
  'host_aliases',
  'image_pull_secrets',
  'sysctl',
  'topology_spread_constraint',
  'readiness_gate',
]);

/** Names the generic snake_case → camelCase rule gets wrong. */
const API_NAMES: Readonly<Record<string, string>> = {
  container: 'containers',
  init_container: 'initContainers',
  volume: 'volumes',
  volume_mount: 'volumeMounts',
  volume_device: 'volumeDevices',
  port: 'ports',
  toleration: 'tolerations',
  sysctl: 'sysctls',
  topology_spread_constraint: 'topologySpreadConstraints',
  readiness_gate: 'readinessGates',
  host_pid: 'hostPID',
  host_ipc: 'hostIPC',
};

const PINNED_IMAGE = `unknown@sha256:${'0'.repeat(64)}`;

/** The safe value of a field whose value is unknown, by its name (and its parent's): undefined leaves it out. */
function assumed(name: string, parent: string | undefined): unknown {
  if (parent === 'limits' || parent === 'requests') return '1';
  if (name === 'type' && (parent === 'seccompProfile' || parent === 'appArmorProfile'))
    return 'RuntimeDefault';
  switch (name) {
    case 'privileged':
    case 'allowPrivilegeEscalation':
    case 'hostNetwork':
    case 'hostPID':
    case 'hostIPC':
    case 'shareProcessNamespace':
    case 'automountServiceAccountToken':
    case 'hostProcess':
      return false;
    case 'runAsNonRoot':
    case 'readOnlyRootFilesystem':
      return true;
    case 'runAsUser':
    case 'runAsGroup':
      return 65534;
    case 'procMount':
      return 'Default';
    case 'drop':
      return ['ALL'];
    case 'add':
      return [];
    case 'image':
      return PINNED_IMAGE;
    case 'limits':
    case 'requests':
      return { cpu: '1', memory: '1' };
    default:
      return undefined;
  }
}

function apiName(name: string): string {
  return API_NAMES[name] ?? name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Objects built here, with the lines of each of their keys. */
export class ApiShape {
  private readonly places = new WeakMap<object, Map<string | number, LineRange>>();

  constructor(private readonly evaluator: Evaluator) {}

  /** A block's body as an API object. */
  object(body: Body, name?: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const places = new Map<string | number, LineRange>();
    for (const attr of body.attributes) {
      const key = apiName(attr.name);
      const value = this.known(this.evaluator.evaluate(attr.expr), key, name);
      if (value === undefined) continue;
      out[key] = value;
      places.set(key, attr.range);
    }
    for (const type of blockTypes(body)) {
      const blocks = blocksOf(body, type, this.evaluator);
      if (blocks.length === 0) continue;
      const key = apiName(type);
      if (LIST_BLOCKS.has(type)) {
        const items = blocks.map((b) => this.object(b.body, key));
        this.places.set(items, new Map(blocks.map((b, i) => [i, b.range])));
        out[key] = items;
        places.set(key, { line: blocks[0]!.range.line, endLine: blocks[blocks.length - 1]!.range.endLine });
      } else {
        out[key] = this.object(blocks[0]!.body, key);
        places.set(key, blocks[0]!.range);
      }
    }
    this.places.set(out, places);
    return out;
  }

  /** An attribute block (`metadata`, `spec`...) of a body, as an object, with its lines. */
  child(body: Body, type: string): { value: Record<string, unknown>; range: LineRange } | undefined {
    const block = blocksOf(body, type, this.evaluator)[0];
    return block && { value: this.object(block.body, apiName(type)), range: block.range };
  }

  /** Lines of `path` from `root`, as the manifest checks ask for them. */
  locator(root: object): Locate {
    return (path: FieldPath) => {
      let holder: unknown = root;
      for (const key of path.slice(0, -1))
        holder = (holder as Record<string | number, unknown> | undefined)?.[key];
      if (holder === null || typeof holder !== 'object') return undefined;
      const key = path[path.length - 1]!;
      const own = this.places.get(holder)?.get(key);
      if (own) return own;
      const at = this.evaluator.entry(holder, key);
      return at && { line: at.key.line, endLine: at.value.endLine };
    };
  }

  /** Unknown values replaced by what is assumed for them (or left out); known values as they are. */
  private known(value: unknown, name: string, parent: string | undefined): unknown {
    if (isUnknown(value)) return assumed(name, parent);
    if (Array.isArray(value)) {
      const items = value.map((v) => (isUnknown(v) ? undefined : this.known(v, name, parent)));
      return items.every((v, i) => v === value[i]) ? value : items.filter((v) => v !== undefined);
    }
    if (value !== null && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      const entries = Object.entries(obj).map(([k, v]) => [k, this.known(v, k, name)] as const);
      if (entries.every(([k, v]) => v === obj[k])) return obj;
      const out = Object.create(null) as Record<string, unknown>;
      for (const [k, v] of entries) if (v !== undefined) out[k] = v;
      return out;
    }
    return value;
  }
}

/** Types of the nested blocks of a body, dynamic ones included, in order of first appearance. */
function blockTypes(body: Body): string[] {
  const types = body.blocks.map((b: Block) => (b.type === 'dynamic' ? b.labels[0] : b.type));
  return [...new Set(types.filter((t): t is string => t !== undefined && t !== 'content'))];
}
