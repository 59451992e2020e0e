import { ConfigParseError, type SourceFile } from '../engine/check.js';
import { parseYaml, type YamlLocations } from '../engine/yaml.js';
import { parseDotenv } from './dotenv.js';
import { interpolateTree } from './interpolate.js';
import type { ComposeFile, ComposeService, ComposeValue } from './model.js';

/**
 * Parses a Compose file (Compose Specification, and legacy v2/v3 files): YAML with anchors and
 * merge keys, interpolation from the `.env` beside the file (the environment of the machine
 * running the scan is deliberately not used, so results do not depend on where you scan), and
 * `extends` of services in the same file.
 */
export function parseCompose(source: SourceFile): ComposeFile {
  const { documents, locations } = parseYaml(source.text);
  const docs = documents.filter((d) => d.value !== null);
  if (docs.length > 1)
    throw new ConfigParseError(
      'a Compose file holds one YAML document, this one has several',
      docs[1]!.range.line,
    );
  const root = docs[0]?.value ?? {};
  if (!isMap(root))
    throw new ConfigParseError('the top level of a Compose file must be a mapping', docs[0]?.range.line);
  const dotenv = source.companions.get('.env');
  const interpolation = interpolateTree(root, dotenv ? parseDotenv(dotenv) : new Map());
  const services = root.services ?? {};
  if (!isMap(services)) {
    throw new ConfigParseError(
      '"services" must be a mapping of service names',
      locations.entry(root, 'services')?.key.line,
    );
  }
  for (const [name, value] of Object.entries(services)) {
    if (value !== null && !isMap(value)) {
      throw new ConfigParseError(
        `service "${name}" must be a mapping`,
        locations.entry(services, name)?.key.line,
      );
    }
  }
  return {
    root,
    interpolation,
    services: Object.keys(services).map((name) => buildService(name, services, locations)),
  };
}

export function isMap(v: unknown): v is ComposeValue {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function buildService(name: string, services: ComposeValue, locations: YamlLocations): ComposeService {
  const chain: ComposeValue[] = [];
  let complete = true;
  const seen = new Set<string>();
  for (let current: string | undefined = name; current !== undefined && !seen.has(current); ) {
    seen.add(current);
    const own = Object.hasOwn(services, current) ? services[current] : undefined;
    const def: ComposeValue = isMap(own) ? own : {};
    chain.push(def);
    const ext = def.extends;
    const fromOtherFile = isMap(ext) && ext.file !== undefined;
    const base: unknown = isMap(ext) ? ext.service : ext;
    if (fromOtherFile) complete = false;
    current = typeof base === 'string' && !fromOtherFile ? base : undefined;
    if (current !== undefined && !(Object.hasOwn(services, current) && isMap(services[current])))
      complete = false;
  }
  const merger = new Merger();
  const config = chain.reduceRight<ComposeValue>((merged, layer) => merger.service(merged, layer), {});
  if (config.image === undefined && config.build === undefined) complete = false;
  const at = locations.entry(services, name);
  const holder = (path: readonly (string | number)[]) => {
    let container: unknown = config;
    for (const key of path.slice(0, -1))
      container = (container as Record<string | number, unknown> | null)?.[key];
    const last = path.at(-1);
    if (
      last === undefined ||
      container === null ||
      typeof container !== 'object' ||
      !Object.hasOwn(container, last)
    ) {
      return undefined;
    }
    return merger.origin(container, last);
  };
  return {
    name,
    config,
    line: at?.key.line ?? 1,
    endLine: Math.max(at?.key.line ?? 1, at?.value.endLine ?? 1),
    complete,
    locate: (path) => {
      const h = holder(path);
      return h ? locations.entry(h.container, h.key) : undefined;
    },
    holder,
  };
}

const CONCATENATED = new Set([
  'ports',
  'expose',
  'external_links',
  'dns',
  'dns_search',
  'tmpfs',
  'cap_add',
  'cap_drop',
  'security_opt',
  'devices',
  'volumes',
]);

type Origin = { container: object; key: string | number };

/**
 * Compose's merge for `extends`: the extending service wins, some lists add up, mappings merge.
 * Every merged value remembers the container and key it came from, for line numbers.
 */
class Merger {
  private readonly origins = new WeakMap<object, Map<string | number, Origin>>();

  origin(container: object, key: string | number): Origin {
    return this.origins.get(container)?.get(key) ?? { container, key };
  }

  service(base: ComposeValue, own: ComposeValue): ComposeValue {
    const out = this.copy(base);
    for (const [key, value] of Object.entries(own)) {
      if (key === 'extends') continue;
      const prev = out[key];
      if (CONCATENATED.has(key) && Array.isArray(prev) && Array.isArray(value)) {
        this.set(out, key, this.concat(prev, value), { container: own, key });
      } else if (isMap(prev) && isMap(value)) {
        this.set(out, key, this.maps(prev, value), { container: own, key });
      } else this.set(out, key, value, { container: own, key });
    }
    return out;
  }

  private maps(base: ComposeValue, own: ComposeValue): ComposeValue {
    const out = this.copy(base);
    for (const [key, value] of Object.entries(own)) {
      const prev = out[key];
      this.set(out, key, isMap(prev) && isMap(value) ? this.maps(prev, value) : value, {
        container: own,
        key,
      });
    }
    return out;
  }

  private copy(from: ComposeValue): ComposeValue {
    const out: ComposeValue = {};
    for (const [key, value] of Object.entries(from)) this.set(out, key, value, this.origin(from, key));
    return out;
  }

  private concat(first: unknown[], second: unknown[]): unknown[] {
    const out = [...first, ...second];
    const map = new Map<number, Origin>();
    for (let i = 0; i < first.length; i++) map.set(i, this.origin(first, i));
    for (let i = 0; i < second.length; i++) map.set(first.length + i, this.origin(second, i));
    this.origins.set(out, map);
    return out;
  }

  private set(out: ComposeValue, key: string, value: unknown, origin: Origin): void {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    const map = this.origins.get(out) ?? new Map<string | number, Origin>();
    this.origins.set(out, map);
    map.set(key, origin);
  }
}
