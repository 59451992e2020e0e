import type {
  ExceptionItem,
  Item,
  ListItem,
  LoadedFile,
  MacroItem,
  OverrideMode,
  RuleItem,
} from './loader.js';
import type { Priority } from './priority.js';
import { ComposedText, type Problem } from './problems.js';

/**
 * Collector: applies the items of every file, in load order, as Falco does. A new definition
 * replaces an old one of the same name (keeping its place); `append: true` and `override:`
 * extend or replace parts of an earlier definition, which must exist.
 */

/** The Falco engine version whose rule format this engine implements. */
export const ENGINE_VERSION = '0.57.0';

export interface ExceptionDef extends ExceptionItem {
  file: string;
}

export interface ListDef {
  name: string;
  file: string;
  line: number;
  items: string[];
}

export interface MacroDef {
  name: string;
  file: string;
  line: number;
  condition: ComposedText;
}

export interface RuleDef {
  name: string;
  file: string;
  line: number;
  condition: ComposedText;
  output: ComposedText;
  desc: string;
  priority: Priority;
  tags: string[];
  enabled: boolean;
  exceptions: ExceptionDef[];
  source: string;
  skipIfUnknownFilter: boolean;
  /** Warn when the condition does not narrow the event types (Falco's warn_evttypes). */
  warnEvttypes: boolean;
  remediation?: string;
  references?: string[];
}

export interface Collection {
  lists: Map<string, ListDef>;
  macros: Map<string, MacroDef>;
  rules: Map<string, RuleDef>;
  requiredPlugins: { name: string; version: string; file: string }[];
  problems: Problem[];
}

const RULE_APPEND_KEYS = new Set(['condition', 'output', 'desc', 'tags', 'exceptions', 'references']);
const RULE_REPLACE_KEYS = new Set([
  'condition',
  'output',
  'desc',
  'priority',
  'tags',
  'exceptions',
  'enabled',
  'warn_evttypes',
  'skip-if-unknown-filter',
  'remediation',
  'references',
]);
const REQUIRED_RULE_KEYS = ['condition', 'output', 'desc', 'priority'] as const;

export function collect(files: { file: string; loaded: LoadedFile }[]): Collection {
  const c: Collection = {
    lists: new Map(),
    macros: new Map(),
    rules: new Map(),
    requiredPlugins: [],
    problems: [],
  };
  for (const { file, loaded } of files) {
    c.problems.push(...loaded.problems);
    for (const p of loaded.requiredPlugins) c.requiredPlugins.push({ ...p, file });
    const required = loaded.requiredEngineVersion;
    if (required && compareVersions(required.version, ENGINE_VERSION) > 0) {
      c.problems.push({
        severity: 'warning',
        file,
        line: required.line,
        message: `the file requires Falco engine ${required.version}; this engine implements ${ENGINE_VERSION}`,
      });
    }
    for (const item of loaded.items) {
      if (item.kind === 'list') collectList(c, item);
      else if (item.kind === 'macro') collectMacro(c, item);
      else collectRule(c, item);
    }
  }
  return c;
}

function fail(c: Collection, item: Item, message: string, severity: Problem['severity'] = 'error'): void {
  c.problems.push({
    severity,
    file: item.file,
    line: item.line,
    message,
    item: { kind: item.kind, name: item.name },
  });
}

/** How each written key is to be applied: from `override:`, legacy `append: true`, or a fresh definition. */
function modes(
  c: Collection,
  item: Item,
  appendable: Set<string>,
  replaceable: Set<string>,
): Map<string, OverrideMode> | undefined {
  const out = new Map<string, OverrideMode>();
  if (item.override) {
    for (const [key, mode] of Object.entries(item.override)) {
      const allowed = mode === 'append' ? appendable : replaceable;
      if (!allowed.has(key)) {
        fail(c, item, `'${key}' cannot be overridden with ${mode}`);
        return undefined;
      }
      if (!item.keys.has(key)) {
        fail(c, item, `override lists '${key}' but the item does not set it`);
        return undefined;
      }
      out.set(key, mode);
    }
    for (const key of item.keys) {
      if (key !== 'override' && key !== 'source' && key !== 'append' && !out.has(key)) {
        fail(c, item, `'${key}' is set but missing from override (say append or replace)`);
        return undefined;
      }
    }
    return out;
  }
  if (item.append) for (const key of item.keys) if (appendable.has(key)) out.set(key, 'append');
  return out;
}

function collectList(c: Collection, item: ListItem): void {
  const prev = c.lists.get(item.name);
  if (item.append || item.override) {
    const how = modes(c, item, new Set(['items']), new Set(['items']));
    if (!how) return;
    if (!prev) {
      fail(c, item, `list '${item.name}' is appended to or overridden, but no such list exists yet`);
      return;
    }
    const items = item.items ?? [];
    if (how.get('items') === 'replace') prev.items = [...items];
    else prev.items.push(...items);
    return;
  }
  if (item.items === undefined) {
    fail(c, item, `list '${item.name}' has no items`);
    return;
  }
  const def: ListDef = { name: item.name, file: item.file, line: item.line, items: [...item.items] };
  c.lists.set(item.name, def);
}

function collectMacro(c: Collection, item: MacroItem): void {
  const prev = c.macros.get(item.name);
  if (item.append || item.override) {
    const how = modes(c, item, new Set(['condition']), new Set(['condition']));
    if (!how) return;
    if (!prev) {
      fail(c, item, `macro '${item.name}' is appended to or overridden, but no such macro exists yet`);
      return;
    }
    if (!item.condition) {
      fail(c, item, `macro '${item.name}' is appended to without a condition`);
      return;
    }
    prev.condition =
      how.get('condition') === 'replace'
        ? ComposedText.of(item.condition)
        : prev.condition.append(item.condition);
    return;
  }
  if (!item.condition) {
    fail(c, item, `macro '${item.name}' has no condition`);
    return;
  }
  c.macros.set(item.name, {
    name: item.name,
    file: item.file,
    line: item.line,
    condition: ComposedText.of(item.condition),
  });
}

function collectRule(c: Collection, item: RuleItem): void {
  const prev = c.rules.get(item.name);
  const onlyEnabled = item.keys.size === 1 && item.keys.has('enabled') && !item.append && !item.override;
  if (onlyEnabled) {
    if (!prev) {
      fail(c, item, `rule '${item.name}' is enabled or disabled, but no such rule exists yet`);
      return;
    }
    if (item.enabled !== undefined) prev.enabled = item.enabled;
    return;
  }
  if (item.append || item.override) {
    const how = modes(c, item, RULE_APPEND_KEYS, RULE_REPLACE_KEYS);
    if (!how) return;
    if (!prev) {
      fail(c, item, `rule '${item.name}' is appended to or overridden, but no such rule exists yet`);
      return;
    }
    if (item.append) {
      const ignored = [...item.keys].filter((k) => k !== 'append' && !RULE_APPEND_KEYS.has(k));
      if (ignored.length > 0)
        fail(
          c,
          item,
          `append: true ignores ${ignored.join(', ')} (use override: to replace them)`,
          'warning',
        );
      if (how.size === 0) {
        fail(c, item, `rule '${item.name}' has append: true but nothing to append`);
        return;
      }
    }
    updateRule(c, prev, item, how);
    return;
  }
  const missing = REQUIRED_RULE_KEYS.filter((k) => item[k] === undefined);
  if (missing.length > 0) {
    fail(c, item, `rule '${item.name}' lacks ${missing.join(', ')}`);
    return;
  }
  const def: RuleDef = {
    name: item.name,
    file: item.file,
    line: item.line,
    condition: ComposedText.of(item.condition!),
    output: ComposedText.of(item.output!),
    desc: item.desc!,
    priority: item.priority!,
    tags: item.tags ?? [],
    enabled: item.enabled ?? true,
    exceptions: (item.exceptions ?? []).map((e) => ({ ...e, file: item.file })),
    source: item.source ?? 'syscall',
    skipIfUnknownFilter: item.skipIfUnknownFilter ?? false,
    warnEvttypes: item.warnEvttypes ?? true,
    ...(item.remediation !== undefined ? { remediation: item.remediation } : {}),
    ...(item.references !== undefined ? { references: item.references } : {}),
  };
  // A redefinition takes the place of the old one.
  c.rules.set(item.name, def);
}

function updateRule(c: Collection, rule: RuleDef, item: RuleItem, how: Map<string, OverrideMode>): void {
  for (const [key, mode] of how) {
    const append = mode === 'append';
    switch (key) {
      case 'condition':
        rule.condition = append ? rule.condition.append(item.condition!) : ComposedText.of(item.condition!);
        break;
      case 'output':
        rule.output = append ? rule.output.append(item.output!) : ComposedText.of(item.output!);
        break;
      case 'desc':
        rule.desc = append ? `${rule.desc} ${item.desc}` : item.desc!;
        break;
      case 'tags':
        rule.tags = append ? [...new Set([...rule.tags, ...(item.tags ?? [])])] : (item.tags ?? []);
        break;
      case 'references':
        rule.references = append ? [...(rule.references ?? []), ...(item.references ?? [])] : item.references;
        break;
      case 'exceptions':
        rule.exceptions = append
          ? mergeExceptions(c, item, rule.exceptions, item.exceptions ?? [])
          : (item.exceptions ?? []).map((e) => ({ ...e, file: item.file }));
        break;
      case 'priority':
        if (item.priority) rule.priority = item.priority;
        break;
      case 'enabled':
        if (item.enabled !== undefined) rule.enabled = item.enabled;
        break;
      case 'skip-if-unknown-filter':
        if (item.skipIfUnknownFilter !== undefined) rule.skipIfUnknownFilter = item.skipIfUnknownFilter;
        break;
      case 'warn_evttypes':
        if (item.warnEvttypes !== undefined) rule.warnEvttypes = item.warnEvttypes;
        break;
      case 'remediation':
        rule.remediation = item.remediation;
        break;
    }
  }
}

/** Appended exceptions: new names are added whole; known names only gain values. */
function mergeExceptions(
  c: Collection,
  item: RuleItem,
  existing: ExceptionDef[],
  added: ExceptionItem[],
): ExceptionDef[] {
  const out: ExceptionDef[] = existing.map((e) => (e.values ? { ...e, values: [...e.values] } : { ...e }));
  for (const ex of added) {
    const prev = out.find((e) => e.name === ex.name);
    if (!prev) {
      if (ex.fields === undefined)
        fail(c, item, `appended exception '${ex.name}' is new, so it needs fields`);
      else out.push({ ...ex, file: item.file });
      continue;
    }
    if (ex.fields !== undefined || ex.comps !== undefined) {
      fail(c, item, `exception '${ex.name}' exists: appending can add values, not fields or comps`);
      continue;
    }
    prev.values = [...(prev.values ?? []), ...(ex.values ?? [])];
  }
  return out;
}

/** Compares dotted versions; a bare number N (old rule files) means 0.N.0. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => {
    const nums = v.split('.').map((x) => Number.parseInt(x, 10) || 0);
    return nums.length === 1 ? [0, nums[0]!, 0] : nums;
  };
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
