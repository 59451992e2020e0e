import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  type Tags,
  visit,
} from 'yaml';
import { ConfigParseError, type LineRange } from './check.js';

/**
 * YAML to plain JavaScript values that remember where they came from. Aliases and `<<` merge
 * keys are resolved (a merged key points at the line where its text is), so checks read plain
 * objects (`svc.privileged === true`) and ask `locations` for line numbers. Shared by every
 * YAML-based file kind (Compose, Kubernetes, CloudFormation).
 */

export interface EntryLocation {
  /** The key's line(s). */
  key: LineRange;
  /** The value's lines. */
  value: LineRange;
}

export interface YamlLocations {
  /** Lines of a mapping or sequence value. */
  of(node: object): LineRange | undefined;
  /** Lines of one entry (`key: value`, or a sequence item by index) of a mapping or sequence. */
  entry(container: object, key: string | number): EntryLocation | undefined;
}

interface YamlDocument {
  /** null for an empty document. Objects shared through aliases are the same object. */
  value: unknown;
  /** Lines of the whole document within the file. */
  range: LineRange;
  /** 0-based position among the file's documents. */
  index: number;
}

interface ParsedYaml {
  documents: YamlDocument[];
  locations: YamlLocations;
}

interface YamlOptions {
  /** '1.1' for files written for YAML 1.1 parsers (yes/no booleans, sexagesimal numbers). */
  version?: '1.1' | '1.2';
  /** Extra tags (e.g. CloudFormation's !Ref); their resolved value is kept. */
  customTags?: Tags;
  /** Called for a node with a tag outside the schema, e.g. to turn `!Ref x` into `{ Ref: x }`. */
  onUnknownTag?: (tag: string, value: unknown) => unknown;
}

/** Nodes plus merged entries a file may produce before we call it an alias bomb. */
const MAX_VALUES = 2_000_000;

interface Place {
  range: LineRange;
  entries: Map<string | number, EntryLocation>;
}

export function parseYaml(text: string, options: YamlOptions = {}): ParsedYaml {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    merge: true,
    // Duplicate keys are found while converting, in constant time per key: the library's own
    // check compares every key with every earlier one, which is quadratic on large mappings.
    uniqueKeys: false,
    prettyErrors: false,
    version: options.version ?? '1.2',
    ...(options.customTags ? { customTags: options.customTags } : {}),
  });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      throw new ConfigParseError(
        `invalid YAML: ${firstLine(err.message)}`,
        lineCounter.linePos(err.pos[0]).line,
      );
    }
  }
  const places = new WeakMap<object, Place>();
  const lines = (range: readonly number[] | null | undefined): LineRange =>
    rangeToLines(text, lineCounter, range);
  const documents = list.map((doc, index) => ({
    value: new Converter(doc, places, lines, options).convert(doc.contents),
    range: lines(doc.range),
    index,
  }));
  return {
    documents,
    locations: {
      of: (node) => places.get(node)?.range,
      entry: (container, key) => places.get(container)?.entries.get(key),
    },
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function rangeToLines(text: string, lc: LineCounter, range: readonly number[] | null | undefined): LineRange {
  if (!range) return { line: 1, endLine: 1 };
  const start = range[0]!;
  let end = Math.max(start, range[1] ?? start);
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  return { line: lc.linePos(start).line, endLine: lc.linePos(Math.max(start, end - 1)).line };
}

class Converter {
  private readonly memo = new Map<Node, unknown>();
  private readonly aliases: Map<Alias, Node | undefined>;
  private count = 0;

  constructor(
    doc: Document.Parsed,
    private readonly places: WeakMap<object, Place>,
    private readonly lines: (range: readonly number[] | null | undefined) => LineRange,
    private readonly options: YamlOptions,
  ) {
    this.aliases = resolveAliases(doc);
  }

  convert(node: unknown): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.convert(this.aliases.get(node));
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) return null;
    if (this.memo.has(node)) return this.memo.get(node);
    this.bump();
    let value: unknown;
    if (isScalar(node)) value = node.value;
    else if (isSeq(node)) value = this.convertSeq(node);
    else value = this.convertMap(node);
    const tag = node.tag;
    if (tag && this.options.onUnknownTag && !tag.startsWith('tag:yaml.org,2002:')) {
      value = this.options.onUnknownTag(tag, value);
    }
    this.memo.set(node, value);
    return value;
  }

  private bump(): void {
    if (++this.count > MAX_VALUES)
      throw new ConfigParseError(`YAML expands to more than ${MAX_VALUES} values`);
  }

  private convertSeq(node: Node & { items: unknown[]; range?: readonly number[] | null }): unknown[] {
    const out: unknown[] = [];
    const place: Place = { range: this.lines(node.range), entries: new Map() };
    this.places.set(out, place);
    this.memo.set(node, out);
    node.items.forEach((item, i) => {
      out.push(this.convert(item));
      const r = this.lines(rangeOf(item));
      place.entries.set(i, { key: r, value: r });
    });
    return out;
  }

  private convertMap(
    node: Node & { items: unknown[]; range?: readonly number[] | null },
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const place: Place = { range: this.lines(node.range), entries: new Map() };
    this.places.set(out, place);
    this.memo.set(node, out);
    const merges: unknown[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      if (isScalar(pair.key) && typeof pair.key.value === 'symbol') {
        merges.push(pair.value);
        continue;
      }
      const key = keyString(this.convert(pair.key));
      const keyLines = this.lines(rangeOf(pair.key));
      if (Object.hasOwn(out, key)) {
        throw new ConfigParseError(`invalid YAML: duplicate key "${key.slice(0, 60)}"`, keyLines.line);
      }
      define(out, key, this.convert(pair.value));
      const valueLines = pair.value ? this.lines(rangeOf(pair.value)) : keyLines;
      place.entries.set(key, { key: keyLines, value: valueLines });
    }
    for (const source of merges.flatMap((m) => (isSeq(m) ? m.items : [m]))) {
      const merged = this.convert(source);
      if (merged === null || typeof merged !== 'object' || Array.isArray(merged)) continue;
      const from = this.places.get(merged);
      for (const [key, value] of Object.entries(merged)) {
        if (Object.hasOwn(out, key)) continue;
        this.bump();
        define(out, key, value);
        const loc = from?.entries.get(key);
        if (loc) place.entries.set(key, loc);
      }
    }
    return out;
  }
}

function rangeOf(node: unknown): readonly number[] | undefined {
  return (node as { range?: readonly number[] } | null)?.range ?? undefined;
}

function keyString(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key === null || key === undefined) return '';
  if (typeof key === 'object') return JSON.stringify(key);
  return String(key);
}

/** Every alias's node: the last node with that anchor before it, found in one pass over the document. */
function resolveAliases(doc: Document.Parsed): Map<Alias, Node | undefined> {
  const anchors = new Map<string, Node>();
  const resolved = new Map<Alias, Node | undefined>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) resolved.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return resolved;
}

/** Own enumerable property; `__proto__` as a key is data, not the prototype. */
function define(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
