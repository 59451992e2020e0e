import type { LineRange } from '../../engine/check.js';
import { type DocumentReader, entryLines } from '../../iac/aws/documents.js';
import type { Field, Fields } from '../../iac/aws/fields.js';
import type { AwsResource } from '../../iac/aws/model.js';
import type { CloudFormationTemplate, TemplateResource } from '../model.js';

/** Reads template resources for the AWS adapter: properties with intrinsic functions resolved, and their lines. */

export interface CfnField extends Field {
  /** As written, before intrinsic functions are evaluated (`{ Ref: Bucket }`). */
  raw: unknown;
}

export type CfnFields = Fields<CfnField>;

type TemplateParts = Omit<CloudFormationTemplate, 'aws'>;

export class CfnReader {
  constructor(readonly template: TemplateParts) {}

  ofType(...types: string[]): TemplateResource[] {
    return this.template.resources.filter((r) => types.includes(r.type));
  }

  resource(r: TemplateResource): AwsResource {
    return { address: r.logicalId, at: r.at, header: r.header };
  }

  fields(r: TemplateResource): CfnFields {
    return this.objectFields(r.properties, r.at);
  }

  documentReader(within: LineRange): DocumentReader {
    return {
      resolve: (v) => this.template.intrinsics.resolve(v),
      locate: this.template.locations,
      within,
    };
  }

  /** The logical id a property refers to (`!Ref Bucket`), if any. */
  refersTo(field: CfnField | undefined): string | undefined {
    return field && this.template.intrinsics.referencedResource(field.raw);
  }

  private objectFields(obj: Record<string, unknown>, within: LineRange): CfnFields {
    const reader = this.documentReader(within);
    return {
      at: within,
      get: (name) => {
        if (!Object.hasOwn(obj, name)) return undefined;
        const raw = obj[name];
        const value = reader.resolve(raw);
        return value === undefined || value === null
          ? undefined
          : { value, raw, at: entryLines(reader, obj, name) };
      },
      blocks: (name) => {
        if (!Object.hasOwn(obj, name)) return [];
        const value = reader.resolve(obj[name]);
        const at = entryLines(reader, obj, name);
        if (!Array.isArray(value)) return isObject(value) ? [this.objectFields(value, at)] : [];
        return value.flatMap((item, i) => {
          const resolved = reader.resolve(item);
          return isObject(resolved)
            ? [this.objectFields(resolved, entryLines({ ...reader, within: at }, value, i))]
            : [];
        });
      },
    };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
