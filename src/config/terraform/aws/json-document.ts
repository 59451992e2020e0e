import type { LineRange } from '../../engine/check.js';
import { parseJsonWithLines } from '../../engine/json.js';
import type { DocumentReader } from '../../iac/aws/documents.js';
import type { Locator } from '../../iac/locator.js';
import { UNKNOWN } from '../../iac/unknown.js';
import type { TfField, TfReader } from './reader.js';

/**
 * A JSON document held by an attribute (an IAM policy, ECS container definitions), with lines:
 * `jsonencode({...})` is read through the evaluator, which knows where each entry was written;
 * a heredoc or string is parsed as JSON, lines counted from the heredoc's first line. Anything
 * else (a data source's `.json`, `file(...)`) is UNKNOWN.
 */
export function jsonDocument(tf: TfReader, field: TfField): { value: unknown; reader: DocumentReader } {
  const e = field.expr;
  if (e?.type === 'call' && e.name === 'jsonencode' && e.args.length === 1 && !e.expandFinal)
    return { value: tf.evaluator.evaluate(e.args[0]!), reader: tf.documentReader(field.at) };
  const noLines: Locator = { entry: () => undefined };
  const reader = (locate: Locator): DocumentReader => ({ resolve: (v) => v, locate, within: field.at });
  if (typeof field.value !== 'string') return { value: UNKNOWN, reader: reader(noLines) };
  try {
    const { value, locations } = parseJsonWithLines(field.value);
    const heredocLine = e?.type === 'template' ? e.heredocBodyLine : undefined;
    return {
      value,
      reader: reader(heredocLine === undefined ? noLines : shifted(locations, heredocLine - 1)),
    };
  } catch {
    return { value: UNKNOWN, reader: reader(noLines) };
  }
}

function shifted(inner: Locator, by: number): Locator {
  const move = (r: LineRange): LineRange => ({ line: r.line + by, endLine: r.endLine + by });
  return {
    entry: (container, key) => {
      const at = inner.entry(container, key);
      return at && { key: move(at.key), value: move(at.value) };
    },
  };
}
