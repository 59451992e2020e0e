import type { LineRange } from '../../engine/check.js';
import { type DocumentReader, entryLines } from '../../iac/aws/documents.js';
import type { Field, Fields } from '../../iac/aws/fields.js';
import type { AwsResource } from '../../iac/aws/model.js';
import { isUnknown } from '../../iac/unknown.js';
import { attribute, blocksOf, type Resource } from '../body.js';
import type { Evaluator } from '../eval/evaluator.js';
import type { Block, Expr } from '../hcl/ast.js';

/**
 * Reads Terraform resources for the AWS adapter. A block and an object value (the
 * "attributes as blocks" form, `ingress = [{...}]`, and the JSON syntax) look the same through
 * `Fields`: named values with the lines they were written on. `null` counts as not set.
 */

export interface TfField extends Field {
  /** The expression, when the field is an attribute written in this file. */
  expr?: Expr;
}

export type TfFields = Fields<TfField>;

export class TfReader {
  constructor(
    readonly resources: readonly Resource[],
    readonly evaluator: Evaluator,
  ) {}

  managed(...types: string[]): Resource[] {
    return this.resources.filter((r) => r.mode === 'managed' && types.includes(r.type));
  }

  data(type: string): Resource[] {
    return this.resources.filter((r) => r.mode === 'data' && r.type === type);
  }

  resource(r: Resource): AwsResource {
    const prefix = r.mode === 'data' ? 'data.' : '';
    const line = r.block.range.line;
    return { address: `${prefix}${r.type}.${r.name}`, at: r.block.range, header: { line, endLine: line } };
  }

  fields(block: Block): TfFields {
    return {
      at: block.range,
      get: (name) => {
        const attr = attribute(block.body, name);
        if (!attr) return undefined;
        const value = this.evaluator.evaluate(attr.expr);
        return value === null ? undefined : { value, at: attr.range, expr: attr.expr };
      },
      blocks: (type) => {
        const found = blocksOf(block.body, type, this.evaluator);
        if (found.length > 0) return found.map((b) => this.fields(b));
        const attr = attribute(block.body, type);
        return attr ? this.objectFields(this.evaluator.evaluate(attr.expr), attr.range) : [];
      },
    };
  }

  /** Fields of an evaluated object (or each object of a list), located inside `within`. */
  private objectFields(value: unknown, within: LineRange): TfFields[] {
    if (Array.isArray(value))
      return value.flatMap((item, i) => this.objectFields(item, this.located(value, i, within)));
    if (value === null || typeof value !== 'object' || isUnknown(value)) return [];
    const obj = value as Record<string, unknown>;
    return [
      {
        at: within,
        get: (name) => {
          const v = obj[name];
          return v === undefined || v === null
            ? undefined
            : { value: v, at: this.located(obj, name, within) };
        },
        blocks: (type) => this.objectFields(obj[type], this.located(obj, type, within)),
      },
    ];
  }

  /** Where an entry was written, if that is inside `within` (else `within`). */
  located(container: object, key: string | number, within: LineRange): LineRange {
    return entryLines(this.documentReader(within), container, key);
  }

  documentReader(within: LineRange): DocumentReader {
    return { resolve: (v) => v, locate: this.evaluator, within };
  }
}
