import type { Package } from '../../../types.js';
import { CorruptDbError } from '../read.js';
import { RPMTAG, RpmHeader } from './header.js';

export const RPM_ANALYZER = 'rpm';

interface RpmRecord {
  package: Package;
  files: string[];
}

/** "openssl-3.0.7-27.el9.src.rpm" → name "openssl", version-release "3.0.7-27.el9". */
export function parseSourceRpm(file: string): { name: string; version: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(file);
  return m ? { name: m[1]!, version: `${m[2]}-${m[3]}` } : undefined;
}

function required(header: RpmHeader, tag: number, what: string): string {
  const value = header.string(tag);
  if (!value) throw new CorruptDbError(`no ${what}`);
  return value;
}

function fileNames(header: RpmHeader): string[] {
  const basenames = header.strings(RPMTAG.BASENAMES);
  if (!basenames) return (header.strings(RPMTAG.OLDFILENAMES) ?? []).map(relative);
  const dirnames = header.strings(RPMTAG.DIRNAMES) ?? [];
  const indexes = header.int32s(RPMTAG.DIRINDEXES) ?? [];
  if (indexes.length !== basenames.length)
    throw new CorruptDbError(`${basenames.length} file names but ${indexes.length} directory indexes`);
  return basenames.map((base, i) => {
    const dir = dirnames[indexes[i]!];
    if (dir === undefined) throw new CorruptDbError(`file ${base} points at missing directory ${indexes[i]}`);
    return relative(dir + base);
  });
}

function relative(path: string): string {
  return path.replace(/^\/+/, '');
}

/**
 * The package a header describes, with its files; undefined for gpg-pubkey pseudo-packages.
 * Versions read as rpm and RHEL-family advisories write them: "[epoch:]version-release".
 */
export function rpmRecord(blob: Buffer, dbPath: string): RpmRecord | undefined {
  const header = RpmHeader.parse(blob);
  const name = required(header, RPMTAG.NAME, 'NAME');
  if (name === 'gpg-pubkey') return undefined;
  const epoch = header.int32s(RPMTAG.EPOCH)?.[0];
  const epochPrefix = epoch ? `${epoch}:` : '';
  const version = `${epochPrefix}${required(header, RPMTAG.VERSION, 'VERSION')}-${required(header, RPMTAG.RELEASE, 'RELEASE')}`;
  const sourceRpm = header.string(RPMTAG.SOURCERPM);
  const fromSourceRpm = sourceRpm ? parseSourceRpm(sourceRpm) : undefined;
  const source = fromSourceRpm
    ? { name: fromSourceRpm.name, version: `${epochPrefix}${fromSourceRpm.version}` }
    : { name, version };
  const pkg: Package = {
    name,
    version,
    ecosystem: 'rpm',
    purl: '',
    source,
    paths: [dbPath],
    analyzer: RPM_ANALYZER,
  };
  const arch = header.string(RPMTAG.ARCH);
  if (arch) pkg.arch = arch;
  const license = header.string(RPMTAG.LICENSE);
  if (license) pkg.licenses = [license];
  return { package: pkg, files: fileNames(header) };
}
