import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptDbError } from '../../../../src/inventory/os/read.js';
import { RPMTAG, RpmHeader } from '../../../../src/inventory/os/rpm/header.js';
import { parseSourceRpm, rpmRecord } from '../../../../src/inventory/os/rpm/package.js';
import { type HeaderEntry, headerBlob } from './support.js';

const base = (extra: HeaderEntry[] = []): HeaderEntry[] => [
  { tag: RPMTAG.NAME, type: 'string', value: 'openssl-libs' },
  { tag: RPMTAG.VERSION, type: 'string', value: '3.0.7' },
  { tag: RPMTAG.RELEASE, type: 'string', value: '27.el9' },
  { tag: RPMTAG.ARCH, type: 'string', value: 'x86_64' },
  { tag: RPMTAG.LICENSE, type: 'string', value: 'ASL 2.0' },
  { tag: RPMTAG.SOURCERPM, type: 'string', value: 'openssl-3.0.7-27.el9.src.rpm' },
  ...extra,
];

describe('rpmRecord', () => {
  it('reads name, [epoch:]version-release, arch, licence and the source package', () => {
    const r = rpmRecord(
      headerBlob(base([{ tag: RPMTAG.EPOCH, type: 'int32', value: [1] }])),
      'var/lib/rpm/rpmdb.sqlite',
    );
    expect(r?.package).toEqual({
      name: 'openssl-libs',
      version: '1:3.0.7-27.el9',
      ecosystem: 'rpm',
      purl: '',
      source: { name: 'openssl', version: '1:3.0.7-27.el9' },
      arch: 'x86_64',
      licenses: ['ASL 2.0'],
      paths: ['var/lib/rpm/rpmdb.sqlite'],
      analyzer: 'rpm',
    });
  });

  it('leaves a zero or missing epoch out of the version', () => {
    expect(rpmRecord(headerBlob(base()), 'db')?.package.version).toBe('3.0.7-27.el9');
    const zero = base([{ tag: RPMTAG.EPOCH, type: 'int32', value: [0] }]);
    expect(rpmRecord(headerBlob(zero), 'db')?.package.version).toBe('3.0.7-27.el9');
  });

  it('joins BASENAMES to DIRNAMES through DIRINDEXES, and reads OLDFILENAMES', () => {
    const files = base([
      { tag: RPMTAG.DIRINDEXES, type: 'int32', value: [0, 1, 0] },
      { tag: RPMTAG.BASENAMES, type: 'string[]', value: ['ssl', 'libssl.so.3', 'pki'] },
      { tag: RPMTAG.DIRNAMES, type: 'string[]', value: ['/etc/', '/usr/lib64/'] },
    ]);
    expect(rpmRecord(headerBlob(files), 'db')?.files).toEqual([
      'etc/ssl',
      'usr/lib64/libssl.so.3',
      'etc/pki',
    ]);
    const old = base([{ tag: RPMTAG.OLDFILENAMES, type: 'string[]', value: ['/bin/sh', '/etc/x'] }]);
    expect(rpmRecord(headerBlob(old), 'db')?.files).toEqual(['bin/sh', 'etc/x']);
  });

  it('skips gpg-pubkey pseudo-packages', () => {
    const key: HeaderEntry[] = [
      { tag: RPMTAG.NAME, type: 'string', value: 'gpg-pubkey' },
      { tag: RPMTAG.VERSION, type: 'string', value: 'fd431d51' },
      { tag: RPMTAG.RELEASE, type: 'string', value: '4ae0493b' },
    ];
    expect(rpmRecord(headerBlob(key), 'db')).toBeUndefined();
  });

  it('uses the package itself as the source when SOURCERPM is missing or unparseable', () => {
    const noSource = base().filter((e) => e.tag !== RPMTAG.SOURCERPM);
    expect(rpmRecord(headerBlob(noSource), 'db')?.package.source).toEqual({
      name: 'openssl-libs',
      version: '3.0.7-27.el9',
    });
  });

  it.each([
    ['openssl-3.0.7-27.el9.src.rpm', { name: 'openssl', version: '3.0.7-27.el9' }],
    ['python3.11-3.11.5-1.el9_3.src.rpm', { name: 'python3.11', version: '3.11.5-1.el9_3' }],
    ['kernel-5.14.0-362.8.1.el9_3.nosrc.rpm', { name: 'kernel', version: '5.14.0-362.8.1.el9_3' }],
    ['not-a-source.rpm', undefined],
    ['x.src.rpm', undefined],
  ])('parseSourceRpm(%s)', (file, expected) => {
    expect(parseSourceRpm(file)).toEqual(expected);
  });
});

describe('corrupt headers', () => {
  const corrupt = (blob: Buffer, message: RegExp) => {
    expect(() => rpmRecord(blob, 'db')).toThrow(CorruptDbError);
    expect(() => rpmRecord(blob, 'db')).toThrow(message);
  };

  it('rejects a header claiming 2^31 entries before allocating anything', () => {
    const blob = Buffer.alloc(8);
    blob.writeUInt32BE(2 ** 31, 0);
    corrupt(blob, /claims 2147483648 index entries/);
  });

  it('rejects a data length beyond the blob', () => {
    const blob = headerBlob(base());
    blob.writeUInt32BE(blob.readUInt32BE(4) + 1, 4);
    corrupt(blob, /needs \d+ bytes but the blob has/);
  });

  it('rejects offsets outside the data store, wrong types and unterminated strings', () => {
    const blob = headerBlob(base());
    const badOffset = Buffer.from(blob);
    badOffset.writeInt32BE(-5, 8 + 8);
    corrupt(badOffset, /offset -5/);
    const badType = Buffer.from(blob);
    badType.writeUInt32BE(4, 8 + 4);
    corrupt(badType, /tag 1000 has type 4/);
    const unterminated = Buffer.from(blob.subarray(0, blob.length - 1));
    unterminated.writeUInt32BE(blob.readUInt32BE(4) - 1, 4);
    corrupt(unterminated, /not terminated/);
  });

  it('rejects a string array claiming more strings than bytes, and a dangling directory index', () => {
    const claim = headerBlob(base([{ tag: RPMTAG.BASENAMES, type: 'string[]', value: ['a'] }]));
    claim.writeUInt32BE(1_000_000, 8 + 6 * 16 + 12);
    corrupt(claim, /claims 1000000 strings/);
    const dangling = base([
      { tag: RPMTAG.DIRINDEXES, type: 'int32', value: [7] },
      { tag: RPMTAG.BASENAMES, type: 'string[]', value: ['a'] },
      { tag: RPMTAG.DIRNAMES, type: 'string[]', value: ['/'] },
    ]);
    corrupt(headerBlob(dangling), /missing directory 7/);
  });

  it('never throws anything but CorruptDbError on random or mutated blobs', () => {
    const good = headerBlob(
      base([
        { tag: RPMTAG.DIRINDEXES, type: 'int32', value: [0, 0] },
        { tag: RPMTAG.BASENAMES, type: 'string[]', value: ['a', 'b'] },
        { tag: RPMTAG.DIRNAMES, type: 'string[]', value: ['/x/'] },
      ]),
    );
    const check = (blob: Buffer) => {
      try {
        const r = rpmRecord(blob, 'db');
        if (r) expect(typeof r.package.name).toBe('string');
      } catch (err) {
        expect(err).toBeInstanceOf(CorruptDbError);
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => check(Buffer.from(bytes))));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { minLength: 1, maxLength: 8 }),
        (flips) => {
          const blob = Buffer.from(good);
          for (const [at, value] of flips) blob[at] = value;
          check(blob);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads later duplicate entries over earlier ones, as rpm does for appended tags', () => {
    const blob = headerBlob(base([{ tag: RPMTAG.ARCH, type: 'string', value: 'noarch' }]));
    expect(RpmHeader.parse(blob).string(RPMTAG.ARCH)).toBe('noarch');
  });
});
