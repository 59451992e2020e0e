import type { Inventory, OsInfo } from '../../../types.js';
import { inputError } from '../../../util/errors.js';
import { assembleInventory, type SbomReading } from '../assemble.js';
import type { SbomEntry } from '../entry.js';
import { asArray, asObject, asString, field, type JsonObject } from '../json.js';
import { PROP, PropertyBag } from '../properties.js';
import { osIdFor } from '../vocabulary.js';

/**
 * CycloneDX JSON (any 1.x) → Inventory. Components are read wherever they nest; the
 * `operating-system` component gives the OS, the metadata component the image.
 */

/** More components than any image holds: a document past it is refused, not read. */
const MAX_COMPONENTS = 1_000_000;

const PACKAGE_TYPES = new Set(['library', 'framework']);

export function readCycloneDx(doc: JsonObject, ref: string): Inventory {
  const metadata = optionalObject(doc, 'metadata', ref);
  const subject = asObject(field(metadata, 'component'));
  const reading: SbomReading = {
    format: 'CycloneDX',
    subject: { props: properties(subject), version: asString(field(subject, 'version')) },
    entries: [],
  };

  const queue = [...topLevelComponents(doc, ref)];
  for (let i = 0; i < queue.length; i++) {
    if (i >= MAX_COMPONENTS) throw inputError(ref, `CycloneDX: more than ${MAX_COMPONENTS} components`);
    const component = asObject(queue[i]);
    if (!component) continue;
    for (const child of asArray(field(component, 'components'))) queue.push(child);
    const type = asString(field(component, 'type'));
    if (type === 'operating-system') {
      reading.os ??= osFrom(component);
      continue;
    }
    const purl = asString(field(component, 'purl'));
    if (!purl && type !== undefined && !PACKAGE_TYPES.has(type)) continue;
    reading.entries.push(entryFrom(component, purl));
  }
  return assembleInventory(ref, reading);
}

function topLevelComponents(doc: JsonObject, ref: string): readonly unknown[] {
  const components = field(doc, 'components');
  if (components === undefined) return [];
  if (!Array.isArray(components)) throw inputError(ref, 'CycloneDX: "components" is not an array');
  return components;
}

function optionalObject(doc: JsonObject, key: string, ref: string): JsonObject | undefined {
  const value = field(doc, key);
  if (value === undefined) return undefined;
  const object = asObject(value);
  if (!object) throw inputError(ref, `CycloneDX: "${key}" is not an object`);
  return object;
}

function entryFrom(component: JsonObject, purl: string | undefined): SbomEntry {
  const entry: SbomEntry = { licenses: licenses(component), props: properties(component) };
  const name = asString(field(component, 'name'));
  if (name) entry.name = name;
  const group = asString(field(component, 'group'));
  if (group) entry.group = group;
  const version = asString(field(component, 'version'));
  if (version) entry.version = version;
  if (purl) entry.purl = purl;
  return entry;
}

function properties(component: JsonObject | undefined): PropertyBag {
  const bag = new PropertyBag();
  for (const item of asArray(field(component, 'properties'))) {
    const p = asObject(item);
    const name = asString(field(p, 'name'));
    const value = field(p, 'value');
    if (name && typeof value === 'string') bag.add(name, value);
  }
  return bag;
}

/** Each license as written: SPDX id, name, or the one expression. */
function licenses(component: JsonObject): string[] {
  const out: string[] = [];
  for (const item of asArray(field(component, 'licenses'))) {
    const choice = asObject(item);
    const license = asObject(field(choice, 'license'));
    const text =
      asString(field(choice, 'expression')) ??
      asString(field(license, 'id')) ??
      asString(field(license, 'name'));
    if (text) out.push(text);
  }
  return out;
}

function osFrom(component: JsonObject): OsInfo | undefined {
  const props = properties(component);
  const name = props.first('syft:distro:id') ?? asString(field(component, 'name'));
  if (!name) return undefined;
  const os: OsInfo = {
    family: osIdFor(name),
    version: props.first('syft:distro:versionID') ?? asString(field(component, 'version')) ?? '',
  };
  const codename = props.first(PROP.osCodename);
  if (codename) os.codename = codename;
  const prettyName = props.first(PROP.osPrettyName) ?? props.first('syft:distro:prettyName');
  if (prettyName) os.prettyName = prettyName;
  return os;
}
