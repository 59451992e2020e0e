import { hostname as osHostname } from 'node:os';
import { containerFields } from './container.js';
import { eventFields } from './event.js';
import { fdFields } from './fd.js';
import { processFields } from './process.js';
import type { Extractor, FieldSpec } from './types.js';

export interface FieldOptions {
  /** What evt.hostname reports (default: this machine's host name). */
  hostname?: string;
}

/** The Falco fields the engine knows, by name; binds `name[arg]` to an extractor. */
export class FieldRegistry {
  private readonly specs = new Map<string, FieldSpec>();
  private readonly dotted: FieldSpec[] = [];

  constructor(options: FieldOptions = {}) {
    for (const spec of [
      ...eventFields(options.hostname ?? osHostname()),
      ...processFields,
      ...fdFields,
      ...containerFields,
    ]) {
      this.specs.set(spec.name, spec);
      if (spec.dotted) this.dotted.push(spec);
    }
  }

  /** Every field name, sorted (`evt.arg` and the like take an argument). */
  names(): string[] {
    return [...this.specs.keys()].sort();
  }

  /** Is `name` a field (or a dotted form such as `evt.arg.flags`)? */
  knows(name: string): boolean {
    return this.lookup(name) !== undefined;
  }

  /**
   * Binds a field as written in a condition or output. Returns an error message for an unknown
   * field (`unknown: true`) or a misused one (bad or missing argument).
   */
  resolve(name: string, arg: string | undefined): Extractor | { error: string; unknown: boolean } {
    const found = this.lookup(name);
    if (!found) return { error: `unknown field '${name}'`, unknown: true };
    const { spec, dottedArg } = found;
    if (dottedArg !== undefined && arg !== undefined) {
      return { error: `${name}[${arg}]: use either ${spec.name}.NAME or ${spec.name}[NAME]`, unknown: false };
    }
    const effective = dottedArg ?? arg;
    if (spec.arg === 'none' && effective !== undefined)
      return { error: `${spec.name} takes no argument`, unknown: false };
    if (spec.arg === 'required' && effective === undefined) {
      return { error: `${spec.name} needs an argument (${spec.name}[ARG])`, unknown: false };
    }
    const bound = spec.bind(effective);
    return typeof bound === 'string' ? { error: bound, unknown: false } : bound;
  }

  private lookup(name: string): { spec: FieldSpec; dottedArg?: string } | undefined {
    const spec = this.specs.get(name);
    if (spec) return { spec };
    for (const d of this.dotted) {
      if (name.startsWith(`${d.name}.`) && name.length > d.name.length + 1) {
        return { spec: d, dottedArg: name.slice(d.name.length + 1) };
      }
    }
    return undefined;
  }
}
