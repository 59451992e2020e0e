import type { Event } from '../../../types.js';
import type { BinaryOperator } from '../condition/ast.js';
import type { FieldValue, Getter, Memo } from '../fields/types.js';
import type { TypeSet } from './evttypes.js';

export type Predicate = (e: Event, m: Memo) => boolean;
export type Test = (v: FieldValue) => boolean;
export type SomeValue = (e: Event, m: Memo, test: Test) => boolean | undefined;

/** Gives the generated code a name for a runtime value (a getter, a Set, a RegExp...). */
export type Constant = (value: unknown) => string;

/** A test of one value; hot operators also come as source code for the generated rule function. */
export interface ValueTest {
  fn: Test;
  code?: (v: string, constant: Constant) => string;
}

/**
 * What a comparison with literals tests, as written (`fd.name startswith /etc/`; list names
 * expanded), for analyses that read conditions rather than run them, such as narrowing
 * kernel capture to what the rules can match.
 */
export interface CheckSource {
  field: string;
  op: BinaryOperator;
  values: readonly string[];
}

/**
 * A compiled condition before code generation: logic over checks whose values come from
 * field getters. Macros compile to IR once and are shared by every rule that uses them.
 */
export type IR =
  | { kind: 'and' | 'or'; children: IR[] }
  | { kind: 'not'; child: IR }
  /**
   * A single-valued field: false when `<NA>`, else the test (negated for `!=`). A check of
   * evt.type carries the types it is true for, so it can be folded away per event type.
   */
  | {
      kind: 'check';
      get: Getter;
      test: ValueTest;
      negate: boolean;
      eventTypes?: TypeSet;
      source?: CheckSource;
    }
  /** A multi-valued field: some value passes, or (`none`) no value passes. */
  | { kind: 'some'; some: SomeValue; test: Test; none: boolean; source?: CheckSource }
  | { kind: 'call'; pred: Predicate }
  /** A macro's logic, kept apart so its value can be reused by every rule testing the same event. */
  | { kind: 'macro'; name: string; body: IR };
