import { isIP } from 'node:net';

/** An IPv4 or IPv6 network: `10.0.0.0/8`, `fd00::/8`, or one address. */
export interface Network {
  v4: boolean;
  /** IPv4: the address in words[0..1]; IPv6: eight 16-bit words. */
  words: Uint16Array;
  prefix: number;
}

/** The canonical text of an address (IPv6 compressed, lower-case), or undefined if `text` is not one. */
export function canonicalIp(text: string): string | undefined {
  const family = isIP(text);
  if (family === 4) return text.split('.').map(Number).join('.');
  if (family === 6) return new URL(`http://[${text}]`).hostname.slice(1, -1);
  return undefined;
}

/** Parses `ADDRESS[/PREFIX]`; undefined when it is not a network. */
export function parseNetwork(text: string): Network | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return undefined;
  const max = family === 4 ? 32 : 128;
  const prefix = slash < 0 ? max : Number(text.slice(slash + 1));
  if (
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > max ||
    (slash >= 0 && !/^[0-9]+$/.test(text.slice(slash + 1)))
  ) {
    return undefined;
  }
  const words = new Uint16Array(8);
  if (!readAddress(address, words)) return undefined;
  return { v4: family === 4, words, prefix };
}

/**
 * The last two addresses read (an event's client and server, checked by several rules), so
 * each is parsed once. Matching never allocates.
 */
const recent = [
  { text: undefined as string | undefined, family: 0 as 0 | 4 | 6, words: new Uint16Array(8) },
  { text: undefined as string | undefined, family: 0 as 0 | 4 | 6, words: new Uint16Array(8) },
];
let older = 0;
const mapped = new Uint16Array(8);

function read(text: string): { family: 0 | 4 | 6; words: Uint16Array } {
  if (recent[0]!.text === text) return recent[0]!;
  if (recent[1]!.text === text) return recent[1]!;
  const slot = recent[older]!;
  older ^= 1;
  slot.family = readAddressFamily(text, slot.words);
  slot.text = text;
  return slot;
}

/** Does the address `ip` (as text) fall inside `net`? */
export function inNetwork(ip: string, net: Network): boolean {
  const a = read(ip);
  return a.family !== 0 && matches(a.family, a.words, net);
}

/** Does the address `ip` (as text) fall inside one of `nets`? */
export function inAnyNetwork(ip: string, nets: readonly Network[]): boolean {
  const a = read(ip);
  if (a.family === 0) return false;
  for (let i = 0; i < nets.length; i++) if (matches(a.family, a.words, nets[i]!)) return true;
  return false;
}

function matches(family: 4 | 6, scratch: Uint16Array, net: Network): boolean {
  if (net.v4) {
    if (family === 4) return prefixEqual(scratch, net.words, net.prefix);
    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) matches IPv4 networks.
    for (let i = 0; i < 5; i++) if (scratch[i] !== 0) return false;
    if (scratch[5] !== 0xffff) return false;
    mapped[0] = scratch[6]!;
    mapped[1] = scratch[7]!;
    return prefixEqual(mapped, net.words, net.prefix);
  }
  return family === 6 && prefixEqual(scratch, net.words, net.prefix);
}

function prefixEqual(a: Uint16Array, b: Uint16Array, bits: number): boolean {
  let i = 0;
  for (; bits >= 16; bits -= 16, i++) if (a[i] !== b[i]) return false;
  if (bits === 0) return true;
  const mask = (0xffff << (16 - bits)) & 0xffff;
  return (a[i]! & mask) === (b[i]! & mask);
}

function readAddress(text: string, out: Uint16Array): boolean {
  return readAddressFamily(text, out) !== 0;
}

/** Reads an address into `out` (IPv4 in out[0..1]); returns 4, 6, or 0 when it is not an address. */
function readAddressFamily(text: string, out: Uint16Array): 0 | 4 | 6 {
  if (text.indexOf(':') < 0) return readIpv4(text, 0, text.length, out, 0) ? 4 : 0;
  return readIpv6(text, out) ? 6 : 0;
}

/** Reads dotted IPv4 from text[start, end) into two words at out[at]. */
function readIpv4(text: string, start: number, end: number, out: Uint16Array, at: number): boolean {
  let value = 0;
  let octet = -1;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (octet < 0 || dots === 3) return false;
      value = value * 256 + octet;
      octet = -1;
      dots++;
    } else if (c >= 48 && c <= 57) {
      octet = octet < 0 ? c - 48 : octet * 10 + (c - 48);
      if (octet > 255) return false;
    } else return false;
  }
  if (octet < 0 || dots !== 3) return false;
  value = value * 256 + octet;
  out[at] = Math.floor(value / 65536);
  out[at + 1] = value % 65536;
  return true;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Reads IPv6 text (with `::` and an optional dotted IPv4 tail) into eight words. */
function readIpv6(text: string, out: Uint16Array): boolean {
  out.fill(0);
  const end = text.length;
  let word = 0;
  let gap = -1;
  let i = 0;
  if (text.startsWith('::')) {
    gap = 0;
    i = 2;
    if (i === end) return true;
  }
  while (i < end) {
    if (word === 8) return false;
    const dot = nextIpv4Tail(text, i);
    if (dot) {
      if (word > 6 || !readIpv4(text, i, end, out, word)) return false;
      word += 2;
      i = end;
      break;
    }
    let value = 0;
    let digits = 0;
    while (i < end && digits < 5) {
      const d = hexDigit(text.charCodeAt(i));
      if (d < 0) break;
      value = value * 16 + d;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 4) return false;
    out[word++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = word;
      i++;
      if (i === end) break;
    } else if (i === end) return false;
  }
  if (gap < 0) return word === 8;
  if (word === 8) return false;
  // Move the words after `::` to the end.
  const tail = word - gap;
  for (let k = tail - 1; k >= 0; k--) {
    out[8 - tail + k] = out[gap + k]!;
    out[gap + k] = 0;
  }
  return true;
}

/** Is the group starting at `i` the dotted IPv4 tail of an IPv6 address? */
function nextIpv4Tail(text: string, i: number): boolean {
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 46) return true;
    if (c === 58) return false;
  }
  return false;
}
