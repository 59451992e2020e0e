import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { address, commandLine, decodeRecord } from '../../../src/runtime/capture/decode.js';
import { ARG_CHUNKS, CODE, STRING_BYTES, SYSCALL_CODES } from '../../../src/runtime/capture/program.js';

/** bpftrace's `%r`: printable ASCII as it is, every other byte as \xNN. */
function renderR(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes)
    s += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return s;
}

/**
 * The chunks the exec probe prints for an argument area (program.ts): chunk i reads 200
 * bytes from i·200, or, when the area ends before that, the 200 bytes ending at its end
 * (reading memory before the area when it is shorter than 200 bytes).
 */
function chunksOf(area: Buffer, before: Buffer): string[] {
  const memory = Buffer.concat([before, area, Buffer.alloc(STRING_BYTES)]);
  const n = area.length;
  const chunks: string[] = [];
  for (let i = 0; i < ARG_CHUNKS; i++) {
    const start = i * STRING_BYTES;
    if (i > 0 && n <= start) break;
    const from = n >= start + STRING_BYTES ? start : n - STRING_BYTES;
    chunks.push(renderR(memory.subarray(before.length + from, before.length + from + STRING_BYTES)));
  }
  return chunks;
}

const code = (type: string) => [...SYSCALL_CODES].find(([, s]) => s.type === type)![0];

describe('commandLine', () => {
  it('gives back argv from the chunks the probe prints, whole up to 1000 bytes, a prefix beyond (property)', () => {
    const arg = fc
      .string({ unit: 'grapheme', maxLength: 400 })
      .map((s) => s.replace(/\0/g, ''))
      // \xNN escapes that %r would produce are ambiguous when written literally (see lines.test.ts).
      .filter((s) => !/\\x[0-9a-fA-F]{2}/.test(s));
    fc.assert(
      fc.property(
        fc.array(arg, { minLength: 1, maxLength: 8 }),
        fc.uint8Array({ minLength: STRING_BYTES, maxLength: STRING_BYTES }),
        (argv, garbage) => {
          const area = Buffer.from(`${argv.join('\0')}\0`, 'utf8');
          const got = commandLine(chunksOf(area, Buffer.from(garbage)), area.length);
          const limit = ARG_CHUNKS * STRING_BYTES;
          if (area.length <= limit) expect(got).toEqual(argv);
          else {
            const kept = area.subarray(0, limit).toString('utf8').split('\0');
            expect(got).toEqual(kept);
          }
        },
      ),
    );
  });

  it('reads areas of exactly 200, 201, 999, 1000 and 1001 bytes', () => {
    for (const size of [1, 199, 200, 201, 399, 400, 999, 1000, 1001, 4000]) {
      const argv = ['a'.repeat(size - 1)];
      const area = Buffer.from(`${argv[0]}\0`);
      const got = commandLine(chunksOf(area, Buffer.alloc(STRING_BYTES, 0x41)), area.length);
      if (size <= 1000) expect(got, String(size)).toEqual(argv);
      else expect(got, String(size)).toEqual(['a'.repeat(1000)]);
    }
  });
});

describe('address', () => {
  it('IPv4 words as the kernel stores them (network order, read little-endian)', () => {
    expect(address(2, [0x0100007f, 0, 0, 0])).toBe('127.0.0.1');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
        expect(address(2, [Buffer.from(b).readUInt32LE(0), 0, 0, 0])).toBe([...b].join('.'));
      }),
    );
  });

  it("IPv6 words, printed as Python's ipaddress prints them (RFC 5952)", () => {
    const samples = fc.sample(
      fc.oneof(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        // Mostly zeros, so runs of zero groups (and :: placement) are exercised.
        fc
          .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
            minLength: 8,
            maxLength: 8,
          })
          .map((g) => {
            const b = Buffer.alloc(16);
            g.forEach((v, i) => {
              b.writeUInt16BE(v, i * 2);
            });
            return new Uint8Array(b);
          }),
      ),
      300,
    );
    const fixed = [
      '::1',
      '::',
      'fe80::1',
      '2001:db8::ff00:42:8329',
      '2001:db8:0:0:1:0:0:1',
      '::ffff:0:1',
    ].map((a) => new Uint8Array(Buffer.from(pythonBytes(a), 'hex')));
    const all = [...fixed, ...samples];
    const expected = execFileSync(
      'python3',
      [
        '-c',
        'import ipaddress,sys\nfor h in sys.stdin.read().split():\n print(ipaddress.IPv6Address(bytes.fromhex(h)))',
      ],
      { input: all.map((b) => Buffer.from(b).toString('hex')).join('\n'), encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    all.forEach((b, i) => {
      const buf = Buffer.from(b);
      const words = [0, 4, 8, 12].map((o) => buf.readUInt32LE(o));
      expect(address(10, words), buf.toString('hex')).toBe(expected[i]);
    });
    expect(expected.slice(0, 3)).toEqual(['::1', '::', 'fe80::1']);
  });
});

/** The hex of an IPv6 address written out in full (tests only use forms without embedded IPv4). */
function pythonBytes(text: string): string {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => g.padStart(4, '0')).join('');
}

describe('decodeRecord', () => {
  const header = [5_000_000, 101, 100, 4026532001, 1000, 1000];

  it('an exec with its strings, an unlinked executable and execveat', () => {
    const area = Buffer.from('/proc/self/fd/3\0-x\0');
    const parts = [
      ...chunksOf(area, Buffer.alloc(STRING_BYTES)),
      'memfd-run',
      'bash',
      '/proc/self/fd/3',
      'memfd:payload',
    ];
    const x = decodeRecord(
      {
        code: CODE.exec,
        fields: [
          ...header,
          0,
          99,
          area.length,
          1234,
          1_700_000_000,
          500_000_000,
          34816,
          4294967295,
          7,
          4242,
          1,
          1,
        ],
        parts: ['stale string of a lost record', ...parts],
      },
      1000,
    );
    expect(x).toEqual({
      kind: 'exec',
      type: 'execveat',
      ts: 1005,
      tid: 101,
      pid: 100,
      mntns: 4026532001,
      uid: 1000,
      gid: 1000,
      res: 0,
      ppid: 99,
      argv: ['/proc/self/fd/3', '-x'],
      truncated: false,
      comm: 'memfd-run',
      parentComm: 'bash',
      filename: '/proc/self/fd/3',
      unlinkedName: 'memfd:payload',
      exeIno: 1234,
      exeCtime: 1_700_000_000_500,
      tty: 34816,
      loginuid: -1,
      vpid: 7,
      cgroupId: 4242,
    });
  });

  it('an exec whose strings did not all arrive is dropped, as are short records', () => {
    expect(
      decodeRecord(
        { code: CODE.exec, fields: [...header, 0, 99, 10, 1, 0, 0, 0, 0, 1, 1, 0, 0], parts: ['a', 'b'] },
        0,
      ),
    ).toBeUndefined();
    expect(decodeRecord({ code: CODE.exec, fields: [...header, 0, 99], parts: [] }, 0)).toBeUndefined();
    expect(decodeRecord({ code: 'a', fields: [1, 2, 3], parts: [] }, 0)).toBeUndefined();
    expect(decodeRecord({ code: '~', fields: [...header, 0], parts: [] }, 0)).toBeUndefined();
  });

  it('fork and exit', () => {
    expect(decodeRecord({ code: CODE.fork, fields: [...header, 0, 55], parts: [] }, 0)).toMatchObject({
      kind: 'fork',
      pid: 100,
      ppid: 55,
    });
    expect(decodeRecord({ code: CODE.exit, fields: [...header, 9], parts: [] }, 0)).toMatchObject({
      kind: 'exit',
      pid: 100,
      res: 9,
    });
  });

  it('an openat: flags rendered, the path from its string', () => {
    const r = decodeRecord(
      { code: code('openat'), fields: [...header, 3, 0o101, 0o644, -100], parts: ['/etc/passwd'] },
      0,
    );
    expect(r).toMatchObject({
      kind: 'syscall',
      type: 'openat',
      res: 3,
      args: { flags: 'O_WRONLY|O_CREAT', mode: 0o644, dirfd: -100 },
      strings: { name: '/etc/passwd' },
    });
  });

  it('a connect: both ends of an IPv4 socket; a unix socket with its path', () => {
    const ip = decodeRecord(
      {
        code: code('connect'),
        fields: [...header, 0, 3, 2, 6, 0o140777, 0x0100007f, 0, 0, 0, 40000, 0x0a0a0a0a, 0, 0, 0, 443],
        parts: [],
      },
      0,
    );
    expect(ip).toMatchObject({
      args: { fd: 3 },
      socket: {
        family: 2,
        protocol: 6,
        local: { ip: '127.0.0.1', port: 40000 },
        remote: { ip: '10.10.10.10', port: 443 },
      },
    });
    const unix = decodeRecord(
      {
        code: code('connect'),
        fields: [...header, 0, 4, 1, 0, 0o140777, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        parts: ['/run/docker.sock'],
      },
      0,
    );
    expect(unix).toMatchObject({ socket: { family: 1, unixPath: '/run/docker.sock' } });
    expect((unix as { socket: object }).socket).not.toHaveProperty('remote');
  });

  it('capset: the two words of each set joined into names', () => {
    const r = decodeRecord(
      { code: code('capset'), fields: [...header, 0, 1 << 21, 0, (1 << 21) | 1, 1 << 7, 0, 0], parts: [] },
      0,
    );
    expect(r).toMatchObject({
      args: {
        cap_effective: 'CAP_SYS_ADMIN',
        cap_permitted: 'CAP_CHOWN CAP_SYS_ADMIN CAP_BPF',
        cap_inheritable: '',
      },
    });
  });
});
