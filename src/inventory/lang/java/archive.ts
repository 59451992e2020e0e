import { posix } from 'node:path';
import { UserError } from '../../../util/errors.js';
import type { RandomAccessSource } from '../../../util/random-access.js';
import { ZipArchive, ZipBudget, type ZipEntry } from '../../../util/zip.js';
import { fromManifest, fromPomProperties, type JavaPackage, POM_PROPERTIES } from './identity.js';
import { parseManifest } from './manifest.js';
import { parseProperties } from './properties.js';

/**
 * Reads a Java archive through its zip central directory (never extracting it) and the
 * archives nested in it: war/ear libraries, Spring Boot's BOOT-INF/lib. Nested archives that
 * are stored are read in place; deflated ones are inflated into memory, within limits.
 */

export const JAVA_ARCHIVE = /\.(jar|war|ear|par|sar|nar|jpi|hpi|kar)$/i;

interface FoundJavaPackage extends JavaPackage {
  /** The archive it came from: the file itself, or "outer.war!/WEB-INF/lib/inner.jar". */
  location: string;
}

interface JavaArchiveScan {
  packages: FoundJavaPackage[];
  warnings: string[];
}

const JAVA_LIMITS = {
  /** Archives inside archives inside the file, at most. */
  maxDepth: 3,
  /** A nested archive larger than this is skipped with a warning. */
  maxNestedBytes: 128 * 1024 * 1024,
  /** pom.properties and MANIFEST.MF are small; larger ones are damage. */
  maxMetadataBytes: 1024 * 1024,
  /** Bytes inflated for one file, nested archives included. */
  maxTotalBytes: 1024 * 1024 * 1024,
};

export async function scanJavaArchive(source: RandomAccessSource, path: string): Promise<JavaArchiveScan> {
  const scan: JavaArchiveScan = { packages: [], warnings: [] };
  const budget = new ZipBudget(JAVA_LIMITS.maxTotalBytes);
  const zip = await ZipArchive.open(source, { name: path, budget });
  await scanArchive(zip, posix.basename(path), 0, scan);
  return scan;
}

async function scanArchive(
  zip: ZipArchive,
  fileName: string,
  depth: number,
  scan: JavaArchiveScan,
): Promise<void> {
  const poms: { entry: ZipEntry; group: string; artifact: string }[] = [];
  const nested: ZipEntry[] = [];
  let manifest: ZipEntry | undefined;
  for await (const entry of zip.entries()) {
    if (entry.isDirectory) continue;
    const pom = POM_PROPERTIES.exec(entry.name);
    if (pom) poms.push({ entry, group: pom[1] as string, artifact: pom[2] as string });
    else if (entry.name.toUpperCase() === 'META-INF/MANIFEST.MF') manifest = entry;
    else if (JAVA_ARCHIVE.test(entry.name)) nested.push(entry);
  }
  const found = (pkg: JavaPackage | undefined) => {
    if (pkg) scan.packages.push({ ...pkg, location: zip.name });
  };
  for (const pom of poms) {
    const bytes = await readMetadata(zip, pom.entry, scan);
    if (bytes) found(fromPomProperties(parseProperties(bytes), pom.group, pom.artifact));
  }
  if (poms.length === 0) {
    const bytes = manifest && (await readMetadata(zip, manifest, scan));
    found(fromManifest(bytes ? parseManifest(bytes) : new Map(), fileName));
  }
  if (nested.length > 0 && depth >= JAVA_LIMITS.maxDepth) {
    scan.warnings.push(
      `${zip.name}: ${nested.length} archives nested deeper than ${JAVA_LIMITS.maxDepth} levels skipped`,
    );
    return;
  }
  for (const entry of nested) {
    try {
      const inner = await ZipArchive.open(await zip.open(entry, JAVA_LIMITS.maxNestedBytes), {
        name: zip.entryLabel(entry),
        budget: zip.budget,
      });
      await scanArchive(inner, posix.basename(entry.name), depth + 1, scan);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      scan.warnings.push(err.message);
    }
  }
}

async function readMetadata(
  zip: ZipArchive,
  entry: ZipEntry,
  scan: JavaArchiveScan,
): Promise<Buffer | undefined> {
  try {
    return await zip.read(entry, JAVA_LIMITS.maxMetadataBytes);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    scan.warnings.push(err.message);
    return undefined;
  }
}
