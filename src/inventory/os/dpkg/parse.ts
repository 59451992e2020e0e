import type { Package } from '../../../types.js';
import { parseControl } from './control.js';

/**
 * dpkg's status database (var/lib/dpkg/status, or one file per package in distroless
 * images' status.d/) and its per-package file lists (info/*.list, *.md5sums).
 */

export const DPKG_ANALYZER = 'dpkg';

/**
 * Status states (the third word of "Status: want flag state") in which a package's files are
 * on disk. `not-installed` and `config-files` (removed, conffiles kept) are not installed,
 * whatever dpkg-query -W lists.
 */
const PRESENT_STATES = new Set([
  'installed',
  'unpacked',
  'half-configured',
  'half-installed',
  'triggers-awaited',
  'triggers-pending',
]);
const ABSENT_STATES = new Set(['not-installed', 'config-files']);

const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9+.\-_]*$/;
const VERSION = /^[^\s]+$/;
/** "Source: name" or "Source: name (version)". */
const SOURCE = /^(\S+)(?:\s+\(([^\s()]+)\))?$/;

interface DpkgParse {
  packages: Package[];
  warnings: string[];
}

interface DpkgParseOptions {
  /** Distroless status.d files often carry no Status field: treat such entries as installed. */
  statusOptional?: boolean;
}

export function parseDpkgStatus(text: string, dbPath: string, opts: DpkgParseOptions = {}): DpkgParse {
  const { paragraphs, warnings } = parseControl(text);
  const packages: Package[] = [];
  for (const { fields, line } of paragraphs) {
    const where = `paragraph at line ${line}`;
    const name = fields.get('package');
    if (!name || !PACKAGE_NAME.test(name)) {
      warnings.push(
        `${where}: ${name ? `invalid Package "${name.slice(0, 80)}"` : 'no Package field'}; skipped`,
      );
      continue;
    }
    const status = fields.get('status');
    if (status === undefined) {
      if (!opts.statusOptional) {
        warnings.push(`${where}: package ${name} has no Status field; skipped`);
        continue;
      }
    } else {
      const state = status.split(/\s+/)[2];
      if (state === undefined || !(PRESENT_STATES.has(state) || ABSENT_STATES.has(state))) {
        warnings.push(`${where}: package ${name} has an unknown Status "${status.slice(0, 80)}"; skipped`);
        continue;
      }
      if (ABSENT_STATES.has(state)) continue;
    }
    const version = fields.get('version');
    if (!version || !VERSION.test(version)) {
      warnings.push(`${where}: package ${name} has ${version ? 'an invalid' : 'no'} Version; skipped`);
      continue;
    }
    const source = { name, version };
    const sourceField = fields.get('source');
    if (sourceField !== undefined) {
      const m = SOURCE.exec(sourceField);
      if (m && PACKAGE_NAME.test(m[1]!)) {
        source.name = m[1]!;
        source.version = m[2] ?? version;
      } else {
        warnings.push(
          `${where}: package ${name} has an invalid Source "${sourceField.slice(0, 80)}"; using ${name}`,
        );
      }
    }
    const pkg: Package = {
      name,
      version,
      ecosystem: 'deb',
      purl: '',
      source,
      paths: [dbPath],
      analyzer: DPKG_ANALYZER,
    };
    const arch = fields.get('architecture');
    if (arch) pkg.arch = arch;
    packages.push(pkg);
  }
  return { packages, warnings };
}

function normalizePath(p: string): string | undefined {
  const rel = p.replace(/^(?:\.?\/)+/, '');
  return rel === '' || rel === '.' ? undefined : rel;
}

/** info/<pkg>.list: one absolute path per line, directories included ("/." is the root). */
export function parseFileList(text: string): string[] {
  const files: string[] = [];
  for (const line of text.split('\n')) {
    const p = normalizePath(line.replace(/\r$/, ''));
    if (p) files.push(p);
  }
  return files;
}

/** <pkg>.md5sums: "<md5>  <path relative to the root>" per line. */
export function parseMd5sums(text: string): string[] {
  const files: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^[0-9a-fA-F]{32} [ *](.+)$/.exec(line.replace(/\r$/, ''));
    const p = m ? normalizePath(m[1]!) : undefined;
    if (p) files.push(p);
  }
  return files;
}

/** "libc6:amd64.list" → "libc6": info files of Multi-Arch: same packages carry the arch. */
export function packageFromInfoName(fileName: string, suffix: string): string | undefined {
  if (!fileName.endsWith(suffix)) return undefined;
  const name = fileName.slice(0, -suffix.length).split(':')[0]!;
  return PACKAGE_NAME.test(name) ? name : undefined;
}
