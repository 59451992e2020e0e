import { inputError } from '../../../util/errors.js';
import type { SourceWriter } from '../builder.js';
import { hasSeparator } from '../codec.js';
import { DEBIAN_RELEASES } from '../ecosystems.js';
import { isJsonObject, JsonSyntaxError, streamJsonValues } from '../json-stream.js';
import { type AffectedInput, type FixState, severityLevel } from '../model.js';

/**
 * The Debian security tracker's JSON (https://security-tracker.debian.org/tracker/data/json):
 * { source package: { CVE or TEMP id: { description, releases: { codename: { status,
 * fixed_version, urgency, nodsa, nodsa_reason } } } } }. Streamed one (package, id) at a
 * time. Releases are keyed by source package, as the tracker keys them.
 *
 * resolved + fixed_version "0" → not_affected; resolved + version → fixed; open with urgency
 * end-of-life → end_of_life; open with nodsa_reason "ignored" → wont_fix; other open or
 * undetermined (<unfixed>, <no-dsa>, <postponed>) → affected with no fix. Releases without
 * a number (sid) are skipped.
 */
export async function importDebianTracker(
  writer: SourceWriter,
  bytes: AsyncIterable<Uint8Array>,
  label: string,
): Promise<void> {
  try {
    for await (const { path, value } of streamJsonValues(bytes, {
      depth: 2,
      maxValueChars: 64 * 1024 * 1024,
    })) {
      const [pkg, id] = path as [string, string];
      if (path.length !== 2 || typeof pkg !== 'string' || typeof id !== 'string')
        throw inputError(label, 'not the Debian security tracker JSON (expected {package: {CVE: {...}}})');
      importEntry(writer, pkg, id, value, label);
    }
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw inputError(label, `invalid JSON: ${err.message}`, err);
    throw err;
  }
}

function importEntry(writer: SourceWriter, pkg: string, id: string, value: unknown, label: string): void {
  if (!isJsonObject(value) || !isJsonObject(value.releases) || hasSeparator(pkg) || hasSeparator(id)) {
    writer.warn(`${label}: ${pkg}/${id}: not a tracker entry (no 'releases' object)`);
    return;
  }
  const description = typeof value.description === 'string' ? value.description : undefined;
  let advisory: number | undefined;
  for (const [codename, release] of Object.entries(value.releases)) {
    const number = DEBIAN_RELEASES[codename];
    if (!number || !isJsonObject(release)) continue;
    const affected = affectedFor(pkg, number, release);
    if (!affected) continue;
    advisory ??= writer.advisoryFor(id, () => ({
      id,
      aliases: [],
      ...(description ? { details: description } : {}),
      references: [{ type: 'ADVISORY', url: `https://security-tracker.debian.org/tracker/${id}` }],
      cvss: [],
    }));
    writer.addAffected(advisory, affected);
  }
}

function affectedFor(pkg: string, release: string, r: Record<string, unknown>): AffectedInput | undefined {
  const status = r.status;
  const fixedVersion = typeof r.fixed_version === 'string' ? r.fixed_version : '';
  const urgency = typeof r.urgency === 'string' ? r.urgency.replace(/\*+$/, '').trim() : '';
  let fixState: FixState;
  if (status === 'resolved') {
    if (fixedVersion === '' || hasSeparator(fixedVersion)) return undefined;
    fixState = fixedVersion === '0' ? 'not_affected' : 'fixed';
  } else if (status === 'open' || status === 'undetermined') {
    if (urgency === 'end-of-life') fixState = 'end_of_life';
    else if (r.nodsa_reason === 'ignored') fixState = 'wont_fix';
    else fixState = 'affected';
  } else return undefined;
  const affected: AffectedInput = {
    ecosystem: `Debian:${release}`,
    name: pkg,
    ranges:
      fixState === 'not_affected'
        ? []
        : [
            {
              type: 'ECOSYSTEM',
              events:
                fixState === 'fixed'
                  ? [
                      { kind: 'introduced', version: '0' },
                      { kind: 'fixed', version: fixedVersion },
                    ]
                  : [{ kind: 'introduced', version: '0' }],
            },
          ],
    versions: [],
    fixState,
  };
  if (urgency !== '' && urgency !== 'end-of-life' && !hasSeparator(urgency))
    affected.vendorSeverity = { source: 'Debian', value: urgency, level: severityLevel(urgency) };
  return affected;
}
