import { parseAllDocuments, YAMLError } from 'yaml';
import { inputError } from '../../../util/errors.js';
import { readLockfileYaml, UnsupportedYaml } from './lockfileYaml.js';

/** The general parser is slow and memory-hungry (seconds and hundreds of MiB on a 5 MiB file). */
const GENERAL_PARSER_LIMIT = 1024 * 1024;

/**
 * The documents of a YAML lockfile as plain data, every scalar a string. Files as pnpm and
 * Yarn write them go through the fast lockfile reader; anything else valid YAML (a hand-edited
 * file with anchors, say) through the general parser, up to 1 MiB. Alias bombs, runaway
 * nesting and syntax errors end as one UserError naming the file.
 */
export function parseYamlDocuments(source: string, path: string): unknown[] {
  try {
    return readLockfileYaml(source);
  } catch (err) {
    if (!(err instanceof UnsupportedYaml)) throw err;
    if (source.length > GENERAL_PARSER_LIMIT)
      throw inputError(
        path,
        `${err.message}, which pnpm and Yarn do not write; too large for the general YAML parser`,
      );
  }
  return parseGeneralYaml(source, path);
}

function parseGeneralYaml(source: string, path: string): unknown[] {
  try {
    const documents = parseAllDocuments(source, {
      schema: 'failsafe',
      uniqueKeys: false,
      prettyErrors: false,
    });
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
