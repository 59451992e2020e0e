import { inputError } from '../../../util/errors.js';
import type { ParseResult } from '../fileAnalyzer.js';
import { isRecord } from '../untrusted.js';
import { parseYamlDocuments } from './yaml.js';
import { parseYarnBerry } from './yarnBerry.js';
import { parseYarnClassic } from './yarnClassic.js';

/** yarn.lock of either generation: Yarn 2+ files are YAML with a top-level `__metadata` key. */
export function parseYarnLock(source: string, path: string): ParseResult {
  if (!/^__metadata:/m.test(source)) return parseYarnClassic(source, path);
  const [lock] = parseYamlDocuments(source, path);
  if (!isRecord(lock)) throw inputError(path, 'yarn.lock is not a mapping of entries');
  return parseYarnBerry(lock);
}
