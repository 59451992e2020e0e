import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { adler32 } from '../../../../src/inventory/os/rpm/ndb.js';

/**
 * Test-side writers for the rpm formats (header blobs and NDB files, from rpm's format
 * description) and real-tool fixtures: tiny packages built with rpmbuild, installed with
 * rpm into throwaway SQLite databases, and copied into Berkeley DB with db5.3_load.
 */

export type HeaderEntry =
  | { tag: number; type: 'int32'; value: number[] }
  | { tag: number; type: 'string'; value: string }
  | { tag: number; type: 'string[]'; value: string[] };

const TYPE_CODE = { int32: 4, string: 6, 'string[]': 8 } as const;

/** An rpm header blob as the databases store it: il, dl, index entries, data store. */
export function headerBlob(entries: HeaderEntry[]): Buffer {
  const index = Buffer.alloc(entries.length * 16);
  const chunks: Buffer[] = [];
  let size = 0;
  entries.forEach((e, i) => {
    let data: Buffer;
    let count: number;
    if (e.type === 'int32') {
      while (size % 4 !== 0) {
        chunks.push(Buffer.alloc(1));
        size++;
      }
      data = Buffer.alloc(e.value.length * 4);
      for (const [j, v] of e.value.entries()) data.writeInt32BE(v, j * 4);
      count = e.value.length;
    } else {
      const strings = e.type === 'string' ? [e.value] : e.value;
      data = Buffer.concat(strings.map((s) => Buffer.from(`${s}\0`, 'utf8')));
      count = strings.length;
    }
    index.writeUInt32BE(e.tag, i * 16);
    index.writeUInt32BE(TYPE_CODE[e.type], i * 16 + 4);
    index.writeInt32BE(size, i * 16 + 8);
    index.writeUInt32BE(count, i * 16 + 12);
    chunks.push(data);
    size += data.length;
  });
  const intro = Buffer.alloc(8);
  intro.writeUInt32BE(entries.length, 0);
  intro.writeUInt32BE(size, 4);
  return Buffer.concat([intro, index, ...chunks]);
}

/** An NDB Packages.db holding `blobs` as packages 1..n, laid out as rpm's rpmpkg.c writes it. */
export function ndbFile(blobs: Buffer[]): Buffer {
  const PAGE = 4096;
  const slotPages = Math.max(1, Math.ceil((2 + blobs.length) / (PAGE / 16)));
  const slots = Buffer.alloc(slotPages * PAGE);
  for (let at = 0; at < slots.length; at += 16) slots.write('Slot', at, 'latin1');
  slots.write('RpmP', 0, 'latin1');
  slots.writeUInt32LE(0, 4);
  slots.writeUInt32LE(1, 8);
  slots.writeUInt32LE(slotPages, 12);
  slots.writeUInt32LE(blobs.length + 1, 16);
  slots.fill(0, 20, 32);
  const data: Buffer[] = [];
  let blkOff = (slotPages * PAGE) / 16;
  blobs.forEach((blob, i) => {
    const blkCnt = Math.ceil((16 + blob.length + 12) / 16);
    const framed = Buffer.alloc(blkCnt * 16);
    framed.write('BlbS', 0, 'latin1');
    framed.writeUInt32LE(i + 1, 4);
    framed.writeUInt32LE(1_700_000_000, 8);
    framed.writeUInt32LE(blob.length, 12);
    blob.copy(framed, 16);
    const tail = framed.length - 12;
    framed.writeUInt32LE(adler32(framed.subarray(0, tail)), tail);
    framed.writeUInt32LE(blob.length, tail + 4);
    framed.write('BlbE', tail + 8, 'latin1');
    const slotAt = (2 + i) * 16;
    slots.writeUInt32LE(i + 1, slotAt + 4);
    slots.writeUInt32LE(blkOff, slotAt + 8);
    slots.writeUInt32LE(blkCnt, slotAt + 12);
    data.push(framed);
    blkOff += blkCnt;
  });
  return Buffer.concat([slots, ...data]);
}

const SPECS: Record<string, string> = {
  'hello-tool': `Name: hello-tool
Version: 1.2.3
Release: 4.el9
Epoch: 2
Summary: epoch, config file, compound licence
License: MIT and BSD
BuildArch: x86_64
%description
x
%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/etc/hello
echo hi > %{buildroot}/usr/bin/hello
echo cfg > %{buildroot}/etc/hello/hello.conf
%files
%dir /etc/hello
%config /etc/hello/hello.conf
/usr/bin/hello
`,
  multi: `Name: multi
Version: 1.0
Release: 1
Summary: a source package whose binaries are named otherwise
License: GPL-2.0-or-later
BuildArch: noarch
%description
x
%package -n multi-libs
Summary: libs
%description -n multi-libs
x
%package -n multi-tools
Summary: tools
Epoch: 0
%description -n multi-tools
x
%install
mkdir -p %{buildroot}/usr/lib/multi %{buildroot}/usr/sbin
echo a > %{buildroot}/usr/lib/multi/liba.so
echo t > %{buildroot}/usr/sbin/multi
%files -n multi-libs
/usr/lib/multi
%files -n multi-tools
/usr/sbin/multi
`,
  bigfiles: `Name: bigfiles
Version: 2.0~rc1
Release: 0.1.fc40
Summary: a header large enough to span many overflow pages
License: Apache-2.0
BuildArch: x86_64
%description
x
%install
mkdir -p %{buildroot}/usr/share/bigfiles
for i in $(seq 1 400); do echo $i > %{buildroot}/usr/share/bigfiles/file-with-a-longish-name-$i.txt; done
%files
/usr/share/bigfiles
`,
};

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(cmd, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
}

/** Builds the spec'd packages and a GPG key; returns the .rpm paths and the armoured key. */
export function buildRpms(dir: string): { rpms: string[]; key: string } {
  const top = join(dir, 'top');
  mkdirSync(join(top, 'SPECS'), { recursive: true });
  for (const [name, spec] of Object.entries(SPECS)) {
    const path = join(top, 'SPECS', `${name}.spec`);
    writeFileSync(path, spec);
    run('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, path]);
  }
  const rpms = run('find', [join(top, 'RPMS'), '-name', '*.rpm'])
    .trim()
    .split('\n')
    .sort();
  const gnupg = join(dir, 'gnupg');
  mkdirSync(gnupg, { mode: 0o700 });
  const env = { GNUPGHOME: gnupg };
  run(
    'gpg',
    ['--batch', '--passphrase', '', '--quick-gen-key', 'Test <t@example.com>', 'ed25519', 'sign', 'never'],
    env,
  );
  const key = join(dir, 'key.asc');
  writeFileSync(key, run('gpg', ['--armor', '--export', 't@example.com'], env));
  return { rpms, key };
}

/** rpm's own SQLite database with `rpms` and the key installed (files recorded, none written). */
export function installSqliteDb(dbDir: string, rpms: string[], key: string): string {
  mkdirSync(dbDir, { recursive: true });
  const db = ['--dbpath', dbDir, '--define', '_db_backend sqlite'];
  run('rpm', [...db, '-i', '--nodeps', '--justdb', ...rpms]);
  run('rpm', [...db, '--import', key]);
  return join(dbDir, 'rpmdb.sqlite');
}

/** The header blobs of an rpm SQLite database, keyed by instance number. */
export function sqliteHeaders(path: string): { hnum: number; blob: Buffer }[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').all() as {
      hnum: number;
      blob: Buffer;
    }[];
  } finally {
    db.close();
  }
}

/** A Berkeley DB hash `Packages` with the same headers, written by libdb's db5.3_load. */
export function bdbFromHeaders(
  headers: { hnum: number; blob: Buffer }[],
  dir: string,
  pageSize: number,
): string {
  mkdirSync(dir, { recursive: true });
  const key = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b.toString('hex');
  };
  const lines = ['VERSION=3', 'format=bytevalue', 'type=hash', `db_pagesize=${pageSize}`, 'HEADER=END'];
  for (const { hnum, blob } of headers) lines.push(` ${key(hnum)}`, ` ${blob.toString('hex')}`);
  lines.push('DATA=END', '');
  const dump = join(dir, 'dump.txt');
  writeFileSync(dump, lines.join('\n'));
  const out = join(dir, 'Packages');
  run('db5.3_load', ['-f', dump, out]);
  return out;
}

export interface RpmQuery {
  name: string;
  epoch: string;
  version: string;
  release: string;
  arch: string;
  sourceRpm: string;
  license: string;
  files: string[];
}

/** What `rpm -qa` says about the database in `dbDir` with the given backend. */
export function rpmQueryAll(dbDir: string, backend: string): RpmQuery[] {
  const qf =
    '%{NAME}\\t%|EPOCH?{%{EPOCH}}:{}|\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\t%{LICENSE}\\t[%{FILENAMES}\\v]\\n';
  const out = run('rpm', ['--dbpath', dbDir, '--define', `_db_backend ${backend}`, '-qa', '--qf', qf]);
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => {
      const [name, epoch, version, release, arch, sourceRpm, license, files] = line.split('\t') as string[];
      return {
        name: name!,
        epoch: epoch!,
        version: version!,
        release: release!,
        arch: arch!,
        sourceRpm: sourceRpm!,
        license: license!,
        files: files!.split('\v').filter((f) => f !== ''),
      };
    });
}

/**
 * Skip flag for tests that need these commands (rpm, rpmbuild, db5.3_load, gpg); like
 * test/helpers/components.ts, a missing one skips locally with a reason and fails under CI=true.
 */
export function missingTools(...commands: string[]): boolean {
  const missing = commands.filter((c) => {
    try {
      execFileSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${missing.join(', ')} missing`);
  process.stderr.write(`SKIP (rpm tools): ${missing.join(', ')} not installed\n`);
  return true;
}

/**
 * The same Berkeley DB hash file as a big-endian machine (s390x) would have written it: the
 * metadata words, page headers, item offsets and off-page references byte-swapped, as libdb
 * swaps them when it opens a foreign-endian file. Keys and data bytes stay as they are.
 */
export function bigEndianBdb(file: Buffer, pageSize: number): Buffer {
  const out = Buffer.from(file);
  const swap32 = (at: number) => out.writeUInt32BE(file.readUInt32LE(at), at);
  const swap16 = (at: number) => out.writeUInt16BE(file.readUInt16LE(at), at);
  for (let at = 8; at < 224; at += 4) if (at !== 24) swap32(at);
  for (let page = pageSize; page + pageSize <= file.length; page += pageSize) {
    for (const at of [8, 12, 16]) swap32(page + at);
    swap16(page + 20);
    swap16(page + 22);
    const type = file[page + 25];
    if (type !== 2 && type !== 13) continue;
    const entries = file.readUInt16LE(page + 20);
    for (let i = 0; i < entries; i++) {
      swap16(page + 26 + i * 2);
      const item = page + file.readUInt16LE(page + 26 + i * 2);
      if (file[item] === 3) {
        swap32(item + 4);
        swap32(item + 8);
      }
    }
  }
  return out;
}
