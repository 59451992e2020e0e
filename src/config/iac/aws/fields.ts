import type { LineRange } from '../../engine/check.js';
import { asBool, asNumber, asString, type Maybe, UNKNOWN } from '../unknown.js';
import type { Setting } from './model.js';

/**
 * A resource's settings as both adapters read them: named values with the lines they were
 * written on, and nested records (Terraform blocks, CloudFormation property objects and lists
 * of objects). A value that is not set (absent, null, CloudFormation's AWS::NoValue) is absent.
 */
export interface Field {
  value: unknown;
  at: LineRange;
}

export interface Fields<F extends Field = Field> {
  at: LineRange;
  get(name: string): F | undefined;
  /** Nested records: blocks of a type, or the objects of a property (one object or a list of them). */
  blocks(name: string): Fields<F>[];
}

export function boolSetting(f: Fields, name: string, fallback: Maybe<boolean>): Setting<boolean> {
  return setting(f, name, asBool, fallback);
}

export function stringSetting(f: Fields, name: string, fallback: Maybe<string>): Setting<string> {
  return setting(f, name, asString, fallback);
}

export function numberSetting(f: Fields, name: string, fallback: Maybe<number>): Setting<number> {
  return setting(f, name, asNumber, fallback);
}

/** Whether a listener's default actions (their `type` values) all redirect; unknown if any type is. */
export function allRedirect(types: unknown[]): Maybe<boolean> {
  if (types.length === 0) return UNKNOWN;
  if (types.every((t) => t === 'redirect')) return true;
  return types.some((t) => typeof t !== 'string') ? UNKNOWN : false;
}

function setting<T>(
  f: Fields,
  name: string,
  convert: (v: unknown) => Maybe<T>,
  fallback: Maybe<T>,
): Setting<T> {
  const field = f.get(name);
  return field ? { value: convert(field.value), at: field.at, name } : { value: fallback, name };
}
