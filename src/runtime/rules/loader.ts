import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  Scalar,
  type YAMLMap,
} from 'yaml';
import { type Priority, parsePriority } from './priority.js';
import type { Problem, SourceText } from './problems.js';

/**
 * Loader: one rules file's YAML → the items it declares, in order, with their lines. Shapes
 * are checked here (a key of the wrong type is a problem, never a crash); what the items mean
 * together (append, override, references) is the collector's and the compiler's business.
 */

export type OverrideMode = 'append' | 'replace';

export interface ExceptionItem {
  name: string;
  line: number;
  fields?: string | string[];
  comps?: string | string[];
  /** Tuples (a value or a list of values per field), or plain values with a single field. */
  values?: unknown[];
}

interface ItemBase {
  file: string;
  line: number;
  name: string;
  /** Legacy `append: true`. */
  append: boolean;
  override?: Record<string, OverrideMode>;
  /** Keys written in the item (besides its name). */
  keys: Set<string>;
}

export interface ListItem extends ItemBase {
  kind: 'list';
  items?: string[];
}

export interface MacroItem extends ItemBase {
  kind: 'macro';
  condition?: SourceText;
}

export interface RuleItem extends ItemBase {
  kind: 'rule';
  condition?: SourceText;
  output?: SourceText;
  desc?: string;
  priority?: Priority;
  tags?: string[];
  enabled?: boolean;
  exceptions?: ExceptionItem[];
  source?: string;
  skipIfUnknownFilter?: boolean;
  warnEvttypes?: boolean;
  remediation?: string;
  references?: string[];
}

export type Item = ListItem | MacroItem | RuleItem;

export interface LoadedFile {
  items: Item[];
  requiredEngineVersion?: { version: string; line: number };
  requiredPlugins: { name: string; version: string }[];
  problems: Problem[];
}

const RULE_KEYS = new Set([
  'rule',
  'condition',
  'output',
  'desc',
  'priority',
  'tags',
  'enabled',
  'exceptions',
  'source',
  'append',
  'override',
  'warn_evttypes',
  'skip-if-unknown-filter',
  'capture',
  'capture_duration',
  // Ringfence's own metadata.
  'remediation',
  'references',
]);
const MACRO_KEYS = new Set(['macro', 'condition', 'append', 'override', 'source']);
const LIST_KEYS = new Set(['list', 'items', 'append', 'override', 'source']);

/** Parses one rules file. Never throws for bad content: everything wrong is a problem. */
export function loadRulesText(file: string, text: string): LoadedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const out: LoadedFile = { items: [], requiredPlugins: [], problems: [] };
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line;
  const problem = (
    line: number,
    message: string,
    severity: Problem['severity'] = 'error',
    item?: Problem['item'],
  ) => out.problems.push({ severity, file, line, message, ...(item ? { item } : {}) });

  for (const err of doc.errors)
    problem(err.linePos?.[0]?.line ?? lineOf(err.pos[0]), `invalid YAML: ${firstLine(err.message)}`);
  if (doc.errors.length > 0) return out;
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return out;
  if (!isSeq(root)) {
    problem(lineOf(root.range?.[0]), 'a rules file must be a YAML sequence of rule, macro and list items');
    return out;
  }
  const reader = new ItemReader(
    doc,
    file,
    text,
    lineOf,
    problem,
    () => out.problems.filter((p) => p.severity === 'error').length,
  );
  for (const node of root.items) {
    const item = resolve(doc, node as Node);
    const line = lineOf(item?.range?.[0]);
    if (!isMap(item)) {
      problem(line, 'each item must be a mapping (rule, macro, list, required_engine_version...)');
      continue;
    }
    reader.read(item, line, out);
  }
  return out;
}

class ItemReader {
  constructor(
    private readonly doc: Document,
    private readonly file: string,
    private readonly text: string,
    private readonly lineOf: (offset: number | undefined) => number,
    private readonly problem: (
      line: number,
      message: string,
      severity?: Problem['severity'],
      item?: Problem['item'],
    ) => void,
    private readonly errorCount: () => number,
  ) {}

  read(map: YAMLMap, line: number, out: LoadedFile): void {
    const entries = this.entries(map);
    if (entries.has('required_engine_version')) {
      const v = this.scalarText(entries.get('required_engine_version')!);
      if (v === undefined) this.problem(line, 'required_engine_version must be a version');
      else out.requiredEngineVersion = { version: v, line };
      return;
    }
    if (entries.has('required_plugin_versions')) {
      const plugins = entries.get('required_plugin_versions')!;
      if (!isSeq(plugins)) this.problem(line, 'required_plugin_versions must be a list');
      else {
        for (const p of plugins.items) {
          const m = resolve(this.doc, p as Node);
          const pe = isMap(m) ? this.entries(m) : undefined;
          const name = pe?.get('name') && this.scalarText(pe.get('name')!);
          const version = pe?.get('version') && this.scalarText(pe.get('version')!);
          if (name && version) out.requiredPlugins.push({ name, version });
          else this.problem(this.lineOf(m?.range?.[0]), 'a required plugin needs a name and a version');
        }
      }
      return;
    }
    const kind = (['rule', 'macro', 'list'] as const).find((k) => entries.has(k));
    if (!kind) {
      this.problem(
        line,
        `unknown item (keys: ${[...entries.keys()].join(', ') || 'none'}); expected rule, macro or list`,
        'warning',
      );
      return;
    }
    const name = this.scalarText(entries.get(kind)!);
    if (!name) {
      this.problem(line, `${kind} name must be a non-empty string`);
      return;
    }
    const ctx: Problem['item'] = { kind, name };
    const allowed = kind === 'rule' ? RULE_KEYS : kind === 'macro' ? MACRO_KEYS : LIST_KEYS;
    for (const key of entries.keys()) {
      if (!allowed.has(key)) this.problem(line, `unknown key '${key}' ignored`, 'warning', ctx);
    }
    const base = {
      file: this.file,
      line,
      name,
      append: this.bool(entries, 'append', line, ctx) ?? false,
      keys: new Set([...entries.keys()].filter((k) => k !== kind && allowed.has(k))),
    };
    const override = this.override(entries, line, ctx);
    if (override === 'invalid') return;
    if (override && base.append) {
      this.problem(line, "'append' and 'override' cannot be used together", 'error', ctx);
      return;
    }
    const common = override ? { ...base, override } : base;
    const errorsBefore = this.errorCount();
    let item: Item;
    if (kind === 'list') {
      item = { kind, ...common, ...optional('items', this.stringList(entries, 'items', line, ctx)) };
    } else if (kind === 'macro') {
      item = { kind, ...common, ...optional('condition', this.sourceText(entries, 'condition', line, ctx)) };
    } else {
      item = { kind, ...common, ...this.ruleFields(entries, line, ctx) };
    }
    // An item with a malformed key is left out whole, rather than half-applied.
    if (this.errorCount() === errorsBefore) out.items.push(item);
  }

  private ruleFields(entries: Map<string, Node>, line: number, ctx: Problem['item']): Partial<RuleItem> {
    const fields: Partial<RuleItem> = {};
    const priorityText = this.string(entries, 'priority', line, ctx);
    if (priorityText !== undefined) {
      const priority = parsePriority(priorityText);
      if (priority) fields.priority = priority;
      else
        this.problem(
          this.lineOf(entries.get('priority')?.range?.[0]),
          `invalid priority '${priorityText}' (emergency, alert, critical, error, warning, notice, informational, debug)`,
          'error',
          ctx,
        );
    }
    return {
      ...fields,
      ...optional('condition', this.sourceText(entries, 'condition', line, ctx)),
      ...optional('output', this.sourceText(entries, 'output', line, ctx)),
      ...optional('desc', this.string(entries, 'desc', line, ctx)),
      ...optional('tags', this.stringList(entries, 'tags', line, ctx)),
      ...optional('enabled', this.bool(entries, 'enabled', line, ctx)),
      ...optional('source', this.string(entries, 'source', line, ctx)),
      ...optional('skipIfUnknownFilter', this.bool(entries, 'skip-if-unknown-filter', line, ctx)),
      ...optional('warnEvttypes', this.bool(entries, 'warn_evttypes', line, ctx)),
      ...optional('remediation', this.string(entries, 'remediation', line, ctx)),
      ...optional('references', this.stringList(entries, 'references', line, ctx)),
      ...optional('exceptions', this.exceptions(entries, line, ctx)),
    };
  }

  private exceptions(
    entries: Map<string, Node>,
    line: number,
    ctx: Problem['item'],
  ): ExceptionItem[] | undefined {
    const node = entries.get('exceptions');
    if (!node) return undefined;
    if (!isSeq(node)) {
      this.problem(line, 'exceptions must be a list', 'error', ctx);
      return undefined;
    }
    const out: ExceptionItem[] = [];
    for (const raw of node.items) {
      const m = resolve(this.doc, raw as Node);
      const exLine = this.lineOf(m?.range?.[0]);
      if (!isMap(m)) {
        this.problem(
          exLine,
          'each exception must be a mapping with name, fields, comps and values',
          'error',
          ctx,
        );
        continue;
      }
      const e = this.entries(m);
      for (const key of e.keys()) {
        if (!['name', 'fields', 'comps', 'values'].includes(key))
          this.problem(exLine, `unknown exception key '${key}' ignored`, 'warning', ctx);
      }
      const name = e.get('name') && this.scalarText(e.get('name')!);
      if (!name) {
        this.problem(exLine, 'an exception needs a name', 'error', ctx);
        continue;
      }
      const ex: ExceptionItem = { name, line: exLine };
      for (const key of ['fields', 'comps'] as const) {
        const v = e.get(key);
        if (v === undefined) continue;
        const value = v.toJS(this.doc) as unknown;
        if (typeof value === 'string' || (Array.isArray(value) && value.every((x) => typeof x === 'string')))
          ex[key] = value;
        else
          this.problem(
            exLine,
            `exception '${name}': ${key} must be a string or a list of strings`,
            'error',
            ctx,
          );
      }
      const values = e.get('values');
      if (values !== undefined) {
        const js = values.toJS(this.doc, { maxAliasCount: 100 }) as unknown;
        if (Array.isArray(js)) ex.values = js;
        else if (js !== null)
          this.problem(exLine, `exception '${name}': values must be a list`, 'error', ctx);
      }
      out.push(ex);
    }
    return out;
  }

  /** The override map; `invalid` (after reporting) when the item must be dropped. */
  private override(
    entries: Map<string, Node>,
    line: number,
    ctx: Problem['item'],
  ): Record<string, OverrideMode> | 'invalid' | undefined {
    const node = entries.get('override');
    if (!node) return undefined;
    if (!isMap(node)) {
      this.problem(line, 'override must map keys to append or replace', 'error', ctx);
      return 'invalid';
    }
    const out: Record<string, OverrideMode> = {};
    for (const [key, value] of this.entries(node)) {
      const mode = this.scalarText(value);
      if (mode !== 'append' && mode !== 'replace') {
        this.problem(line, `override of '${key}' must be append or replace`, 'error', ctx);
        return 'invalid';
      }
      out[key] = mode;
    }
    return out;
  }

  private entries(map: YAMLMap): Map<string, Node> {
    const out = new Map<string, Node>();
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) {
        this.problem(this.lineOf((pair.key as Node | null)?.range?.[0]), 'keys must be plain strings');
        continue;
      }
      out.set(key, resolve(this.doc, pair.value as Node) ?? new Scalar(null));
    }
    return out;
  }

  private scalarText(node: Node): string | undefined {
    if (!isScalar(node) || node.value === null || typeof node.value === 'object') return undefined;
    const s = String(node.value);
    return s.length > 0 ? s : undefined;
  }

  private string(
    entries: Map<string, Node>,
    key: string,
    line: number,
    ctx: Problem['item'],
  ): string | undefined {
    const node = entries.get(key);
    if (node === undefined) return undefined;
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number'))
      return String(node.value).trim();
    this.problem(this.lineOf(node.range?.[0]) || line, `${key} must be a string`, 'error', ctx);
    return undefined;
  }

  private bool(
    entries: Map<string, Node>,
    key: string,
    line: number,
    ctx: Problem['item'],
  ): boolean | undefined {
    const node = entries.get(key);
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.problem(this.lineOf(node.range?.[0]) || line, `${key} must be true or false`, 'error', ctx);
    return undefined;
  }

  private stringList(
    entries: Map<string, Node>,
    key: string,
    line: number,
    ctx: Problem['item'],
  ): string[] | undefined {
    const node = entries.get(key);
    if (node === undefined) return undefined;
    if (isScalar(node) && node.value === null) return [];
    if (!isSeq(node)) {
      this.problem(this.lineOf(node.range?.[0]) || line, `${key} must be a list`, 'error', ctx);
      return undefined;
    }
    const out: string[] = [];
    for (const raw of node.items) {
      const item = resolve(this.doc, raw as Node);
      if (isScalar(item) && item.value !== null && typeof item.value !== 'object')
        out.push(String(item.value));
      else this.problem(this.lineOf(item?.range?.[0]) || line, `${key} must hold plain values`, 'error', ctx);
    }
    return out;
  }

  private sourceText(
    entries: Map<string, Node>,
    key: string,
    line: number,
    ctx: Problem['item'],
  ): SourceText | undefined {
    const node = entries.get(key);
    if (node === undefined) return undefined;
    if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) {
      this.problem(this.lineOf(node.range?.[0]) || line, `${key} must be a string`, 'error', ctx);
      return undefined;
    }
    const value = String(node.value);
    return {
      text: value,
      file: this.file,
      lineAt: (offset) => this.lineOf(sourceOffset(this.text, node, value, offset)),
    };
  }
}

/**
 * Maps an offset in a scalar's value to an offset in the file. Folding and indentation only
 * change blanks, so the n-th non-blank character of the value is the n-th of its source.
 */
function sourceOffset(text: string, node: Scalar, value: string, offset: number): number {
  const [start, end] = node.range ?? [0, 0];
  let wanted = 0;
  for (let i = 0; i < Math.min(offset, value.length); i++) if (!/\s/.test(value[i]!)) wanted++;
  let i = start;
  if (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') {
    const eol = text.indexOf('\n', start);
    i = eol < 0 ? end : eol + 1;
  } else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') i++;
  let last = start;
  for (; i < end; i++) {
    if (/\s/.test(text[i]!)) continue;
    if (wanted === 0) return i;
    wanted--;
    last = i;
  }
  // The offset is past the value's last character (an error at the end of a condition).
  return last;
}

function resolve(doc: Document, node: Node | null | undefined): Node | undefined {
  if (node === null || node === undefined) return undefined;
  return isAlias(node) ? (node.resolve(doc) as Node | undefined) : node;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
