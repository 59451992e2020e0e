/**
 * Which Maven artifact a Java archive is, from the best evidence it holds: pom.properties
 * (written by Maven into every artifact it builds, and kept for each artifact shaded into an
 * uber-jar) is authoritative; without it, MANIFEST.MF and the file name.
 */

export interface JavaPackage {
  group: string;
  artifact: string;
  version: string;
}

/** META-INF/maven/<groupId>/<artifactId>/pom.properties */
export const POM_PROPERTIES = /^META-INF\/maven\/([^/]+)\/([^/]+)\/pom\.properties$/;

/** Maven coordinates are plain tokens; anything with spaces or `${...}` is not a resolved value. */
const COORDINATE = /^[A-Za-z0-9_][A-Za-z0-9_.+~-]*$/;

export function fromPomProperties(
  props: Map<string, string>,
  dirGroup: string,
  dirArtifact: string,
): JavaPackage | undefined {
  const group = props.get('groupId')?.trim() || dirGroup;
  const artifact = props.get('artifactId')?.trim() || dirArtifact;
  const version = props.get('version')?.trim() ?? '';
  return [group, artifact, version].every((v) => COORDINATE.test(v))
    ? { group, artifact, version }
    : undefined;
}

/** "commons-lang3-3.12.0.jar" → commons-lang3 and 3.12.0: the version starts at the last "-<digit>". */
export function parseFileName(fileName: string): { artifact: string; version?: string } | undefined {
  const stem = fileName.replace(/\.[A-Za-z]+$/, '');
  const m = /^(.*)-(\d[^-]*(?:-[^\d-][^-]*)*)$/.exec(stem);
  if (m && COORDINATE.test(m[1] as string) && COORDINATE.test(m[2] as string))
    return { artifact: m[1] as string, version: m[2] as string };
  return COORDINATE.test(stem) ? { artifact: stem } : undefined;
}

/**
 * From MANIFEST.MF main attributes (lower-cased keys) and the file name. The group comes from
 * Implementation-Vendor-Id, else from the OSGi Bundle-SymbolicName (its last segment dropped
 * when it repeats the artifact: org.apache.commons.lang3 for commons-lang3), else the artifact.
 */
export function fromManifest(manifest: Map<string, string>, fileName: string): JavaPackage | undefined {
  const file = parseFileName(fileName);
  const bsn = plain(manifest.get('bundle-symbolicname')?.split(';')[0]);
  const artifact = file?.artifact ?? plain(manifest.get('implementation-title')) ?? bsn?.split('.').pop();
  const version =
    plain(manifest.get('implementation-version')) ??
    plain(manifest.get('bundle-version')) ??
    plain(manifest.get('specification-version')) ??
    file?.version;
  if (!artifact || !version) return undefined;
  const group =
    plain(manifest.get('implementation-vendor-id')) ?? (bsn && groupFromBundle(bsn, artifact)) ?? artifact;
  return { group, artifact, version };
}

function groupFromBundle(bsn: string, artifact: string): string | undefined {
  const segments = bsn.split('.');
  if (segments.length < 2) return undefined;
  const last = segments[segments.length - 1] as string;
  const repeatsArtifact = artifact === last || artifact.endsWith(`-${last}`);
  return repeatsArtifact ? segments.slice(0, -1).join('.') : bsn;
}

function plain(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v && COORDINATE.test(v) ? v : undefined;
}
