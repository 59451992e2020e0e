import { inputError } from '../../../util/errors.js';
import type { SourceWriter } from '../builder.js';
import { hasSeparator } from '../codec.js';
import { isJsonObject, JsonSyntaxError, streamJsonValues } from '../json-stream.js';
import type { AffectedInput } from '../model.js';

/**
 * Alpine's secdb (https://secdb.alpinelinux.org/v3.20/main.json): { distroversion: "v3.20",
 * packages: [ { pkg: { name, secfixes: { "fixed-version": ["CVE-…", …] } } } ] }, keyed by
 * origin (source) package. A secfixes version of "0" means the package was never affected.
 * `release` ("v3.20") comes from the feed URL; a local file gives its own distroversion.
 */
export async function importAlpineSecdb(
  writer: SourceWriter,
  bytes: AsyncIterable<Uint8Array>,
  label: string,
  release?: string,
): Promise<void> {
  let distroversion = release;
  // Packages seen before "distroversion" in a local file wait for it (secdb files are small).
  const waiting: unknown[] = [];
  try {
    for await (const { path, value } of streamJsonValues(bytes, {
      depth: 2,
      maxValueChars: 16 * 1024 * 1024,
    })) {
      if (path.length === 1 && path[0] === 'distroversion' && typeof value === 'string' && !distroversion) {
        if (!/^v\d+\.\d+$|^edge$/.test(value)) throw inputError(label, `unexpected distroversion '${value}'`);
        distroversion = value;
        for (const pkg of waiting.splice(0)) importPackage(writer, pkg, distroversion, label);
      } else if (path.length === 2 && path[0] === 'packages') {
        if (distroversion) importPackage(writer, value, distroversion, label);
        else waiting.push(value);
      }
    }
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw inputError(label, `invalid JSON: ${err.message}`, err);
    throw err;
  }
  if (!distroversion) throw inputError(label, "not an Alpine secdb file (no 'distroversion')");
}

const ID = /^[A-Z][A-Z0-9]*-[A-Za-z0-9._:-]+$/;

function importPackage(writer: SourceWriter, entry: unknown, release: string, label: string): void {
  const pkg = isJsonObject(entry) ? entry.pkg : undefined;
  if (
    !isJsonObject(pkg) ||
    typeof pkg.name !== 'string' ||
    hasSeparator(pkg.name) ||
    !isJsonObject(pkg.secfixes)
  ) {
    writer.warn(`${label}: a package entry without pkg.name and pkg.secfixes`);
    return;
  }
  for (const [version, ids] of Object.entries(pkg.secfixes)) {
    if (!Array.isArray(ids) || hasSeparator(version)) {
      writer.warn(`${label}: ${pkg.name} ${version}: secfixes entry is not a list`);
      continue;
    }
    const notAffected = version === '0';
    const affected: AffectedInput = {
      ecosystem: `Alpine:${release}`,
      name: pkg.name,
      ranges: notAffected
        ? []
        : [
            {
              type: 'ECOSYSTEM',
              events: [
                { kind: 'introduced', version: '0' },
                { kind: 'fixed', version },
              ],
            },
          ],
      versions: [],
      fixState: notAffected ? 'not_affected' : 'fixed',
    };
    // Entries are "CVE-2021-1234", sometimes several per line or followed by a note.
    for (const text of ids) {
      if (typeof text !== 'string') continue;
      for (const id of text.split(/\s+/).filter((t) => ID.test(t)))
        writer.addAffected(
          writer.advisoryFor(id, () => ({ id, aliases: [], references: [], cvss: [] })),
          affected,
        );
    }
  }
}
