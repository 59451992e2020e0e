import { parseAllDocuments, YAMLError } from 'yaml';
import { inputError } from '../../../util/errors.js';

/**
 * The documents of a YAML lockfile as plain data. The failsafe schema keeps every scalar a
 * string, so "1.10" stays a version rather than the number 1.1. Alias bombs, runaway nesting
 * and syntax errors all end as one UserError naming the file.
 */
export function parseYamlDocuments(source: string, path: string): unknown[] {
  try {
    const documents = parseAllDocuments(source, { schema: 'failsafe', prettyErrors: false });
    return documents.map((doc) => {
      const error = doc.errors[0];
      if (error) throw inputError(path, `invalid YAML: ${firstLine(error.message)}`);
      return doc.toJS({ maxAliasCount: 100 });
    });
  } catch (err) {
    if (err instanceof YAMLError || err instanceof RangeError || err instanceof ReferenceError)
      throw inputError(path, `invalid YAML: ${firstLine(err.message)}`, err);
    throw err;
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
