import type { Check, Hit, LineRange } from '../../engine/check.js';
import type { AwsModel, AwsResource } from './model.js';

/** An AWS policy: check metadata plus a function over the shared model. */
export type AwsCheck = Check<AwsModel>;

/** CIS Amazon Web Services Foundations Benchmark v3.0.0. */
export const CIS_AWS = 'https://www.cisecurity.org/benchmark/amazon_web_services';

/** A hit at `at` (the offending setting), or at the resource's name when the setting is missing. */
export function hitAt(resource: AwsResource, at: LineRange | undefined, message: string): Hit {
  const where = at ?? resource.header;
  return {
    line: where.line,
    endLine: where.endLine,
    message,
    scope: resource.at,
    details: { resource: resource.address },
  };
}

/** The AWS policies as checks of a file kind whose model carries an AwsModel. */
export function checksOn<M>(checks: readonly AwsCheck[], aws: (model: M) => AwsModel): Check<M>[] {
  return checks.map(({ run, ...meta }) => ({ ...meta, run: (model: M) => run(aws(model)) }));
}
