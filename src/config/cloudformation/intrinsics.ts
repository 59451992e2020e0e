import { asBool, deepEqual, isUnknown, type Maybe, UNKNOWN } from '../iac/unknown.js';

/**
 * CloudFormation's intrinsic functions, evaluated where the template alone decides the value:
 * `Ref` to a parameter (its Default), `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`,
 * `Fn::FindInMap`, `Fn::If` with conditions over defaults, `Fn::Base64`, the condition
 * functions. References to resources, `Fn::GetAtt`, `Fn::ImportValue`, pseudo parameters and
 * SSM parameters are UNKNOWN. `Ref: AWS::NoValue` is undefined: the property is not set.
 * Only the outermost function of a value is evaluated; plain objects and lists are returned
 * as they are (so their lines stay known) and their members are resolved when read.
 */

interface TemplateSections {
  parameters: Record<string, unknown>;
  mappings: Record<string, unknown>;
  conditions: Record<string, unknown>;
  resourceIds: ReadonlySet<string>;
}

const MAX_DEPTH = 64;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `{ "Fn::X": args }`, `{ Ref: name }` or `{ Condition: name }`: the function's name and arguments. */
function intrinsicCall(v: unknown): { fn: string; args: unknown } | undefined {
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  const fn = keys[0]!;
  if (fn === 'Ref' || fn.startsWith('Fn::') || (fn === 'Condition' && typeof v[fn] === 'string'))
    return { fn, args: v[fn] };
  return undefined;
}

export class Intrinsics {
  private readonly conditionValues = new Map<string, Maybe<boolean>>();
  private readonly evaluating = new Set<string>();

  constructor(private readonly sections: TemplateSections) {}

  resolve(value: unknown): unknown {
    return this.eval(value, 0);
  }

  /** The logical id a value refers to (`!Ref Bucket`, `!GetAtt Bucket.Arn`), if it names a resource. */
  referencedResource(value: unknown): string | undefined {
    const call = intrinsicCall(value);
    if (!call) return undefined;
    let id: unknown;
    if (call.fn === 'Ref') id = call.args;
    else if (call.fn === 'Fn::GetAtt')
      id = Array.isArray(call.args)
        ? call.args[0]
        : typeof call.args === 'string'
          ? call.args.split('.')[0]
          : undefined;
    return typeof id === 'string' && this.sections.resourceIds.has(id) ? id : undefined;
  }

  condition(name: string): Maybe<boolean> {
    if (this.conditionValues.has(name)) return this.conditionValues.get(name)!;
    if (this.evaluating.has(name) || !Object.hasOwn(this.sections.conditions, name)) return UNKNOWN;
    this.evaluating.add(name);
    const value = asBool(this.eval(this.sections.conditions[name], 0));
    this.evaluating.delete(name);
    this.conditionValues.set(name, value);
    return value;
  }

  private eval(v: unknown, depth: number): unknown {
    const call = intrinsicCall(v);
    if (!call) return v;
    if (depth > MAX_DEPTH) return UNKNOWN;
    const next = (x: unknown) => this.eval(x, depth + 1);
    const args = Array.isArray(call.args) ? call.args : [call.args];
    switch (call.fn) {
      case 'Ref':
        return typeof call.args === 'string' ? this.ref(call.args) : UNKNOWN;
      case 'Condition':
        return this.condition(call.args as string);
      case 'Fn::Sub':
        return this.sub(args, next);
      case 'Fn::Join': {
        const [sep, list] = [next(args[0]), next(args[1])];
        if (typeof sep !== 'string' || !Array.isArray(list)) return UNKNOWN;
        const parts = list.map(next);
        return parts.every((p) => typeof p === 'string' || typeof p === 'number') ? parts.join(sep) : UNKNOWN;
      }
      case 'Fn::Select': {
        const index = Number(next(args[0]));
        const list = next(args[1]);
        return Array.isArray(list) && Number.isInteger(index) && index >= 0 && index < list.length
          ? next(list[index])
          : UNKNOWN;
      }
      case 'Fn::Split': {
        const [sep, text] = [next(args[0]), next(args[1])];
        return typeof sep === 'string' && sep !== '' && typeof text === 'string' ? text.split(sep) : UNKNOWN;
      }
      case 'Fn::FindInMap':
        return this.findInMap(args.map(next));
      case 'Fn::If':
        return this.fnIf(args, next);
      case 'Fn::Base64': {
        const text = next(call.args);
        return typeof text === 'string' ? Buffer.from(text).toString('base64') : UNKNOWN;
      }
      case 'Fn::Equals': {
        const [a, b] = [next(args[0]), next(args[1])];
        return isUnknown(a) || isUnknown(b) ? UNKNOWN : deepEqual(stringish(a), stringish(b));
      }
      case 'Fn::Not': {
        const b = asBool(next(args[0]));
        return isUnknown(b) ? UNKNOWN : !b;
      }
      case 'Fn::And':
      case 'Fn::Or':
        return this.logic(
          call.fn === 'Fn::And',
          args.map((a) => asBool(next(a))),
        );
      default:
        return UNKNOWN;
    }
  }

  private ref(name: string): unknown {
    if (name === 'AWS::NoValue') return undefined;
    const parameter = this.sections.parameters[name];
    if (!isObject(parameter) || !Object.hasOwn(parameter, 'Default')) return UNKNOWN;
    const type = typeof parameter.Type === 'string' ? parameter.Type : 'String';
    if (type.startsWith('AWS::SSM::Parameter::Value')) return UNKNOWN;
    const value = parameter.Default;
    if ((type === 'CommaDelimitedList' || type.startsWith('List<')) && typeof value === 'string')
      return value.split(',').map((s) => s.trim());
    return value;
  }

  private sub(args: unknown[], next: (x: unknown) => unknown): unknown {
    const text = next(args[0]);
    const vars = isObject(args[1]) ? args[1] : {};
    if (typeof text !== 'string') return UNKNOWN;
    let unknown = false;
    const out = text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      const value = Object.hasOwn(vars, name)
        ? next(vars[name])
        : name.includes('.')
          ? UNKNOWN
          : this.ref(name);
      if (typeof value === 'string' || typeof value === 'number') return String(value);
      unknown = true;
      return whole;
    });
    return unknown ? UNKNOWN : out;
  }

  private findInMap([map, top, second]: unknown[]): unknown {
    const m = typeof map === 'string' ? this.sections.mappings[map] : undefined;
    const level = isObject(m) && typeof top === 'string' ? m[top] : undefined;
    return isObject(level) && typeof second === 'string' && Object.hasOwn(level, second)
      ? level[second]
      : UNKNOWN;
  }

  private fnIf(args: unknown[], next: (x: unknown) => unknown): unknown {
    const name = args[0];
    const condition = typeof name === 'string' ? this.condition(name) : UNKNOWN;
    if (condition === true) return next(args[1]);
    if (condition === false) return next(args[2]);
    const a = next(args[1]);
    const b = next(args[2]);
    return a !== undefined && !isUnknown(a) && deepEqual(a, b) ? a : UNKNOWN;
  }

  private logic(and: boolean, values: Maybe<boolean>[]): Maybe<boolean> {
    if (values.includes(!and)) return !and;
    return values.some(isUnknown) ? UNKNOWN : and;
  }
}

/** Fn::Equals compares what CloudFormation sees: parameter values are strings. */
function stringish(v: unknown): unknown {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
}
