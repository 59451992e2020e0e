import type { FoundPackage, ParseResult } from '../fileAnalyzer.js';
import { parseTomlDocument } from '../toml.js';
import { isRecord, stringOf } from '../untrusted.js';

/**
 * Cargo.lock (versions 1 to 4): every `[[package]]` with a name and a version. Workspace
 * members and path dependencies carry no `source`; they are listed like the rest, as cargo
 * lists them.
 */
export function parseCargoLock(text: string, path: string): ParseResult {
  const doc = parseTomlDocument(text, path);
  const tables = doc.package;
  if (tables !== undefined && !Array.isArray(tables))
    return { packages: [], warnings: [`${path}: "package" is not an array of tables`] };
  const packages: FoundPackage[] = [];
  let skipped = 0;
  for (const table of tables ?? []) {
    const name = isRecord(table) ? stringOf(table.name) : undefined;
    const version = isRecord(table) ? stringOf(table.version) : undefined;
    if (name && version) packages.push({ name, version });
    else skipped++;
  }
  return {
    packages,
    warnings: skipped > 0 ? [`${path}: ${skipped} [[package]] tables without a name or version skipped`] : [],
  };
}
