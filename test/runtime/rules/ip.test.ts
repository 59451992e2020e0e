import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIp, inNetwork, parseNetwork } from '../../../src/runtime/rules/ip.js';

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
const ipv6 = fc
  .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
  .map((w) => w.map((x) => x.toString(16)).join(':'));
/** IPv6 text in its many spellings: compressed, upper-case, with a dotted tail. */
const ipv6Text = fc.oneof(
  ipv6,
  ipv6.map((a) => canonicalIp(a)!),
  ipv6.map((a) => a.toUpperCase()),
  fc.tuple(ipv6, ipv4).map(([a, b]) => `${a.split(':').slice(0, 6).join(':')}:${b}`),
);

describe('IP networks', () => {
  it('match as node:net BlockList does, for IPv4', () => {
    fc.assert(
      fc.property(ipv4, ipv4, fc.nat(32), (ip, base, prefix) => {
        const list = new BlockList();
        list.addSubnet(base, prefix, 'ipv4');
        expect(inNetwork(ip, parseNetwork(`${base}/${prefix}`)!)).toBe(list.check(ip, 'ipv4'));
      }),
      { numRuns: 3000 },
    );
  });

  it('match as node:net BlockList does, for IPv6 in any spelling', () => {
    fc.assert(
      fc.property(ipv6Text, ipv6, fc.nat(128), (ip, base, prefix) => {
        const list = new BlockList();
        list.addSubnet(base, prefix, 'ipv6');
        expect(inNetwork(ip, parseNetwork(`${base}/${prefix}`)!)).toBe(list.check(ip, 'ipv6'));
      }),
      { numRuns: 3000 },
    );
  });

  it('canonicalise addresses, and refuse what is not an address or a network', () => {
    expect(canonicalIp('2001:0DB8:0:0::1')).toBe('2001:db8::1');
    expect(canonicalIp('010.1.1.1')).toBeUndefined();
    expect(parseNetwork('10.0.0.0/8x')).toBeUndefined();
    expect(parseNetwork('::/129')).toBeUndefined();
    expect(inNetwork('1.2.3', parseNetwork('0.0.0.0/0')!)).toBe(false);
    expect(inNetwork('1:2:3:4:5:6:7:8:9', parseNetwork('::/0')!)).toBe(false);
    expect(inNetwork('1::2::3', parseNetwork('::/0')!)).toBe(false);
  });

  it('never throw on garbage', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:./x ') }),
        fc.string(),
        (ip, net) => {
          const parsed = parseNetwork(net);
          expect(typeof inNetwork(ip, parsed ?? parseNetwork('::/0')!)).toBe('boolean');
          expect(typeof inNetwork(ip, parseNetwork('0.0.0.0/0')!)).toBe('boolean');
        },
      ),
      { numRuns: 3000 },
    );
  });
});
