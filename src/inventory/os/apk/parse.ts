import type { Package } from '../../../types.js';
import type { PackageFiles } from '../../analyzer.js';

/**
 * apk's installed database (lib/apk/db/installed), as the Alpine "Apk spec" describes it:
 * one block per package, blocks separated by a blank line, each line "<letter>:<value>".
 * P name, V version, A arch, o origin (the source package), L license, F a directory and
 * the R lines after it the files in that directory.
 */

export const APK_ANALYZER = 'apk';

interface ApkParse {
  packages: Package[];
  packageFiles: PackageFiles[];
  warnings: string[];
}

interface Block {
  line: number;
  fields: Map<string, string>;
  files: string[];
}

const MAX_WARNINGS = 20;

function* blocks(text: string, warn: (msg: string) => void): Generator<Block> {
  let current: Block | undefined;
  let dir = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line === '') {
      if (current) yield current;
      current = undefined;
      dir = '';
      continue;
    }
    if (line.length < 2 || line[1] !== ':') {
      warn(`line ${i + 1}: not a "<letter>:<value>" line; ignored`);
      continue;
    }
    current ??= { line: i + 1, fields: new Map(), files: [] };
    const key = line[0]!;
    const value = line.slice(2);
    if (key === 'F') dir = value.replace(/^\/+|\/+$/g, '');
    else if (key === 'R' && value !== '') current.files.push(dir ? `${dir}/${value}` : value);
    else if (!current.fields.has(key)) current.fields.set(key, value);
  }
  if (current) yield current;
}

export function parseApkInstalled(text: string, dbPath: string): ApkParse {
  const packages: Package[] = [];
  const packageFiles: PackageFiles[] = [];
  const warnings: string[] = [];
  let problems = 0;
  const warn = (msg: string) => {
    if (++problems <= MAX_WARNINGS) warnings.push(msg);
  };
  for (const block of blocks(text, warn)) {
    const name = block.fields.get('P');
    const version = block.fields.get('V');
    if (!name || !version || /\s/.test(name) || /\s/.test(version)) {
      warn(
        `package at line ${block.line}: ${!name ? 'no P (name)' : !version ? 'no V (version)' : 'whitespace in name or version'}; skipped`,
      );
      continue;
    }
    const origin = block.fields.get('o') || name;
    const pkg: Package = {
      name,
      version,
      ecosystem: 'apk',
      purl: '',
      source: { name: origin, version },
      paths: [dbPath],
      analyzer: APK_ANALYZER,
    };
    const arch = block.fields.get('A');
    if (arch) pkg.arch = arch;
    const license = block.fields.get('L');
    if (license) pkg.licenses = [license];
    packages.push(pkg);
    if (block.files.length > 0) packageFiles.push({ package: name, files: block.files });
  }
  if (problems > MAX_WARNINGS) warnings.push(`${problems - MAX_WARNINGS} more problems not shown`);
  return { packages, packageFiles, warnings };
}
