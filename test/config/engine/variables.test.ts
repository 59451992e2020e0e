// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the Dockerfile and Compose variable syntax under test is written in plain strings
import { describe, expect, it } from 'vitest';
import { evaluateReference, readVariableReference } from '../../../src/config/engine/variables.js';

describe('variable references', () => {
  it.each([
    ['$HOME/x', { name: 'HOME', end: 5 }],
    ['${HOME}', { name: 'HOME', end: 7 }],
    ['${A:-x}', { name: 'A', operator: ':-', word: 'x', end: 7 }],
    ['${A-${B:-c}}d', { name: 'A', operator: '-', word: '${B:-c}', end: 12 }],
    ['${A:+y}', { name: 'A', operator: ':+', word: 'y', end: 7 }],
    ['${A?err}', { name: 'A', operator: '?', word: 'err', end: 8 }],
    ['${A%.tar}', { name: 'A', end: 9, unsupported: true }],
    ['${#A}', { name: '', end: 5, unsupported: true }],
  ])('reads %s', (text, expected) => {
    expect(readVariableReference(text, 0)).toEqual(expected);
  });

  it('leaves a literal $ alone', () => {
    expect(readVariableReference('$ 5', 0)).toBeUndefined();
    expect(readVariableReference('${unclosed', 0)).toBeUndefined();
    expect(readVariableReference('$1', 0)).toBeUndefined();
  });

  it('evaluates the POSIX operators, marking values it cannot know', () => {
    const word = (w: string) => ({ value: w, unresolved: false });
    const ev = (text: string, value: string | undefined) =>
      evaluateReference(readVariableReference(text, 0)!, value, word);
    expect(ev('${A:-d}', '')).toEqual({ value: 'd', unresolved: false });
    expect(ev('${A-d}', '')).toEqual({ value: '', unresolved: false });
    expect(ev('${A:+d}', 'v')).toEqual({ value: 'd', unresolved: false });
    expect(ev('${A+d}', undefined)).toEqual({ value: '', unresolved: true });
    expect(ev('${A:?e}', undefined)).toEqual({ value: '', unresolved: true });
    expect(ev('$A', undefined)).toEqual({ value: '', unresolved: true });
    expect(ev('${A%x}', 'v')).toEqual({ value: '', unresolved: true });
  });
});
