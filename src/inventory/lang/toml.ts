import { parse, TomlError } from 'smol-toml';
import { inputError } from '../../util/errors.js';

/**
 * A TOML lockfile (Cargo.lock, poetry.lock, uv.lock) as plain data; a syntax error (or runaway
 * nesting) is one UserError naming the file.
 */
export function parseTomlDocument(source: string, path: string): Record<string, unknown> {
  try {
    return parse(source);
  } catch (err) {
    if (err instanceof TomlError)
      throw inputError(path, `invalid TOML: ${err.message.split('\n')[0]!.trim()}`, err);
    throw err;
  }
}
